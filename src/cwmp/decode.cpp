// Decoding of ACS messages: gSOAP parses the envelope into its generated structs, which are
// converted here into the plain values of messages.h.
#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "soap_context.h"
#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/lexical.h"
#include "xml_guard.h"

namespace tr69::cwmp {
namespace {

bool isBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

BadMessage bad(BadMessage::Kind kind, FaultCode code, std::string detail) {
  BadMessage result;
  result.kind = kind;
  result.fault = CwmpFault(code, std::string(faultCodeText(code)));
  result.detail = std::move(detail);
  return result;
}

// Argument text quoted in fault messages, cut short and made printable.
std::string quote(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out = "'";
  for (char c : text.substr(0, kMax)) {
    out += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  if (text.size() > kMax) out += "...";
  return out + "'";
}

// Converts the lexical scalars of one request and remembers the first bad argument.
class ArgReader {
 public:
  bool boolean(const std::string& text, const char* name) {
    auto value = parseBoolean(text);
    if (!value) fail(name, text, "a boolean (0, 1, true, false)");
    return value.value_or(false);
  }
  std::uint32_t unsignedInt(const std::string& text, const char* name) {
    auto value = parseUnsignedInt(text);
    if (!value) fail(name, text, "an unsignedInt");
    return value.value_or(0);
  }
  int integer(const std::string& text, const char* name) {
    auto value = parseInt(text);
    if (!value) fail(name, text, "an int");
    return value.value_or(0);
  }
  const std::string& error() const { return error_; }

 private:
  void fail(const char* name, const std::string& text, const char* expected) {
    if (!error_.empty()) return;
    error_ = std::string(name) + ": " + (text.empty() ? "missing or empty" : quote(text)) +
             " is not " + expected;
  }
  std::string error_;
};

std::vector<std::string> strings(const ArrayOfString* array) {
  std::vector<std::string> out;
  if (array == nullptr || array->__ptrstring == nullptr) return out;
  out.assign(array->__ptrstring, array->__ptrstring + std::max(array->__size, 0));
  return out;
}

std::string normaliseType(const std::string& type) {
  if (type == "soapenc:base64" || type == "xsd:base64Binary") return std::string(xsd::kBase64);
  return type;
}

std::vector<ParameterValue> values(const ParameterValueArray* array) {
  std::vector<ParameterValue> out;
  if (array == nullptr || array->__ptrParameterValueStruct == nullptr) return out;
  out.reserve(static_cast<std::size_t>(std::max(array->__size, 0)));
  for (int i = 0; i < array->__size; ++i) {
    const auto& item = array->__ptrParameterValueStruct[i];
    out.push_back({item.Name, item.Value.__item, normaliseType(item.Value.xsi__type)});
  }
  return out;
}

template <class T, class Item, class Convert>
std::vector<T> convertArray(const Item* items, int size, Convert convert) {
  std::vector<T> out;
  if (items == nullptr) return out;
  out.reserve(static_cast<std::size_t>(std::max(size, 0)));
  for (int i = 0; i < size; ++i)
    out.push_back(convert(items[i]));
  return out;
}

// ---- one converter per ACS request: gSOAP request struct -> messages.h request ----

GetRPCMethods convert(const struct cwmp__GetRPCMethods&, ArgReader&) {
  return {};
}

GetParameterNames convert(const struct cwmp__GetParameterNames& in, ArgReader& args) {
  return {in.ParameterPath, args.boolean(in.NextLevel, "NextLevel")};
}

GetParameterValues convert(const struct cwmp__GetParameterValues& in, ArgReader&) {
  return {strings(in.ParameterNames)};
}

SetParameterValues convert(const struct cwmp__SetParameterValues& in, ArgReader&) {
  return {values(in.ParameterList), in.ParameterKey};
}

GetParameterAttributes convert(const struct cwmp__GetParameterAttributes& in, ArgReader&) {
  return {strings(in.ParameterNames)};
}

SetParameterAttributes convert(const struct cwmp__SetParameterAttributes& in, ArgReader& args) {
  SetParameterAttributes out;
  if (in.ParameterList == nullptr) return out;
  out.attributes = convertArray<SetParameterAttribute>(
      in.ParameterList->__ptrSetParameterAttributesStruct, in.ParameterList->__size,
      [&](const cwmp__SetParameterAttributesStruct& item) {
        SetParameterAttribute a;
        a.name = item.Name;
        a.notificationChange = args.boolean(item.NotificationChange, "NotificationChange");
        // Some ACSs send an empty <Notification/> when NotificationChange is false.
        if (a.notificationChange || !item.Notification.empty()) {
          a.notification = args.integer(item.Notification, "Notification");
        }
        a.accessListChange = args.boolean(item.AccessListChange, "AccessListChange");
        a.accessList = strings(item.AccessList);
        return a;
      });
  return out;
}

AddObject convert(const struct cwmp__AddObject& in, ArgReader&) {
  return {in.ObjectName, in.ParameterKey};
}

DeleteObject convert(const struct cwmp__DeleteObject& in, ArgReader&) {
  return {in.ObjectName, in.ParameterKey};
}

Reboot convert(const struct cwmp__Reboot& in, ArgReader&) {
  return {in.CommandKey};
}

FactoryReset convert(const struct cwmp__FactoryReset&, ArgReader&) {
  return {};
}

// The fields Download, Upload and ScheduleDownload share (gSOAP names them alike).
template <class In, class Out>
void convertTransferTarget(const In& in, Out& out) {
  out.commandKey = in.CommandKey;
  out.fileType = in.FileType;
  out.url = in.URL;
  out.username = in.Username;
  out.password = in.Password;
}

template <class In, class Out>
void convertDownloadTarget(const In& in, Out& out, ArgReader& args) {
  convertTransferTarget(in, out);
  out.fileSize = args.unsignedInt(in.FileSize, "FileSize");
  out.targetFileName = in.TargetFileName;
}

Download convert(const struct cwmp__Download& in, ArgReader& args) {
  Download out;
  convertDownloadTarget(in, out, args);
  out.delaySeconds = args.unsignedInt(in.DelaySeconds, "DelaySeconds");
  out.successUrl = in.SuccessURL;
  out.failureUrl = in.FailureURL;
  return out;
}

Upload convert(const struct cwmp__Upload& in, ArgReader& args) {
  Upload out;
  convertTransferTarget(in, out);
  out.delaySeconds = args.unsignedInt(in.DelaySeconds, "DelaySeconds");
  return out;
}

ScheduleInform convert(const struct cwmp__ScheduleInform& in, ArgReader& args) {
  return {args.unsignedInt(in.DelaySeconds, "DelaySeconds"), in.CommandKey};
}

GetQueuedTransfers convert(const struct cwmp__GetQueuedTransfers&, ArgReader&) {
  return {};
}

GetAllQueuedTransfers convert(const struct cwmp__GetAllQueuedTransfers&, ArgReader&) {
  return {};
}

ScheduleDownload convert(const struct cwmp__ScheduleDownload& in, ArgReader& args) {
  ScheduleDownload out;
  convertDownloadTarget(in, out, args);
  if (in.TimeWindowList != nullptr) {
    out.timeWindows = convertArray<TimeWindow>(
        in.TimeWindowList->__ptrTimeWindowStruct, in.TimeWindowList->__size,
        [&](const cwmp__TimeWindowStruct& item) {
          TimeWindow w;
          w.windowStart = args.unsignedInt(item.WindowStart, "WindowStart");
          w.windowEnd = args.unsignedInt(item.WindowEnd, "WindowEnd");
          w.windowMode = item.WindowMode;
          w.userMessage = item.UserMessage;
          w.maxRetries = args.integer(item.MaxRetries, "MaxRetries");
          return w;
        });
  }
  return out;
}

CancelTransfer convert(const struct cwmp__CancelTransfer& in, ArgReader&) {
  return {in.CommandKey};
}

// ---- ACS responses to CPE requests ----

InformResponse convert(const cwmp__InformResponse& in, ArgReader& args) {
  return {args.unsignedInt(in.MaxEnvelopes, "MaxEnvelopes")};
}

TransferCompleteResponse convert(const cwmp__TransferCompleteResponse&, ArgReader&) {
  return {};
}

AutonomousTransferCompleteResponse convert(const cwmp__AutonomousTransferCompleteResponse&,
                                           ArgReader&) {
  return {};
}

GetRPCMethodsResponse convert(const cwmp__GetRPCMethodsResponse& in, ArgReader&) {
  return {strings(in.MethodList)};
}

// ---- the table of body elements ----

template <class T>
using SoapGet = T* (*)(struct soap*, T*, const char*, const char*);
template <class T>
using SoapDefault = void (*)(struct soap*, T*);

// How a message that failed in gSOAP is reported.
BadMessage soapError(struct soap* soap, const char* where) {
  int error = soap->error;
  const char* text = soap_fault_string(soap);
  std::string detail = std::string(where) + ": " + (text != nullptr ? text : "parse error");
  if (error == SOAP_OCCURS || error == SOAP_LENGTH || error == SOAP_LEVEL || error == SOAP_EOM) {
    return bad(BadMessage::Kind::kTooLarge, FaultCode::kResourcesExceeded, std::move(detail));
  }
  return bad(BadMessage::Kind::kMalformed, FaultCode::kInvalidArguments, std::move(detail));
}

// Reads the body element as T, converts it and finishes the envelope. Wrap says where the
// converted value goes (AcsRequest or AcsResponse).
template <class Wrap, class T>
AcsMessageBody readBody(struct soap* soap, const char* tag, SoapDefault<T> setDefault,
                        SoapGet<T> get) {
  T parsed;
  setDefault(soap, &parsed);
  if (get(soap, &parsed, tag, nullptr) == nullptr || soap_body_end_in(soap) ||
      soap_envelope_end_in(soap) || soap_end_recv(soap)) {
    return soapError(soap, tag);
  }
  ArgReader args;
  auto converted = convert(parsed, args);
  if (!args.error().empty()) {
    BadMessage result = bad(BadMessage::Kind::kMalformed, FaultCode::kInvalidArguments,
                            tag + (": " + args.error()));
    result.fault.message = args.error();
    return result;
  }
  return Wrap(std::move(converted));
}

struct BodyEntry {
  const char* tag;
  AcsMessageBody (*read)(struct soap*, const char*);
};

#define TR69_REQUEST(name)                                                              \
  BodyEntry {                                                                           \
    "cwmp:" #name, [](struct soap* s, const char* t) {                                  \
      return readBody<AcsRequest, struct cwmp__##name>(s, t, soap_default_cwmp__##name, \
                                                       soap_get_cwmp__##name);          \
    }                                                                                   \
  }
#define TR69_RESPONSE(name)                                                              \
  BodyEntry {                                                                            \
    "cwmp:" #name, [](struct soap* s, const char* t) {                                   \
      return readBody<AcsResponse, struct cwmp__##name>(s, t, soap_default_cwmp__##name, \
                                                        soap_get_cwmp__##name);          \
    }                                                                                    \
  }

const BodyEntry kBodies[] = {
    TR69_REQUEST(GetRPCMethods),
    TR69_REQUEST(GetParameterNames),
    TR69_REQUEST(GetParameterValues),
    TR69_REQUEST(SetParameterValues),
    TR69_REQUEST(GetParameterAttributes),
    TR69_REQUEST(SetParameterAttributes),
    TR69_REQUEST(AddObject),
    TR69_REQUEST(DeleteObject),
    TR69_REQUEST(Reboot),
    TR69_REQUEST(FactoryReset),
    TR69_REQUEST(Download),
    TR69_REQUEST(Upload),
    TR69_REQUEST(ScheduleInform),
    TR69_REQUEST(GetQueuedTransfers),
    TR69_REQUEST(GetAllQueuedTransfers),
    TR69_REQUEST(ScheduleDownload),
    TR69_REQUEST(CancelTransfer),
    TR69_RESPONSE(InformResponse),
    TR69_RESPONSE(TransferCompleteResponse),
    TR69_RESPONSE(AutonomousTransferCompleteResponse),
    TR69_RESPONSE(GetRPCMethodsResponse),
};
#undef TR69_REQUEST
#undef TR69_RESPONSE

AcsMessageBody readFault(struct soap* soap) {
  SOAP_ENV__Fault parsed;
  soap_default_SOAP_ENV__Fault(soap, &parsed);
  if (soap_get_SOAP_ENV__Fault(soap, &parsed, "SOAP-ENV:Fault", nullptr) == nullptr ||
      soap_body_end_in(soap) || soap_envelope_end_in(soap) || soap_end_recv(soap)) {
    return soapError(soap, "SOAP-ENV:Fault");
  }
  AcsFault fault;
  if (parsed.faultcode != nullptr) {
    // gSOAP writes an unprefixed QName as "":Client; report it as sent.
    std::string_view code(parsed.faultcode);
    if (code.substr(0, 3) == "\"\":") code.remove_prefix(3);
    fault.faultCode = std::string(code);
  }
  if (parsed.faultstring != nullptr) fault.faultString = parsed.faultstring;
  if (parsed.detail != nullptr && parsed.detail->cwmp__Fault != nullptr) {
    fault.cwmpCode = parseUnsignedInt(parsed.detail->cwmp__Fault->FaultCode).value_or(0);
    fault.cwmpMessage = parsed.detail->cwmp__Fault->FaultString;
  }
  return fault;
}

std::optional<CwmpVersion> versionOf(std::string_view uri) {
  constexpr std::string_view kPrefix = "urn:dslforum-org:cwmp-1-";
  if (uri.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view minor = uri.substr(kPrefix.size());
  if (minor == "0") return CwmpVersion::k1_0;
  if (minor == "1") return CwmpVersion::k1_1;
  return CwmpVersion::k1_2;  // 1-2, and the non-standard 1-3 some peers send
}

std::string localName(const char* tag) {
  std::string_view name(tag);
  auto colon = name.rfind(':');
  if (colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return std::string(name.substr(0, 64));
}

}  // namespace

AcsMessage Codec::decodeAcsMessage(std::string_view body) {
  AcsMessage message;
  if (isBlank(body)) {
    message.body = EmptyBody{};
    return message;
  }
  if (body.size() > limits_.maxEnvelopeBytes) {
    message.body =
        bad(BadMessage::Kind::kTooLarge, FaultCode::kResourcesExceeded,
            "envelope of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                std::to_string(limits_.maxEnvelopeBytes));
    return message;
  }
  switch (scanXml(body, limits_.maxDepth)) {
    case XmlGuardVerdict::kOk:
      break;
    case XmlGuardVerdict::kDoctype:
      message.body = bad(BadMessage::Kind::kMalformed, FaultCode::kInvalidArguments,
                         "document type declarations are not allowed in SOAP messages");
      return message;
    case XmlGuardVerdict::kMismatchedTag:
      message.body = bad(BadMessage::Kind::kMalformed, FaultCode::kInvalidArguments,
                         "an end tag does not match its start tag");
      return message;
    case XmlGuardVerdict::kTooDeep:
      message.body =
          bad(BadMessage::Kind::kTooLarge, FaultCode::kResourcesExceeded,
              "XML nesting deeper than " + std::to_string(limits_.maxDepth) + " elements");
      return message;
  }

  impl_->beginDecode(body);
  struct soap* soap = impl_->soap();
  auto finish = [&](AcsMessageBody result) {
    message.version = versionOf(impl_->inputCwmpNamespace());
    message.body = std::move(result);
    return std::move(message);
  };

  if (soap_begin_recv(soap) || soap_envelope_begin_in(soap)) {
    if (soap->version != 1) {
      return finish(
          bad(BadMessage::Kind::kNotSoap, FaultCode::kInvalidArguments, "not a SOAP 1.1 envelope"));
    }
    return finish(soapError(soap, "SOAP-ENV:Envelope"));
  }
  if (soap->version != 1) {
    // gSOAP reads non-SOAP XML (an HTML error page, say) without complaint; refuse it here.
    return finish(
        bad(BadMessage::Kind::kNotSoap, FaultCode::kInvalidArguments, "not a SOAP 1.1 envelope"));
  }
  if (soap_recv_header(soap)) return finish(soapError(soap, "SOAP-ENV:Header"));
  if (const SOAP_ENV__Header* header = soap->header) {
    if (header->cwmp__ID != nullptr) message.header.id = *header->cwmp__ID;
    if (header->cwmp__HoldRequests != nullptr) {
      message.header.holdRequests = parseBoolean(*header->cwmp__HoldRequests).value_or(false);
    }
    if (header->cwmp__UseCWMPVersion != nullptr) {
      message.header.useCwmpVersion = *header->cwmp__UseCWMPVersion;
    }
  }
  if (!impl_->notUnderstoodHeader().empty()) {
    return finish(bad(BadMessage::Kind::kMustUnderstand, FaultCode::kInvalidArguments,
                      "header " + localName(impl_->notUnderstoodHeader().c_str()) +
                          " has mustUnderstand=\"1\" and is not understood"));
  }
  if (soap_body_begin_in(soap)) return finish(soapError(soap, "SOAP-ENV:Body"));
  if (soap_peek_element(soap)) {
    return finish(bad(BadMessage::Kind::kMalformed, FaultCode::kInvalidArguments,
                      "the SOAP Body holds no element"));
  }
  if (soap_match_tag(soap, soap->tag, "SOAP-ENV:Fault") == SOAP_OK) {
    return finish(readFault(soap));
  }
  for (const BodyEntry& entry : kBodies) {
    if (soap_match_tag(soap, soap->tag, entry.tag) == SOAP_OK) {
      return finish(entry.read(soap, entry.tag));
    }
  }
  std::string method = localName(soap->tag);
  BadMessage unknown = bad(BadMessage::Kind::kUnknownMethod, FaultCode::kMethodNotSupported,
                           "method " + method + " is not supported");
  unknown.fault.message = "Method not supported: " + method;
  return finish(std::move(unknown));
}

AcsMessage decodeAcsMessage(std::string_view body, const DecodeLimits& limits) {
  Codec codec(limits);
  return codec.decodeAcsMessage(body);
}

}  // namespace tr69::cwmp
