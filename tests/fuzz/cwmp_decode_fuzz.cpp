// libFuzzer target for the CWMP decoder and the dispatcher that answers what it decodes.
// Every input must yield a decoded message (or a fault reply) without crashing, leaking or
// reading out of bounds; a request is answered through RejectingActions and an always-failing
// parameter part, so the fault encoders are exercised too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/dispatcher.h"
#include "tr69/cwmp/rpc_handler.h"

namespace {

using namespace tr69;
using namespace tr69::cwmp;

// Echoes what it was given, so that decoded strings go back through the encoder.
class EchoParameters final : public ParameterRpcs {
 public:
  Result<GetParameterNamesResponse> getParameterNames(const GetParameterNames& r) override {
    return GetParameterNamesResponse{{{r.parameterPath, r.nextLevel}}};
  }
  Result<GetParameterValuesResponse> getParameterValues(const GetParameterValues& r) override {
    GetParameterValuesResponse response;
    for (const auto& name : r.names)
      response.values.push_back({name, name, "xsd:string"});
    return response;
  }
  SetParameterValuesResult setParameterValues(const SetParameterValues& r) override {
    std::vector<ParameterFault> faults;
    for (const auto& v : r.values)
      faults.push_back({v.name, FaultCode::kInvalidParameterValue, v.value});
    if (faults.empty()) return SetParameterValuesResponse{0};
    return CwmpFault(FaultCode::kInvalidArguments, r.parameterKey, std::move(faults));
  }
  Result<GetParameterAttributesResponse> getParameterAttributes(
      const GetParameterAttributes& r) override {
    GetParameterAttributesResponse response;
    for (const auto& name : r.names)
      response.attributes.push_back({name, 1, {name}});
    return response;
  }
  Result<SetParameterAttributesResponse> setParameterAttributes(
      const SetParameterAttributes&) override {
    return Fault(FaultCode::kNotificationRejected, "rejected");
  }
  Result<AddObjectResponse> addObject(const AddObject& r) override {
    return Fault(FaultCode::kInvalidParameterName, r.objectName);
  }
  Result<DeleteObjectResponse> deleteObject(const DeleteObject&) override {
    return DeleteObjectResponse{0};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Codec codec(DecodeLimits{64 * 1024, 64, 1000});
  EchoParameters parameters;
  RejectingActions actions;
  CombinedRpcHandler handler(parameters, actions);
  std::string_view body(reinterpret_cast<const char*>(data), size);
  ServeResult result = serve(codec, body, handler);
  // A reply, when there is one, must be a complete envelope.
  if (result.reply && result.reply->find("</SOAP-ENV:Envelope>") == std::string::npos) {
    __builtin_trap();
  }
  return 0;
}
