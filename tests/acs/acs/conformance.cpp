#include "acs/conformance.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <regex>
#include <set>

#include "tr69/base/fault.h"

namespace tr69::testacs {

namespace {

Violation item(int number, std::string text) {
  return {number, "C" + std::to_string(number), std::move(text)};
}

Violation rule(std::string section, std::string text) {
  return {0, std::move(section), std::move(text)};
}

bool isUnsignedInt(std::string_view text) {
  if (text.empty() || text.size() > 10) return false;
  std::uint64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size() &&
         value <= 0xffffffffull;
}

bool isBoolean(std::string_view text) {
  return text == "0" || text == "1" || text == "true" || text == "false";
}

std::string xsiTypeOf(pugi::xml_node value) {
  pugi::xml_attribute type = findAttribute(value, kXsiNs, "type");
  return type ? type.value() : "";
}

// §2.2: arrayType present, of the expected element type, with the right count.
void checkArray(pugi::xml_node array, std::string_view elementType, std::vector<Violation>& out) {
  if (!array) return;
  const std::string where = std::string(localName(array.name()));
  pugi::xml_attribute type = findAttribute(array, kSoapEncNs, "arrayType");
  if (!type) {
    out.push_back(rule("§2.2", where + " has no soap-enc:arrayType"));
    return;
  }
  const std::string text = type.value();
  const auto open = text.find('[');
  const std::size_t count = elementChildren(array).size();
  if (open == std::string::npos || text.back() != ']') {
    out.push_back(rule("§2.2", where + " arrayType '" + text + "' is malformed"));
    return;
  }
  if (localName(std::string_view(text).substr(0, open)) != elementType) {
    out.push_back(
        rule("§2.2", where + " arrayType '" + text + "' should be of " + std::string(elementType)));
  }
  if (text.substr(open + 1, text.size() - open - 2) != std::to_string(count)) {
    out.push_back(rule(
        "§2.2", where + " arrayType '" + text + "' but " + std::to_string(count) + " elements"));
  }
}

void checkValues(pugi::xml_node list, int itemNumber, std::vector<Violation>& out) {
  for (pugi::xml_node entry : elementChildren(list)) {
    const std::string name = childText(entry, "Name").value_or("");
    if (name.empty()) out.push_back(rule("§2.2", "ParameterValueStruct without a Name"));
    pugi::xml_node value = childByLocalName(entry, "Value");
    const std::string type = value ? xsiTypeOf(value) : std::string();
    if (!value) {
      out.push_back(rule("§9", "ParameterValueStruct " + name + " has no <Value>"));
    } else if (type.empty()) {
      out.push_back(itemNumber > 0 ? item(itemNumber, "Value of " + name + " has no xsi:type")
                                   : rule("§1.3", "Value of " + name + " has no xsi:type"));
    } else if (localName(type) == "dateTime" && !isCwmpDateTime(value.text().get())) {
      out.push_back(item(87, "dateTime value of " + name + " '" + value.text().get() +
                                 "' has no explicit offset"));
    }
  }
}

const std::set<std::string, std::less<>>& singleEventCodes() {
  static const std::set<std::string, std::less<>> kCodes = {
      "0 BOOTSTRAP",
      "1 BOOT",
      "2 PERIODIC",
      "3 SCHEDULED",
      "4 VALUE CHANGE",
      "5 KICKED",
      "6 CONNECTION REQUEST",
      "7 TRANSFER COMPLETE",
      "8 DIAGNOSTICS COMPLETE",
      "9 REQUEST DOWNLOAD",
      "10 AUTONOMOUS TRANSFER COMPLETE",
      "11 DU STATE CHANGE COMPLETE",
      "12 AUTONOMOUS DU STATE CHANGE COMPLETE",
      "13 WAKEUP",
      "14 HEARTBEAT"};
  return kCodes;
}

// The numeric event each standard M event needs beside it (§4.2).
const std::map<std::string, std::string, std::less<>>& multipleEventPartners() {
  static const std::map<std::string, std::string, std::less<>> kPartners = {
      {"M Reboot", "1 BOOT"},
      {"M ScheduleInform", "3 SCHEDULED"},
      {"M Download", "7 TRANSFER COMPLETE"},
      {"M Upload", "7 TRANSFER COMPLETE"},
      {"M ScheduleDownload", "7 TRANSFER COMPLETE"},
      {"M ChangeDUState", "11 DU STATE CHANGE COMPLETE"}};
  return kPartners;
}

bool inRange(std::uint32_t code, std::uint32_t low, std::uint32_t high) {
  return code >= low && code <= high;
}

std::uint32_t toUint(std::string_view text) {
  std::uint32_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

constexpr std::string_view kUnknownTime = "0001-01-01T00:00:00Z";

}  // namespace

std::string describe(const Violation& violation) {
  return violation.rule + ": " + violation.text;
}

const std::vector<std::string>& defaultForcedInformParameters() {
  static const std::vector<std::string> kForced = {"Device.DeviceSummary",
                                                   "Device.DeviceInfo.HardwareVersion",
                                                   "Device.DeviceInfo.SoftwareVersion",
                                                   "Device.ManagementServer.ParameterKey",
                                                   "Device.ManagementServer.ConnectionRequestURL",
                                                   "Device.LAN.IPAddress"};
  return kForced;
}

bool isCwmpDateTime(std::string_view text, bool allowRelative) {
  static const std::regex kWithOffset(
      R"(^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$)");
  static const std::regex kRelative(R"(^0\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$)");
  const std::string value(text);
  if (std::regex_match(value, kWithOffset)) return true;
  return allowRelative && std::regex_match(value, kRelative);
}

std::vector<Violation> checkPostHeaders(const PostHeaders& headers) {
  std::vector<Violation> out;
  if (headers.hasBody) {
    std::string type = headers.contentType.value_or("");
    std::transform(type.begin(), type.end(), type.begin(), ::tolower);
    type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
    if (type.rfind("text/xml", 0) != 0 || type.find("charset") == std::string::npos ||
        type.find("utf-8") == std::string::npos) {
      out.push_back(item(5, "SOAP POST has Content-Type '" + headers.contentType.value_or("") +
                                "', expected text/xml; charset=\"utf-8\""));
    }
    if (!headers.soapAction) out.push_back(item(5, "SOAP POST has no SOAPAction header"));
  } else {
    if (headers.contentLength.value_or("") != "0") {
      out.push_back(item(6, "empty POST without Content-Length: 0"));
    }
    if (headers.soapAction) out.push_back(item(6, "empty POST carries SOAPAction"));
    if (headers.contentType) out.push_back(item(6, "empty POST carries Content-Type"));
  }
  return out;
}

std::vector<Violation> checkEnvelope(const Envelope& envelope) {
  std::vector<Violation> out;
  if (envelope.topLevelElementCount != 1) {
    out.push_back(item(4, "message holds " + std::to_string(envelope.topLevelElementCount) +
                              " top-level elements (more than one envelope)"));
  }
  if (envelope.bodyElementCount != 1) {
    out.push_back(rule("§1.3", "Body holds " + std::to_string(envelope.bodyElementCount) +
                                   " elements, expected exactly one"));
  }
  if (envelope.method && !envelope.isFault()) {
    if (!isCwmpNamespace(envelope.methodNamespace)) {
      out.push_back(
          rule("§1.3", "method element " + envelope.methodName + " is not in a cwmp namespace"));
    }
    for (pugi::xml_node argument : elementChildren(envelope.method)) {
      if (!namespaceOf(argument).empty()) {
        out.push_back(rule("§1.3", "argument " + std::string(argument.name()) +
                                       " is namespace-qualified (must be unqualified)"));
      }
    }
  }
  return out;
}

std::vector<Violation> checkInform(const Envelope& envelope,
                                   const std::vector<std::string>& forcedParameters) {
  std::vector<Violation> out;
  if (envelope.methodName != "Inform" || !isCwmpNamespace(envelope.methodNamespace)) {
    out.push_back(item(
        1, "first message of the session is '" + envelope.methodName + "', not a cwmp Inform"));
    return out;
  }
  pugi::xml_node inform = envelope.method;
  for (const char* required :
       {"DeviceId", "Event", "MaxEnvelopes", "CurrentTime", "RetryCount", "ParameterList"}) {
    if (!childByLocalName(inform, required)) {
      out.push_back(rule("§2.4", std::string("Inform has no ") + required));
    }
  }
  if (!envelope.id) out.push_back(rule("§1.3", "Inform has no cwmp:ID header"));
  const InformMessage message = parseInform(inform);
  pugi::xml_node device = childByLocalName(inform, "DeviceId");
  for (const char* field : {"Manufacturer", "OUI", "ProductClass", "SerialNumber"}) {
    if (!childByLocalName(device, field)) {
      out.push_back(item(69, std::string("DeviceId has no ") + field));
    }
  }
  static const std::regex kOui("^[0-9A-F]{6}$");
  if (!std::regex_match(message.oui, kOui)) {
    out.push_back(item(69, "OUI '" + message.oui + "' is not 6 upper-case hex digits"));
  }
  if (message.manufacturer.empty() || message.manufacturer.size() > 64) {
    out.push_back(item(69, "Manufacturer empty or longer than 64"));
  }
  if (message.serialNumber.empty() || message.serialNumber.size() > 64) {
    out.push_back(item(69, "SerialNumber empty or longer than 64"));
  }
  if (message.productClass.size() > 64) out.push_back(item(69, "ProductClass longer than 64"));
  if (message.maxEnvelopes != "1") {
    out.push_back(item(4, "MaxEnvelopes is '" + message.maxEnvelopes + "', must be 1"));
  }
  if (!isUnsignedInt(message.retryCount)) {
    out.push_back(rule("§2.4", "RetryCount '" + message.retryCount + "' is not an unsignedInt"));
  }
  if (!isCwmpDateTime(message.currentTime, false)) {
    out.push_back(item(71, "CurrentTime '" + message.currentTime +
                               "' carries no UTC offset (and is not the Unknown Time)"));
  }
  pugi::xml_node events = childByLocalName(inform, "Event");
  checkArray(events, "EventStruct", out);
  if (message.events.size() > 64) out.push_back(rule("§2.2", "more than 64 events"));
  std::set<std::string, std::less<>> seenSingle;
  for (const EventStruct& event : message.events) {
    if (event.commandKey.size() > 32) {
      out.push_back(rule("§2.2", "CommandKey of " + event.code + " longer than 32"));
    }
    if (singleEventCodes().count(event.code)) {
      if (!seenSingle.insert(event.code).second) {
        out.push_back(item(62, "event '" + event.code + "' appears twice"));
      }
      continue;
    }
    if (event.code.rfind("M ", 0) == 0 || event.code.rfind("X ", 0) == 0) {
      auto partner = multipleEventPartners().find(event.code);
      if (partner != multipleEventPartners().end() && !message.hasEvent(partner->second)) {
        out.push_back(rule("§4.2", "'" + event.code + "' without '" + partner->second + "'"));
      }
      continue;
    }
    out.push_back(rule("§4.1", "unknown event code '" + event.code + "'"));
  }
  if (message.hasEvent("3 SCHEDULED") && !message.hasEvent("M ScheduleInform")) {
    out.push_back(rule("§4.1", "'3 SCHEDULED' without 'M ScheduleInform'"));
  }
  pugi::xml_node parameters = childByLocalName(inform, "ParameterList");
  checkArray(parameters, "ParameterValueStruct", out);
  checkValues(parameters, 0, out);
  for (const std::string& name : forcedParameters) {
    if (!message.parameter(name)) {
      out.push_back(item(70, "forced-inform parameter " + name + " missing from the Inform"));
    }
  }
  return out;
}

std::vector<Violation> checkResponse(const Envelope& response, const std::string& requestId,
                                     const std::string& requestMethod,
                                     const std::string& sessionNamespace) {
  return checkResponse(response, parseResponse(response), requestId, requestMethod,
                       sessionNamespace);
}

std::vector<Violation> checkResponse(const Envelope& response, const RpcResponse& parsed,
                                     const std::string& requestId, const std::string& requestMethod,
                                     const std::string& sessionNamespace) {
  std::vector<Violation> out;
  if (!response.id) {
    out.push_back(item(7, "response to " + requestMethod + " has no cwmp:ID"));
  } else {
    if (*response.id != requestId) {
      out.push_back(item(7, "response to " + requestMethod + " has cwmp:ID '" + *response.id +
                                "', request had '" + requestId + "'"));
    }
    if (!response.idMustUnderstand) {
      out.push_back(item(7, "cwmp:ID of the response lacks mustUnderstand=\"1\""));
    }
  }
  if (!response.cwmpNamespace.empty() && response.cwmpNamespace != sessionNamespace) {
    out.push_back(item(8, "response uses namespace " + response.cwmpNamespace + ", session uses " +
                              sessionNamespace));
  }
  if (response.isFault()) {
    if (parsed.soapFaultCode != "Client" && parsed.soapFaultCode != "Server") {
      out.push_back(
          rule("§3.1", "faultcode '" + parsed.soapFaultCode + "' is neither Client nor Server"));
    }
    if (!childByLocalName(response.method, "faultstring")) {
      out.push_back(rule("§3.1", "SOAP Fault has no faultstring"));
    }
    pugi::xml_node cwmpFault =
        childByLocalName(childByLocalName(response.method, "detail"), "Fault");
    if (!cwmpFault || !isCwmpNamespace(namespaceOf(cwmpFault))) {
      out.push_back(rule("§3.1", "SOAP Fault has no detail/cwmp:Fault"));
      return out;
    }
    if (!inRange(parsed.faultCode, 9000, 9899)) {
      out.push_back(rule("§3.2", "FaultCode " + std::to_string(parsed.faultCode) +
                                     " is not a CPE fault code (9000-9899)"));
    } else if (inRange(parsed.faultCode, 9000, 9021) && parsed.faultCode != 9020) {
      // 9020 is Client for some agents and Server for others (cwmp.md §3.2), so it is not checked.
      const bool client = isClientFault(static_cast<FaultCode>(parsed.faultCode));
      if (parsed.soapFaultCode != (client ? "Client" : "Server")) {
        out.push_back(item(26, "FaultCode " + std::to_string(parsed.faultCode) +
                                   " should have faultcode " + (client ? "Client" : "Server")));
      }
    }
    if (!parsed.setParameterValuesFaults.empty()) {
      if (requestMethod != "SetParameterValues") {
        out.push_back(rule("§3.4", "SetParameterValuesFault in a fault to " + requestMethod));
      }
      if (parsed.faultCode != 9003) {
        out.push_back(item(36, "SetParameterValuesFault entries under FaultCode " +
                                   std::to_string(parsed.faultCode) + ", expected 9003"));
      }
      for (const auto& entry : parsed.setParameterValuesFaults) {
        if (!inRange(entry.code, 9005, 9008)) {
          out.push_back(rule("§3.4", "SetParameterValuesFault for " + entry.name + " has code " +
                                         std::to_string(entry.code) + " (9005-9008 expected)"));
        }
        if (entry.name.empty()) {
          out.push_back(rule("§3.4", "SetParameterValuesFault without ParameterName"));
        }
      }
    }
    return out;
  }
  if (response.methodName != requestMethod + "Response") {
    out.push_back(item(7, "answer to " + requestMethod + " is " + response.methodName));
    return out;
  }
  pugi::xml_node method = response.method;
  auto requireField = [&](const char* name) -> std::string {
    auto text = childText(method, name);
    if (!text) out.push_back(rule("§2.3", response.methodName + " has no " + name));
    return text.value_or("");
  };
  auto checkStatus = [&]() {
    const std::string status = requireField("Status");
    if (status != "0" && status != "1" && !status.empty()) {
      out.push_back(rule("§2.3", response.methodName + " Status '" + status + "' is not 0 or 1"));
    }
    return status;
  };
  if (requestMethod == "GetParameterValues") {
    pugi::xml_node list = childByLocalName(method, "ParameterList");
    checkArray(list, "ParameterValueStruct", out);
    checkValues(list, 28, out);
  } else if (requestMethod == "GetParameterNames") {
    pugi::xml_node list = childByLocalName(method, "ParameterList");
    checkArray(list, "ParameterInfoStruct", out);
    for (pugi::xml_node entry : elementChildren(list)) {
      if (!isBoolean(childText(entry, "Writable").value_or(""))) {
        out.push_back(rule("§2.2", "ParameterInfoStruct " + childText(entry, "Name").value_or("") +
                                       " has no boolean Writable"));
      }
    }
  } else if (requestMethod == "GetParameterAttributes") {
    checkArray(childByLocalName(method, "ParameterList"), "ParameterAttributeStruct", out);
  } else if (requestMethod == "GetRPCMethods") {
    pugi::xml_node list = childByLocalName(method, "MethodList");
    checkArray(list, "string", out);
    for (const char* required :
         {"GetRPCMethods", "SetParameterValues", "GetParameterValues", "GetParameterNames",
          "SetParameterAttributes", "GetParameterAttributes", "AddObject", "DeleteObject", "Reboot",
          "Download"}) {
      const auto& methods = parsed.methodList;
      if (std::find(methods.begin(), methods.end(), required) == methods.end()) {
        out.push_back(item(27, std::string("MethodList lacks required method ") + required));
      }
    }
  } else if (requestMethod == "SetParameterValues" || requestMethod == "DeleteObject") {
    checkStatus();
  } else if (requestMethod == "AddObject") {
    checkStatus();
    const std::string instance = requireField("InstanceNumber");
    if (!isUnsignedInt(instance) || toUint(instance) < 1) {
      out.push_back(item(43, "InstanceNumber '" + instance + "' is not >= 1"));
    }
  } else if (requestMethod == "Download" || requestMethod == "Upload") {
    const std::string status = checkStatus();
    const std::string start = requireField("StartTime");
    const std::string complete = requireField("CompleteTime");
    for (const std::string& time : {start, complete}) {
      if (!isCwmpDateTime(time, false)) {
        out.push_back(item(87, response.methodName + " time '" + time + "' has no offset"));
      }
    }
    if (status == "1" && (start != kUnknownTime || complete != kUnknownTime)) {
      out.push_back(item(55, response.methodName + " Status 1 needs Unknown Times, got '" + start +
                                 "', '" + complete + "'"));
    }
  }
  return out;
}

std::vector<Violation> checkTransferComplete(const Envelope& envelope, const InformMessage& inform,
                                             const std::string& sessionNamespace) {
  std::vector<Violation> out;
  if (!envelope.cwmpNamespace.empty() && envelope.cwmpNamespace != sessionNamespace) {
    out.push_back(item(8, "TransferComplete uses namespace " + envelope.cwmpNamespace +
                              ", session uses " + sessionNamespace));
  }
  const TransferCompleteMessage message = parseTransferComplete(envelope.method);
  if (!inform.hasEvent("7 TRANSFER COMPLETE")) {
    out.push_back(rule("§2.4",
                       "TransferComplete in a session whose Inform lacks "
                       "'7 TRANSFER COMPLETE'"));
  }
  if (!inform.hasEvent("M Download", message.commandKey) &&
      !inform.hasEvent("M Upload", message.commandKey) &&
      !inform.hasEvent("M ScheduleDownload", message.commandKey)) {
    out.push_back(rule("§2.4", "TransferComplete CommandKey '" + message.commandKey +
                                   "' matches no M Download/M Upload/M ScheduleDownload event"));
  }
  const std::uint32_t code = message.faultCode;
  const bool allowed = code == 0 || code == 9001 || code == 9002 || code == 9010 || code == 9011 ||
                       code == 9012 || inRange(code, 9014, 9020) || inRange(code, 9033, 9899);
  if (!allowed ||
      !childByLocalName(childByLocalName(envelope.method, "FaultStruct"), "FaultCode")) {
    out.push_back(rule("§3.2", "TransferComplete FaultCode " + std::to_string(code) +
                                   " is not allowed (or missing)"));
  }
  if (code != 0 && message.faultString.empty()) {
    out.push_back(
        item(57, "TransferComplete failure " + std::to_string(code) + " without a FaultString"));
  }
  for (const std::string& time : {message.startTime, message.completeTime}) {
    if (!isCwmpDateTime(time, false)) {
      out.push_back(item(87, "TransferComplete time '" + time + "' has no offset"));
    }
  }
  return out;
}

bool isCpeRequestMethod(std::string_view name) {
  return name == "TransferComplete" || name == "AutonomousTransferComplete" ||
         name == "GetRPCMethods" || name == "RequestDownload" || name == "Kicked" ||
         name == "DUStateChangeComplete" || name == "AutonomousDUStateChangeComplete";
}

std::vector<Violation> SessionOrder::onCpeMessage(Kind kind, std::string_view name) {
  std::vector<Violation> out;
  const std::string what(name);
  if (finished()) {
    out.push_back(item(14, kind == Kind::kEmpty
                               ? std::string("extra empty POST after the session ended")
                               : "POST (" + what + ") after the session ended"));
  }
  if (!informSeen_) {
    if (kind != Kind::kInform) {
      out.push_back(item(kind == Kind::kCpeRequest ? 3 : 1,
                         "first POST of the session is " +
                             (kind == Kind::kEmpty ? std::string("empty") : what) +
                             ", not an Inform"));
    }
    informSeen_ = true;
  } else if (kind == Kind::kInform) {
    out.push_back(item(2, "second Inform in one session"));
  }
  if (kind == Kind::kCpeRequest) {
    if (holdNext_) {
      out.push_back(item(12, "CPE request " + what + " right after HoldRequests=true"));
    }
    if (name == "TransferComplete") transferCompleteSent_ = true;
  }
  if (kind == Kind::kEmpty) {
    if (transferCompleteDue_ && !transferCompleteSent_ && !holdNext_) {
      out.push_back(item(11, "empty POST before the pending TransferComplete"));
    }
    // An empty POST forced by HoldRequests does not mean the CPE has no more requests.
    if (!holdNext_) cpeDone_ = true;
  }
  lastWasEmptyPost_ = kind == Kind::kEmpty;
  holdNext_ = false;
  return out;
}

void SessionOrder::onAcsReply(bool empty, bool holdRequests) {
  holdNext_ = holdRequests;
  if (holdRequests) cpeDone_ = false;
  if (empty) acsDone_ = true;
}

}  // namespace tr69::testacs
