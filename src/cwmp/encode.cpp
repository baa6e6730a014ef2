// Encoding of CPE messages: messages.h values -> gSOAP generated structs -> envelope text.
// Every string goes through text() (toXmlText), so what gSOAP escapes is always valid XML; the
// whole-tree ParameterLists are written directly (spliceParameterList below).
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "soap_context.h"
#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/lexical.h"

namespace tr69::cwmp {

using namespace std::string_view_literals;

namespace {

std::string text(std::string_view value) {
  return toXmlText(value);
}
std::string number(std::uint64_t value) {
  return std::to_string(value);
}
std::string integer(int value) {
  return std::to_string(value);
}
std::string boolean(bool value) {
  return value ? "1" : "0";
}
std::string dateTime(const std::string& value) {
  return value.empty() ? std::string(kUnknownTime) : text(value);
}

template <class T>
using SoapSerialize = void (*)(struct soap*, const T*);
template <class T>
using SoapPut = int (*)(struct soap*, const T*, const char*, const char*);

// Builds gSOAP values in the context's managed heap for one outgoing message.
class Builder {
 public:
  explicit Builder(struct soap* soap) : soap_(soap) {}

  ArrayOfString* strings(const std::vector<std::string>& items) {
    auto* array = soap_new_ArrayOfString(soap_);
    array->__size = static_cast<int>(items.size());
    // A zero-length allocation (not nullptr) makes gSOAP write arrayType="...[0]".
    array->__ptrstring = soap_new_std__string(soap_, array->__size);
    for (std::size_t i = 0; i < items.size(); ++i)
      array->__ptrstring[i] = text(items[i]);
    return array;
  }

  ParameterValueArray* values(const std::vector<ParameterValue>& items) {
    auto* array = soap_new_ParameterValueArray(soap_);
    array->__size = static_cast<int>(items.size());
    array->__ptrParameterValueStruct = soap_new_cwmp__ParameterValueStruct(soap_, array->__size);
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto& out = array->__ptrParameterValueStruct[i];
      out.Name = text(items[i].name);
      out.Value.__item = text(items[i].value);
      out.Value.xsi__type = items[i].type.empty() ? std::string(xsd::kString) : items[i].type;
    }
    return array;
  }

  // A gSOAP array class holding `count` default items.
  template <class Array, class Item>
  Array* array(Array* (*newArray)(struct soap*, int), Item* (*newItems)(struct soap*, int),
               Item* Array::*items, std::size_t count) {
    Array* out = newArray(soap_, -1);
    out->__size = static_cast<int>(count);
    out->*items = newItems(soap_, out->__size);  // never nullptr: see strings()
    return out;
  }

  struct soap* soap() {
    return soap_;
  }

