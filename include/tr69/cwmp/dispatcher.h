// serve(): one HTTP body from the ACS in, the CPE's next SOAP envelope (if any) out.
// Requests are decoded, handed to the RpcHandler and answered with its response or fault; the
// reply echoes the request's cwmp:ID and uses the cwmp namespace the ACS used. Everything else
// (InformResponse and other responses, ACS faults, the empty body) is returned decoded for the
// session to act on, HoldRequests included.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/rpc_handler.h"

namespace tr69::cwmp {

struct ServeResult {
  AcsMessage message;
  // The envelope to send in the next POST: the answer to an ACS request, or the fault that
  // answers a bad message. Absent for responses, ACS faults and the empty body.
  std::optional<std::string> reply;
};

class Dispatcher {
 public:
  // fallbackVersion is used for replies to messages that carried no cwmp namespace.
  Dispatcher(Codec& codec, RpcHandler& handler, CwmpVersion fallbackVersion = CwmpVersion::k1_2)
      : codec_(codec), handler_(handler), fallbackVersion_(fallbackVersion) {}

  ServeResult serve(std::string_view body);

  // The handler's answer to one decoded request: a CpeResponse or a CwmpFault.
  std::variant<CpeResponse, CwmpFault> answer(const AcsRequest& request);

 private:
  Codec& codec_;
  RpcHandler& handler_;
  CwmpVersion fallbackVersion_;
};

inline ServeResult serve(Codec& codec, std::string_view body, RpcHandler& handler,
                         CwmpVersion fallbackVersion = CwmpVersion::k1_2) {
  return Dispatcher(codec, handler, fallbackVersion).serve(body);
}

}  // namespace tr69::cwmp
