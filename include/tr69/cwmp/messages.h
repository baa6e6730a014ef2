// The CWMP messages as plain C++ values (TR-069 / cwmp-1-x.xsd). The codec (codec.h) turns SOAP
// envelopes into these and back; no gSOAP type appears here.
//
// Conventions:
// * Scalars that the schema types as int/unsignedInt/boolean are C++ numbers and bools; the codec
//   parses and formats them (bad lexical forms from the ACS give fault 9003).
// * Parameter values cross the codec as their lexical string plus the xsi:type name
//   ("xsd:string", "xsd:unsignedInt", "xsd:int", "xsd:boolean", "xsd:dateTime", "xsd:base64",
//   "xsd:long", "xsd:unsignedLong"); see ParameterValue.
// * dateTime fields are kept as text, so the unknown time 0001-01-01T00:00:00Z and relative
//   (since-boot) times pass unchanged; lexical.h formats and checks them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tr69/base/fault.h"

namespace tr69::cwmp {

// The cwmp namespace of a message. CWMP 1.2, 1.3 and 1.4 all use urn:dslforum-org:cwmp-1-2.
enum class CwmpVersion { k1_0, k1_1, k1_2 };

std::string_view namespaceUri(CwmpVersion version);

// "xsd:string" etc.: the value types of TR-106 as written in xsi:type.
namespace xsd {
inline constexpr std::string_view kString = "xsd:string";
inline constexpr std::string_view kInt = "xsd:int";
inline constexpr std::string_view kUnsignedInt = "xsd:unsignedInt";
inline constexpr std::string_view kLong = "xsd:long";
inline constexpr std::string_view kUnsignedLong = "xsd:unsignedLong";
inline constexpr std::string_view kBoolean = "xsd:boolean";
inline constexpr std::string_view kDateTime = "xsd:dateTime";
inline constexpr std::string_view kBase64 = "xsd:base64";
}  // namespace xsd

// ---- Common structures ----

struct ParameterValue {
  std::string name;
  std::string value;  // lexical form
  // xsi:type as "xsd:<type>". On input it is empty when the ACS sent none; "soap-enc:base64" and
  // "xsd:base64Binary" are normalised to "xsd:base64". On output an empty type is written as
  // xsd:string.
  std::string type;
  bool operator==(const ParameterValue&) const = default;
};

struct ParameterInfo {
  std::string name;  // objects end in '.'
  bool writable = false;
  bool operator==(const ParameterInfo&) const = default;
};

struct ParameterAttribute {
  std::string name;
  int notification = 0;  // 0 off, 1 passive, 2 active
  std::vector<std::string> accessList;
  bool operator==(const ParameterAttribute&) const = default;
};

struct SetParameterAttribute {
  std::string name;
  bool notificationChange = false;
  int notification = 0;  // meaningful only when notificationChange
  bool accessListChange = false;
  std::vector<std::string> accessList;  // meaningful only when accessListChange
  bool operator==(const SetParameterAttribute&) const = default;
};

struct DeviceId {
  std::string manufacturer;
  std::string oui;
  std::string productClass;
  std::string serialNumber;
  bool operator==(const DeviceId&) const = default;
};

struct EventStruct {
  std::string eventCode;  // "1 BOOT", "M Reboot", ...
  std::string commandKey;
  bool operator==(const EventStruct&) const = default;
};

struct QueuedTransfer {
  std::string commandKey;
  int state = 1;  // 1 not yet started, 2 in progress, 3 completed
  bool operator==(const QueuedTransfer&) const = default;
};

struct AllQueuedTransfer {
  std::string commandKey;
  int state = 1;
  bool isDownload = true;
  std::string fileType;
  std::uint32_t fileSize = 0;
  std::string targetFileName;
  bool operator==(const AllQueuedTransfer&) const = default;
};

struct TimeWindow {
  std::uint32_t windowStart = 0;  // seconds after the RPC
  std::uint32_t windowEnd = 0;
  std::string windowMode;  // "1 At Any Time", ...
  std::string userMessage;
  int maxRetries = 0;
  bool operator==(const TimeWindow&) const = default;
};

// FaultStruct of TransferComplete / AutonomousTransferComplete; code 0 means success.
struct TransferFault {
  std::uint32_t code = 0;
  std::string message;
  bool operator==(const TransferFault&) const = default;
};

// ---- Requests of the ACS to the CPE, and the CPE's responses ----

// The CPE methods, in the order of AcsRequest's alternatives.
enum class RpcMethod {
  kGetRPCMethods,
  kGetParameterNames,
  kGetParameterValues,
  kSetParameterValues,
  kGetParameterAttributes,
  kSetParameterAttributes,
  kAddObject,
  kDeleteObject,
  kReboot,
  kFactoryReset,
  kDownload,
  kUpload,
  kScheduleInform,
  kGetQueuedTransfers,
  kGetAllQueuedTransfers,
  kScheduleDownload,
  kCancelTransfer,
};
inline constexpr int kRpcMethodCount = 17;

std::string_view methodName(RpcMethod method);  // "GetParameterValues"

struct GetRPCMethods {
  bool operator==(const GetRPCMethods&) const = default;
};
struct GetRPCMethodsResponse {
  std::vector<std::string> methods;
  bool operator==(const GetRPCMethodsResponse&) const = default;
};

struct GetParameterNames {
  std::string parameterPath;  // "" = top of the tree
  bool nextLevel = false;
  bool operator==(const GetParameterNames&) const = default;
};
struct GetParameterNamesResponse {
  std::vector<ParameterInfo> parameters;
  bool operator==(const GetParameterNamesResponse&) const = default;
};

struct GetParameterValues {
  std::vector<std::string> names;  // full names or partial paths ending in '.'
  bool operator==(const GetParameterValues&) const = default;
};
struct GetParameterValuesResponse {
  std::vector<ParameterValue> values;
  bool operator==(const GetParameterValuesResponse&) const = default;
};

struct SetParameterValues {
  std::vector<ParameterValue> values;
  std::string parameterKey;
  bool operator==(const SetParameterValues&) const = default;
};
struct SetParameterValuesResponse {
  int status = 0;  // 0 applied, 1 committed but applied later
  bool operator==(const SetParameterValuesResponse&) const = default;
};

struct GetParameterAttributes {
  std::vector<std::string> names;
  bool operator==(const GetParameterAttributes&) const = default;
};
struct GetParameterAttributesResponse {
  std::vector<ParameterAttribute> attributes;
  bool operator==(const GetParameterAttributesResponse&) const = default;
};

struct SetParameterAttributes {
  std::vector<SetParameterAttribute> attributes;
  bool operator==(const SetParameterAttributes&) const = default;
};
struct SetParameterAttributesResponse {
  bool operator==(const SetParameterAttributesResponse&) const = default;
};

struct AddObject {
  std::string objectName;  // a table path ending in '.'
  std::string parameterKey;
  bool operator==(const AddObject&) const = default;
};
struct AddObjectResponse {
  std::uint32_t instanceNumber = 0;
  int status = 0;
  bool operator==(const AddObjectResponse&) const = default;
};

struct DeleteObject {
  std::string objectName;  // an instance path ending in '.'
  std::string parameterKey;
  bool operator==(const DeleteObject&) const = default;
};
struct DeleteObjectResponse {
  int status = 0;
  bool operator==(const DeleteObjectResponse&) const = default;
};

struct Reboot {
  std::string commandKey;
  bool operator==(const Reboot&) const = default;
};
struct RebootResponse {
  bool operator==(const RebootResponse&) const = default;
};

struct FactoryReset {
  bool operator==(const FactoryReset&) const = default;
};
struct FactoryResetResponse {
  bool operator==(const FactoryResetResponse&) const = default;
};

struct Download {
  std::string commandKey;
  std::string fileType;  // "1 Firmware Upgrade Image", ...
  std::string url;
  std::string username;
  std::string password;  // secret: never log
  std::uint32_t fileSize = 0;
  std::string targetFileName;
  std::uint32_t delaySeconds = 0;
  std::string successUrl;
  std::string failureUrl;
  bool operator==(const Download&) const = default;
};
// Status 1 (not yet completed) goes with the unknown time in both times.
struct TransferResponse {
  int status = 1;
  std::string startTime = "0001-01-01T00:00:00Z";
  std::string completeTime = "0001-01-01T00:00:00Z";
  bool operator==(const TransferResponse&) const = default;
};
struct DownloadResponse : TransferResponse {};

struct Upload {
  std::string commandKey;
  std::string fileType;  // "1 Vendor Configuration File", ...
  std::string url;
  std::string username;
  std::string password;  // secret: never log
  std::uint32_t delaySeconds = 0;
  bool operator==(const Upload&) const = default;
};
struct UploadResponse : TransferResponse {};

struct ScheduleInform {
  std::uint32_t delaySeconds = 0;
  std::string commandKey;
  bool operator==(const ScheduleInform&) const = default;
};
struct ScheduleInformResponse {
  bool operator==(const ScheduleInformResponse&) const = default;
};

struct GetQueuedTransfers {
  bool operator==(const GetQueuedTransfers&) const = default;
};
struct GetQueuedTransfersResponse {
  std::vector<QueuedTransfer> transfers;
  bool operator==(const GetQueuedTransfersResponse&) const = default;
};

struct GetAllQueuedTransfers {
  bool operator==(const GetAllQueuedTransfers&) const = default;
};
struct GetAllQueuedTransfersResponse {
  std::vector<AllQueuedTransfer> transfers;
  bool operator==(const GetAllQueuedTransfersResponse&) const = default;
};

struct ScheduleDownload {
  std::string commandKey;
  std::string fileType;
  std::string url;
  std::string username;
  std::string password;  // secret: never log
  std::uint32_t fileSize = 0;
  std::string targetFileName;
  std::vector<TimeWindow> timeWindows;  // 1..2
  bool operator==(const ScheduleDownload&) const = default;
};
struct ScheduleDownloadResponse {
  bool operator==(const ScheduleDownloadResponse&) const = default;
};

struct CancelTransfer {
  std::string commandKey;
  bool operator==(const CancelTransfer&) const = default;
};
struct CancelTransferResponse {
  bool operator==(const CancelTransferResponse&) const = default;
};

// Alternative i is the request of RpcMethod(i).
using AcsRequest =
    std::variant<GetRPCMethods, GetParameterNames, GetParameterValues, SetParameterValues,
                 GetParameterAttributes, SetParameterAttributes, AddObject, DeleteObject, Reboot,
                 FactoryReset, Download, Upload, ScheduleInform, GetQueuedTransfers,
                 GetAllQueuedTransfers, ScheduleDownload, CancelTransfer>;

// Alternative i is the response of RpcMethod(i).
using CpeResponse =
    std::variant<GetRPCMethodsResponse, GetParameterNamesResponse, GetParameterValuesResponse,
                 SetParameterValuesResponse, GetParameterAttributesResponse,
                 SetParameterAttributesResponse, AddObjectResponse, DeleteObjectResponse,
                 RebootResponse, FactoryResetResponse, DownloadResponse, UploadResponse,
                 ScheduleInformResponse, GetQueuedTransfersResponse, GetAllQueuedTransfersResponse,
                 ScheduleDownloadResponse, CancelTransferResponse>;

inline RpcMethod methodOf(const AcsRequest& request) {
  return static_cast<RpcMethod>(request.index());
}
inline RpcMethod methodOf(const CpeResponse& response) {
  return static_cast<RpcMethod>(response.index());
}

// ---- Requests of the CPE to the ACS, and the ACS's responses ----

struct Inform {
  DeviceId deviceId;
  std::vector<EventStruct> events;
  std::uint32_t maxEnvelopes = 1;
  std::string currentTime;  // local time with its UTC offset, or the unknown time
  std::uint32_t retryCount = 0;
  std::vector<ParameterValue> parameters;
  bool operator==(const Inform&) const = default;
};
struct InformResponse {
  std::uint32_t maxEnvelopes = 1;
  bool operator==(const InformResponse&) const = default;
};

struct TransferComplete {
  std::string commandKey;
  TransferFault fault;
  std::string startTime;
  std::string completeTime;
  bool operator==(const TransferComplete&) const = default;
};
struct TransferCompleteResponse {
  bool operator==(const TransferCompleteResponse&) const = default;
};

struct AutonomousTransferComplete {
  std::string announceUrl;
  std::string transferUrl;
  bool isDownload = true;
  std::string fileType;
  std::uint32_t fileSize = 0;
  std::string targetFileName;
  TransferFault fault;
  std::string startTime;
  std::string completeTime;
  bool operator==(const AutonomousTransferComplete&) const = default;
};
struct AutonomousTransferCompleteResponse {
  bool operator==(const AutonomousTransferCompleteResponse&) const = default;
};

using CpeRequest =
    std::variant<Inform, TransferComplete, AutonomousTransferComplete, GetRPCMethods>;
using AcsResponse = std::variant<InformResponse, TransferCompleteResponse,
                                 AutonomousTransferCompleteResponse, GetRPCMethodsResponse>;

// ---- Faults ----

// One SetParameterValuesFault entry: the parameter and why it failed (9005..9008).
struct ParameterFault {
  std::string name;
  FaultCode code = FaultCode::kInvalidParameterValue;
  std::string message;
  bool operator==(const ParameterFault&) const = default;
};

// A CPE fault as sent to the ACS: the CWMP code and text, and for SetParameterValues one entry
// per failing parameter (then the code is 9003).
struct CwmpFault {
  FaultCode code = FaultCode::kInternalError;
  std::string message;
  std::vector<ParameterFault> parameterFaults;

  CwmpFault() = default;
  CwmpFault(FaultCode c, std::string m, std::vector<ParameterFault> p = {})
      : code(c), message(std::move(m)), parameterFaults(std::move(p)) {}
  explicit CwmpFault(const Fault& fault) : code(fault.code), message(fault.message) {}
  bool operator==(const CwmpFault&) const = default;
};

// A SOAP fault from the ACS. cwmpCode is the cwmp:Fault FaultCode (8000..8899; 8005 = retry) or
// 0 when the fault had no cwmp detail.
struct AcsFault {
  std::string faultCode;  // SOAP faultcode as sent ("Client", "SOAP-ENV:Server", ...)
  std::string faultString;
  std::uint32_t cwmpCode = 0;
  std::string cwmpMessage;
  bool operator==(const AcsFault&) const = default;
};
inline constexpr std::uint32_t kAcsRetryRequest = 8005;

}  // namespace tr69::cwmp