 private:
  struct soap* soap_;
};

cwmp__TransferCompleteFaultStruct* transferFault(Builder& b, const TransferFault& fault) {
  auto* out = soap_new_cwmp__TransferCompleteFaultStruct(b.soap());
  out->FaultCode = number(fault.code);
  out->FaultString = text(fault.message);
  return out;
}

// ---- one builder per CPE response ----

cwmp__GetRPCMethodsResponse build(Builder& b, const GetRPCMethodsResponse& in) {
  cwmp__GetRPCMethodsResponse out;
  out.MethodList = b.strings(in.methods);
  return out;
}

cwmp__GetParameterNamesResponse build(Builder& b, const GetParameterNamesResponse& in) {
  auto* list = b.array(soap_new_ParameterInfoArray, soap_new_cwmp__ParameterInfoStruct,
                       &ParameterInfoArray::__ptrParameterInfoStruct, in.parameters.size());
  for (std::size_t i = 0; i < in.parameters.size(); ++i) {
    list->__ptrParameterInfoStruct[i].Name = text(in.parameters[i].name);
    list->__ptrParameterInfoStruct[i].Writable = boolean(in.parameters[i].writable);
  }
  cwmp__GetParameterNamesResponse out;
  out.ParameterList = list;
  return out;
}

cwmp__SetParameterValuesResponse build(Builder&, const SetParameterValuesResponse& in) {
  cwmp__SetParameterValuesResponse out;
  out.Status = integer(in.status);
  return out;
}

cwmp__GetParameterAttributesResponse build(Builder& b, const GetParameterAttributesResponse& in) {
  auto* list =
      b.array(soap_new_ParameterAttributeArray, soap_new_cwmp__ParameterAttributeStruct,
              &ParameterAttributeArray::__ptrParameterAttributeStruct, in.attributes.size());
  for (std::size_t i = 0; i < in.attributes.size(); ++i) {
    auto& out = list->__ptrParameterAttributeStruct[i];
    out.Name = text(in.attributes[i].name);
    out.Notification = integer(in.attributes[i].notification);
    out.AccessList = b.strings(in.attributes[i].accessList);
  }
  cwmp__GetParameterAttributesResponse out;
  out.ParameterList = list;
  return out;
}

cwmp__SetParameterAttributesResponse build(Builder&, const SetParameterAttributesResponse&) {
  return {};
}

cwmp__AddObjectResponse build(Builder&, const AddObjectResponse& in) {
  cwmp__AddObjectResponse out;
  out.InstanceNumber = number(in.instanceNumber);
  out.Status = integer(in.status);
  return out;
}

cwmp__DeleteObjectResponse build(Builder&, const DeleteObjectResponse& in) {
  cwmp__DeleteObjectResponse out;
  out.Status = integer(in.status);
  return out;
}

cwmp__RebootResponse build(Builder&, const RebootResponse&) {
  return {};
}

cwmp__FactoryResetResponse build(Builder&, const FactoryResetResponse&) {
  return {};
}

cwmp__DownloadResponse build(Builder&, const DownloadResponse& in) {
  cwmp__DownloadResponse out;
  out.Status = integer(in.status);
  out.StartTime = dateTime(in.startTime);
  out.CompleteTime = dateTime(in.completeTime);
  return out;
}

cwmp__UploadResponse build(Builder&, const UploadResponse& in) {
  cwmp__UploadResponse out;
  out.Status = integer(in.status);
  out.StartTime = dateTime(in.startTime);
  out.CompleteTime = dateTime(in.completeTime);
  return out;
}

cwmp__ScheduleInformResponse build(Builder&, const ScheduleInformResponse&) {
  return {};
}

cwmp__GetQueuedTransfersResponse build(Builder& b, const GetQueuedTransfersResponse& in) {
  auto* list = b.array(soap_new_QueuedTransferArray, soap_new_cwmp__QueuedTransferStruct,
                       &QueuedTransferArray::__ptrQueuedTransferStruct, in.transfers.size());
  for (std::size_t i = 0; i < in.transfers.size(); ++i) {
    list->__ptrQueuedTransferStruct[i].CommandKey = text(in.transfers[i].commandKey);
    list->__ptrQueuedTransferStruct[i].State = integer(in.transfers[i].state);
  }
  cwmp__GetQueuedTransfersResponse out;
  out.TransferList = list;
  return out;
}

cwmp__GetAllQueuedTransfersResponse build(Builder& b, const GetAllQueuedTransfersResponse& in) {
  auto* list = b.array(soap_new_AllQueuedTransferArray, soap_new_cwmp__AllQueuedTransferStruct,
                       &AllQueuedTransferArray::__ptrAllQueuedTransferStruct, in.transfers.size());
  for (std::size_t i = 0; i < in.transfers.size(); ++i) {
    auto& out = list->__ptrAllQueuedTransferStruct[i];
    const auto& item = in.transfers[i];
    out.CommandKey = text(item.commandKey);
    out.State = integer(item.state);
    out.IsDownload = boolean(item.isDownload);
    out.FileType = text(item.fileType);
    out.FileSize = number(item.fileSize);
    out.TargetFileName = text(item.targetFileName);
  }
  cwmp__GetAllQueuedTransfersResponse out;
  out.TransferList = list;
  return out;
}

cwmp__ScheduleDownloadResponse build(Builder&, const ScheduleDownloadResponse&) {
  return {};
}

cwmp__CancelTransferResponse build(Builder&, const CancelTransferResponse&) {
  return {};
}

// ---- CPE requests ----

struct cwmp__Inform build(Builder& b, const Inform& in) {
  struct cwmp__Inform out;
  soap_default_cwmp__Inform(b.soap(), &out);
  out.DeviceId = soap_new_cwmp__DeviceIdStruct(b.soap());
  out.DeviceId->Manufacturer = text(in.deviceId.manufacturer);
  out.DeviceId->OUI = text(in.deviceId.oui);
  out.DeviceId->ProductClass = text(in.deviceId.productClass);
  out.DeviceId->SerialNumber = text(in.deviceId.serialNumber);
  out.Event = b.array(soap_new_EventArray, soap_new_cwmp__EventStruct,
                      &EventArray::__ptrEventStruct, in.events.size());
  for (std::size_t i = 0; i < in.events.size(); ++i) {
    out.Event->__ptrEventStruct[i].EventCode = text(in.events[i].eventCode);
    out.Event->__ptrEventStruct[i].CommandKey = text(in.events[i].commandKey);
  }
  out.MaxEnvelopes = number(in.maxEnvelopes);
  out.CurrentTime = dateTime(in.currentTime);
  out.RetryCount = number(in.retryCount);
  out.ParameterList = b.values(in.parameters);
  return out;
}

struct cwmp__TransferComplete build(Builder& b, const TransferComplete& in) {
  struct cwmp__TransferComplete out;
  soap_default_cwmp__TransferComplete(b.soap(), &out);
  out.CommandKey = text(in.commandKey);
  out.FaultStruct = transferFault(b, in.fault);
  out.StartTime = dateTime(in.startTime);
  out.CompleteTime = dateTime(in.completeTime);
  return out;
}

struct cwmp__AutonomousTransferComplete build(Builder& b, const AutonomousTransferComplete& in) {
  struct cwmp__AutonomousTransferComplete out;
  soap_default_cwmp__AutonomousTransferComplete(b.soap(), &out);
  out.AnnounceURL = text(in.announceUrl);
  out.TransferURL = text(in.transferUrl);
  out.IsDownload = boolean(in.isDownload);
  out.FileType = text(in.fileType);
  out.FileSize = number(in.fileSize);
  out.TargetFileName = text(in.targetFileName);
  out.FaultStruct = transferFault(b, in.fault);
  out.StartTime = dateTime(in.startTime);
  out.CompleteTime = dateTime(in.completeTime);
  return out;
}

struct cwmp__GetRPCMethods build(Builder&, const GetRPCMethods&) {
  return {};
}

// Serialises header + one body element; "" only if gSOAP itself failed (out of memory).
template <class T>
std::string writeEnvelope(Codec::Impl& impl, const T& body, const char* tag,
                          SoapSerialize<T> serialize, SoapPut<T> put) {
  struct soap* soap = impl.soap();
  soap_serializeheader(soap);
  serialize(soap, &body);
  if (soap_begin_send(soap) || soap_envelope_begin_out(soap) || soap_putheader(soap) ||
      soap_body_begin_out(soap) || put(soap, &body, tag, "") || soap_body_end_out(soap) ||
      soap_envelope_end_out(soap) || soap_end_send(soap)) {
    return {};
  }
  return impl.takeOutput();
}

// write(impl, builder, value): the whole envelope for one message type.
#define TR69_WRITER(Value, name)                                                                   \
  std::string write(Codec::Impl& impl, Builder& b, const Value& value) {                           \
    return writeEnvelope<struct cwmp__##name>(impl, build(b, value), "cwmp:" #name,                \
                                              soap_serialize_cwmp__##name, soap_put_cwmp__##name); \
  }
TR69_WRITER(GetRPCMethodsResponse, GetRPCMethodsResponse)
TR69_WRITER(SetParameterValuesResponse, SetParameterValuesResponse)
TR69_WRITER(GetParameterAttributesResponse, GetParameterAttributesResponse)
TR69_WRITER(SetParameterAttributesResponse, SetParameterAttributesResponse)
TR69_WRITER(AddObjectResponse, AddObjectResponse)
TR69_WRITER(DeleteObjectResponse, DeleteObjectResponse)
TR69_WRITER(RebootResponse, RebootResponse)
TR69_WRITER(FactoryResetResponse, FactoryResetResponse)
TR69_WRITER(DownloadResponse, DownloadResponse)
TR69_WRITER(UploadResponse, UploadResponse)
TR69_WRITER(ScheduleInformResponse, ScheduleInformResponse)
TR69_WRITER(GetQueuedTransfersResponse, GetQueuedTransfersResponse)
TR69_WRITER(GetAllQueuedTransfersResponse, GetAllQueuedTransfersResponse)
TR69_WRITER(ScheduleDownloadResponse, ScheduleDownloadResponse)
TR69_WRITER(CancelTransferResponse, CancelTransferResponse)
TR69_WRITER(Inform, Inform)
TR69_WRITER(TransferComplete, TransferComplete)
TR69_WRITER(AutonomousTransferComplete, AutonomousTransferComplete)
TR69_WRITER(GetRPCMethods, GetRPCMethods)
#undef TR69_WRITER

// xsi:type values gSOAP's QName conversion copies unchanged (every type the agent writes).
bool isPlainQName(std::string_view type) {
  return !type.empty() && std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
           c == '_' || c == '.' || c == '-';
  });
}

