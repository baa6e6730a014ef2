// The conformance checklist of ../shared/reference/cwmp.md §8, as far as an ACS can observe it.
// Each check is a function over what the ACS saw; a Violation names the checklist item (C<n>) or,
// for rules outside the numbered list, the section it comes from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acs/rpc.h"
#include "acs/soap.h"

namespace tr69::testacs {

struct Violation {
  int item = 0;      // checklist number (cwmp.md §8); 0 = a rule from another section
  std::string rule;  // "C7" or "§2.2"
  std::string text;
};
std::string describe(const Violation& violation);

// The HTTP headers of interest of one CPE POST.
struct PostHeaders {
  bool hasBody = false;
  std::optional<std::string> contentType;
  std::optional<std::string> soapAction;
  std::optional<std::string> contentLength;
};

// Forced-inform parameters of Device:1.0 (cwmp.md §7.2), which the Aastra data model keeps.
const std::vector<std::string>& defaultForcedInformParameters();

// C5 (SOAP POST headers) and C6 (empty POST headers).
std::vector<Violation> checkPostHeaders(const PostHeaders& headers);
// C4 (one envelope per message), §1.3 (one RPC in Body, unqualified argument elements).
std::vector<Violation> checkEnvelope(const Envelope& envelope);
// The Inform: C1 (Body holds an Inform), C4 (MaxEnvelopes 1), C62 (no duplicated single event),
// C69 (DeviceId), C70 (forced-inform parameters), C71 (CurrentTime), C87, §2.2 (arrayType,
// limits), §2.5 (required fields), §4.1/4.2 (known event codes, M events with their partner),
// §1.3 (xsi:type on every Value).
std::vector<Violation> checkInform(const Envelope& envelope,
                                   const std::vector<std::string>& forcedParameters);
// A CPE response to an ACS request: C7 (ID echoed, mustUnderstand=1), C8 (namespace), the
// response type, §3.1/C26 (fault structure), §3.4/C36-C40 (SetParameterValuesFault), C27
// (GetRPCMethods lists the required methods), C28 (xsi:type on GPV values), C43 (InstanceNumber),
// C55 (Download Status 1 with Unknown Times), C87 (dateTime).
std::vector<Violation> checkResponse(const Envelope& response, const std::string& requestId,
                                     const std::string& requestMethod,
                                     const std::string& sessionNamespace);
// The same with the response already parsed (parseResponse(response)), so the caller that keeps
// the parsed response does not parse a large one twice.
std::vector<Violation> checkResponse(const Envelope& response, const RpcResponse& parsed,
                                     const std::string& requestId, const std::string& requestMethod,
                                     const std::string& sessionNamespace);
// A TransferComplete: §2.4 (only after 7 TRANSFER COMPLETE + matching M event in this session's
// Inform), §3.2 (allowed FaultCodes), C57 (FaultString with a failure), C87, C8.
std::vector<Violation> checkTransferComplete(const Envelope& envelope, const InformMessage& inform,
                                             const std::string& sessionNamespace);

// RFC 3339-style xsd:dateTime with an explicit offset (C87); `allowRelative` accepts the
// offset-less relative-since-boot form with year < 1000.
bool isCwmpDateTime(std::string_view text, bool allowRelative = true);

// The order of messages in one session (C1, C2, C3, C11, C12, C13, C14).
class SessionOrder {
 public:
  enum class Kind { kInform, kCpeRequest, kResponse, kEmpty };

  // Call for every CPE POST of the session, before replying. `name` is the RPC name.
  std::vector<Violation> onCpeMessage(Kind kind, std::string_view name);
  // Call after the ACS replied: `empty` = 204 / empty body; `holdRequests` = HoldRequests true.
  void onAcsReply(bool empty, bool holdRequests);
  // The Inform's events (to know whether a TransferComplete is due, C11).
  void setTransferCompleteDue(bool due) { transferCompleteDue_ = due; }
  // True once both sides said they have nothing more (the session should be over).
  bool finished() const { return cpeDone_ && acsDone_; }
  bool cpeDone() const { return cpeDone_; }

 private:
  bool informSeen_ = false;
  bool holdNext_ = false;
  bool cpeDone_ = false;
  bool acsDone_ = false;
  bool lastWasEmptyPost_ = false;
  bool transferCompleteDue_ = false;
  bool transferCompleteSent_ = false;
};

// The CPE requests an ACS serves (sent by the CPE in a POST, answered in the HTTP response).
bool isCpeRequestMethod(std::string_view name);

}  // namespace tr69::testacs