// <tag>text</tag>, or <tag/> when empty, as gSOAP writes a string element.
void appendElement(std::string& out, std::string_view tag, std::string_view text) {
  out.push_back('<');
  out.append(tag);
  if (text.empty()) {
    out.append("/>"sv);
    return;
  }
  out.push_back('>');
  appendXmlText(out, text, XmlEscape::kText);
  out.append("</"sv);
  out.append(tag);
  out.push_back('>');
}

// The two whole-tree responses (GetParameterNames and GetParameterValues: 2,000+ items, up to
// 350 KB) write their ParameterList items here, byte for byte as gSOAP writes them, into the
// envelope gSOAP writes around an empty list: gSOAP's character-by-character output was most of
// the time of a whole-tree GetParameterValues. tests/cwmp/list_writer_test.cpp compares both
// ways on the same items (the Inform's ParameterList stays on gSOAP and is the reference).
// `writeItems(out)` appends the items; `estimate` is their approximate size.
template <class WriteItems>
std::string spliceParameterList(std::string envelope, std::string_view itemType, std::size_t count,
                                std::size_t estimate, WriteItems writeItems) {
  constexpr std::string_view kClose = "</ParameterList>";
  const std::string emptyList = std::string(itemType) + "[0]\">" + std::string(kClose);
  const std::size_t at = envelope.rfind(emptyList);
  if (at == std::string::npos) return {};  // gSOAP failed: no envelope
  std::string xml;
  xml.reserve(envelope.size() + estimate + estimate / 8);
  xml.append(envelope, 0, at);
  xml.append(itemType);
  xml.push_back('[');
  xml.append(std::to_string(count));
  xml.append("]\">"sv);
  writeItems(xml);
  xml.append(envelope, at + emptyList.size() - kClose.size());
  return xml;
}

std::string write(Codec::Impl& impl, Builder& b, const GetParameterValuesResponse& value) {
  auto viaGsoap = [&](const std::vector<ParameterValue>& items) {
    cwmp__GetParameterValuesResponse out;
    out.ParameterList = b.values(items);
    return writeEnvelope<struct cwmp__GetParameterValuesResponse>(
        impl, out, "cwmp:GetParameterValuesResponse",
        soap_serialize_cwmp__GetParameterValuesResponse, soap_put_cwmp__GetParameterValuesResponse);
  };
  const auto& items = value.values;
  std::size_t estimate = 0;
  for (const auto& item : items) {
    if (!item.type.empty() && !isPlainQName(item.type)) return viaGsoap(items);
    estimate += item.name.size() + item.value.size() + item.type.size() + 96;
  }
  return spliceParameterList(
      viaGsoap({}), "ParameterValueStruct", items.size(), estimate, [&](std::string& xml) {
        for (const auto& item : items) {
          xml.append("<ParameterValueStruct>"sv);
          appendElement(xml, "Name", item.name);
          xml.append("<Value xsi:type=\""sv);
          xml.append(item.type.empty() ? xsd::kString : std::string_view(item.type));
          xml.push_back('"');
          if (item.value.empty()) {
            xml.append("/>"sv);
          } else {
            xml.push_back('>');
            appendXmlText(xml, item.value, XmlEscape::kText);
            xml.append("</Value>"sv);
          }
          xml.append("</ParameterValueStruct>"sv);
        }
      });
}

std::string write(Codec::Impl& impl, Builder& b, const GetParameterNamesResponse& value) {
  GetParameterNamesResponse empty;
  std::string envelope = writeEnvelope<struct cwmp__GetParameterNamesResponse>(
      impl, build(b, empty), "cwmp:GetParameterNamesResponse",
      soap_serialize_cwmp__GetParameterNamesResponse, soap_put_cwmp__GetParameterNamesResponse);
  const auto& items = value.parameters;
  std::size_t estimate = 0;
  for (const auto& item : items)
    estimate += item.name.size() + 80;
  return spliceParameterList(
      std::move(envelope), "ParameterInfoStruct", items.size(), estimate, [&](std::string& xml) {
        for (const auto& item : items) {
          xml.append("<ParameterInfoStruct>"sv);
          appendElement(xml, "Name", item.name);
          xml.append(item.writable ? "<Writable>1</Writable>"sv : "<Writable>0</Writable>"sv);
          xml.append("</ParameterInfoStruct>"sv);
        }
      });
}

std::string writeFault(Codec::Impl& impl, const char* faultCode, const char* faultString,
                       cwmp__FaultStruct* detail) {
  struct soap* soap = impl.soap();
  soap_fault(soap);
  soap->fault->faultcode = soap_strdup(soap, faultCode);
  soap->fault->faultstring = soap_strdup(soap, faultString);
  if (detail != nullptr) {
    soap->fault->detail = soap_new_SOAP_ENV__Detail(soap);
    soap_default_SOAP_ENV__Detail(soap, soap->fault->detail);
    soap->fault->detail->cwmp__Fault = detail;
  }
  soap_serializeheader(soap);
  soap_serializefault(soap);
  if (soap_begin_send(soap) || soap_envelope_begin_out(soap) || soap_putheader(soap) ||
      soap_body_begin_out(soap) || soap_putfault(soap) || soap_body_end_out(soap) ||
      soap_envelope_end_out(soap) || soap_end_send(soap)) {
    return {};
  }
  return impl.takeOutput();
}

}  // namespace

std::string Codec::encodeResponse(const CpeResponse& response, const EnvelopeInfo& info) {
  impl_->beginEncode(info.version, info.id);
  Builder builder(impl_->soap());
  return std::visit([&](const auto& value) { return write(*impl_, builder, value); }, response);
}

std::string Codec::encodeRequest(const CpeRequest& request, const EnvelopeInfo& info) {
  impl_->beginEncode(info.version, info.id);
  Builder builder(impl_->soap());
  return std::visit([&](const auto& value) { return write(*impl_, builder, value); }, request);
}

std::string Codec::encodeFault(const CwmpFault& fault, const EnvelopeInfo& info) {
  impl_->beginEncode(info.version, info.id);
  struct soap* soap = impl_->soap();
  auto* detail = soap_new_cwmp__FaultStruct(soap);
  detail->FaultCode = number(static_cast<std::uint32_t>(fault.code));
  detail->FaultString =
      text(fault.message.empty() ? std::string(faultCodeText(fault.code)) : fault.message);
  for (const ParameterFault& parameter : fault.parameterFaults) {
    cwmp__SetParameterValuesFault entry;
    entry.ParameterName = text(parameter.name);
    entry.FaultCode = number(static_cast<std::uint32_t>(parameter.code));
    entry.FaultString = text(parameter.message.empty() ? std::string(faultCodeText(parameter.code))
                                                       : parameter.message);
    detail->SetParameterValuesFault.push_back(std::move(entry));
  }
  return writeFault(*impl_, isClientFault(fault.code) ? "Client" : "Server", "CWMP fault", detail);
}

std::string Codec::encodeBadMessageReply(const BadMessage& bad, const EnvelopeInfo& info) {
  if (bad.kind != BadMessage::Kind::kMustUnderstand) return encodeFault(bad.fault, info);
  impl_->beginEncode(info.version, info.id);
  return writeFault(*impl_, "SOAP-ENV:MustUnderstand", "A mandatory SOAP header was not understood",
                    nullptr);
}

}  // namespace tr69::cwmp
