// soapcpp2 needs its "//gsoap" directives exactly as written: no formatting here.
// clang-format off
// gSOAP interface header for the CWMP messages a CPE receives and sends (TR-069, cwmp-1-x.xsd).
// Input of soapcpp2 (run by src/cwmp/CMakeLists.txt at build time); it is not compiled as C++.
//
// Choices, kept here in one place:
// * Every scalar (boolean, int, unsignedInt, dateTime) is kept as its lexical string. The codec
//   parses and formats them itself: that gives a precise 9003 for bad arguments, accepts the
//   forms real ACSs send (booleans 0/1/true/false in any case, an empty <Notification/>), and lets
//   the unknown time 0001-01-01T00:00:00Z and relative times round-trip unchanged.
// * Operations without input arguments declare only the response parameter: the old
//   `void *_` idiom makes soapcpp2 2.8.124 generate a deserializer that always fails.
// * SOAP-ENC arrays take their item element name from the __ptr member name and write
//   SOAP-ENC:arrayType themselves; array classes are named *Array so that no member name (e.g.
//   TransferList) clashes with a type name.

//gsoap cwmp service name:           cwmp
//gsoap cwmp service style:          rpc
//gsoap cwmp service encoding:       encoded
//gsoap cwmp service namespace:      urn:dslforum-org:cwmp-1-0
//gsoap cwmp schema namespace:       urn:dslforum-org:cwmp-1-0
//gsoap cwmp schema elementForm:     unqualified
//gsoap cwmp schema attributeForm:   unqualified

#import "stlvector.h"

typedef std::string xsd__string;
typedef std::string xsd__boolean;
typedef std::string xsd__int;
typedef std::string xsd__unsignedInt;
typedef std::string xsd__dateTime;
typedef std::string xsd__QName;

// <Value xsi:type="xsd:...">text</Value>; gSOAP normalises the QName to our prefixes on input.
class cwmp__Value {
 public:
  std::string __item;
  @xsd__QName xsi__type;
};

class cwmp__ParameterValueStruct {
 public:
  xsd__string Name;
  cwmp__Value Value;
};

class cwmp__ParameterInfoStruct {
 public:
  xsd__string Name;
  xsd__boolean Writable;
};

class ArrayOfString {
 public:
  xsd__string* __ptrstring;
  int __size;
};

class cwmp__ParameterAttributeStruct {
 public:
  xsd__string Name;
  xsd__int Notification;
  ArrayOfString* AccessList;
};

class cwmp__SetParameterAttributesStruct {
 public:
  xsd__string Name;
  xsd__boolean NotificationChange;
  xsd__int Notification;
  xsd__boolean AccessListChange;
  ArrayOfString* AccessList;
};

class cwmp__DeviceIdStruct {
 public:
  xsd__string Manufacturer;
  xsd__string OUI;
  xsd__string ProductClass;
  xsd__string SerialNumber;
};

class cwmp__EventStruct {
 public:
  xsd__string EventCode;
  xsd__string CommandKey;
};

class cwmp__QueuedTransferStruct {
 public:
  xsd__string CommandKey;
  xsd__int State;
};

class cwmp__AllQueuedTransferStruct {
 public:
  xsd__string CommandKey;
  xsd__int State;
  xsd__boolean IsDownload;
  xsd__string FileType;
  xsd__unsignedInt FileSize;
  xsd__string TargetFileName;
};

class cwmp__TimeWindowStruct {
 public:
  xsd__unsignedInt WindowStart;
  xsd__unsignedInt WindowEnd;
  xsd__string WindowMode;
  xsd__string UserMessage;
  xsd__int MaxRetries;
};

class cwmp__TransferCompleteFaultStruct {
 public:
  xsd__unsignedInt FaultCode;
  xsd__string FaultString;
};

class ParameterValueArray {
 public:
  cwmp__ParameterValueStruct* __ptrParameterValueStruct;
  int __size;
};

class ParameterInfoArray {
 public:
  cwmp__ParameterInfoStruct* __ptrParameterInfoStruct;
  int __size;
};

class ParameterAttributeArray {
 public:
  cwmp__ParameterAttributeStruct* __ptrParameterAttributeStruct;
  int __size;
};

class SetParameterAttributesArray {
 public:
  cwmp__SetParameterAttributesStruct* __ptrSetParameterAttributesStruct;
  int __size;
};

class EventArray {
 public:
  cwmp__EventStruct* __ptrEventStruct;
  int __size;
};

class QueuedTransferArray {
 public:
  cwmp__QueuedTransferStruct* __ptrQueuedTransferStruct;
  int __size;
};

class AllQueuedTransferArray {
 public:
  cwmp__AllQueuedTransferStruct* __ptrAllQueuedTransferStruct;
  int __size;
};

class TimeWindowArray {
 public:
  cwmp__TimeWindowStruct* __ptrTimeWindowStruct;
  int __size;
};

// SOAP Fault detail <cwmp:Fault>.
class cwmp__SetParameterValuesFault {
 public:
  xsd__string ParameterName;
  xsd__unsignedInt FaultCode;
  xsd__string FaultString;
};

class cwmp__FaultStruct {
 public:
  xsd__unsignedInt FaultCode;
  xsd__string FaultString;
  std::vector<cwmp__SetParameterValuesFault> SetParameterValuesFault;
};

struct SOAP_ENV__Header {
  mustUnderstand xsd__string* cwmp__ID;
  mustUnderstand xsd__boolean* cwmp__HoldRequests;
  xsd__boolean* cwmp__NoMoreRequests;
  xsd__unsignedInt* cwmp__SessionTimeout;
  xsd__string* cwmp__SupportedCWMPVersions;
  mustUnderstand xsd__string* cwmp__UseCWMPVersion;
};

struct SOAP_ENV__Detail {
  cwmp__FaultStruct* cwmp__Fault;
  int __type;
  void* fault;
  _XML __any;
};

// ---- Methods of the CPE, called by the ACS ----

int cwmp__GetRPCMethods(struct cwmp__GetRPCMethodsResponse { ArrayOfString* MethodList; } & r);

int cwmp__GetParameterNames(xsd__string ParameterPath, xsd__boolean NextLevel,
                            struct cwmp__GetParameterNamesResponse {
                              ParameterInfoArray* ParameterList;
                            } & r);

int cwmp__GetParameterValues(ArrayOfString* ParameterNames,
                             struct cwmp__GetParameterValuesResponse {
                               ParameterValueArray* ParameterList;
                             } & r);

int cwmp__SetParameterValues(ParameterValueArray* ParameterList, xsd__string ParameterKey,
                             struct cwmp__SetParameterValuesResponse { xsd__int Status; } & r);

int cwmp__GetParameterAttributes(ArrayOfString* ParameterNames,
                                 struct cwmp__GetParameterAttributesResponse {
                                   ParameterAttributeArray* ParameterList;
                                 } & r);

int cwmp__SetParameterAttributes(SetParameterAttributesArray* ParameterList,
                                 struct cwmp__SetParameterAttributesResponse { } & r);

int cwmp__AddObject(xsd__string ObjectName, xsd__string ParameterKey,
                    struct cwmp__AddObjectResponse {
                      xsd__unsignedInt InstanceNumber;
                      xsd__int Status;
                    } & r);

int cwmp__DeleteObject(xsd__string ObjectName, xsd__string ParameterKey,
                       struct cwmp__DeleteObjectResponse { xsd__int Status; } & r);

int cwmp__Reboot(xsd__string CommandKey, struct cwmp__RebootResponse { } & r);

int cwmp__FactoryReset(struct cwmp__FactoryResetResponse { } & r);

int cwmp__Download(xsd__string CommandKey, xsd__string FileType, xsd__string URL,
                   xsd__string Username, xsd__string Password, xsd__unsignedInt FileSize,
                   xsd__string TargetFileName, xsd__unsignedInt DelaySeconds,
                   xsd__string SuccessURL, xsd__string FailureURL,
                   struct cwmp__DownloadResponse {
                     xsd__int Status;
                     xsd__dateTime StartTime;
                     xsd__dateTime CompleteTime;
                   } & r);

int cwmp__Upload(xsd__string CommandKey, xsd__string FileType, xsd__string URL,
                 xsd__string Username, xsd__string Password, xsd__unsignedInt DelaySeconds,
                 struct cwmp__UploadResponse {
                   xsd__int Status;
                   xsd__dateTime StartTime;
                   xsd__dateTime CompleteTime;
                 } & r);

int cwmp__ScheduleInform(xsd__unsignedInt DelaySeconds, xsd__string CommandKey,
                         struct cwmp__ScheduleInformResponse { } & r);

int cwmp__GetQueuedTransfers(struct cwmp__GetQueuedTransfersResponse {
  QueuedTransferArray* TransferList;
} & r);

int cwmp__GetAllQueuedTransfers(struct cwmp__GetAllQueuedTransfersResponse {
  AllQueuedTransferArray* TransferList;
} & r);

int cwmp__ScheduleDownload(xsd__string CommandKey, xsd__string FileType, xsd__string URL,
                           xsd__string Username, xsd__string Password, xsd__unsignedInt FileSize,
                           xsd__string TargetFileName, TimeWindowArray* TimeWindowList,
                           struct cwmp__ScheduleDownloadResponse { } & r);

int cwmp__CancelTransfer(xsd__string CommandKey, struct cwmp__CancelTransferResponse { } & r);

// ---- Methods of the ACS, called by the CPE ----

int cwmp__Inform(cwmp__DeviceIdStruct* DeviceId, EventArray* Event, xsd__unsignedInt MaxEnvelopes,
                 xsd__dateTime CurrentTime, xsd__unsignedInt RetryCount,
                 ParameterValueArray* ParameterList,
                 struct cwmp__InformResponse { xsd__unsignedInt MaxEnvelopes; } & r);

int cwmp__TransferComplete(xsd__string CommandKey, cwmp__TransferCompleteFaultStruct* FaultStruct,
                           xsd__dateTime StartTime, xsd__dateTime CompleteTime,
                           struct cwmp__TransferCompleteResponse { } & r);

int cwmp__AutonomousTransferComplete(xsd__string AnnounceURL, xsd__string TransferURL,
                                     xsd__boolean IsDownload, xsd__string FileType,
                                     xsd__unsignedInt FileSize, xsd__string TargetFileName,
                                     cwmp__TransferCompleteFaultStruct* FaultStruct,
                                     xsd__dateTime StartTime, xsd__dateTime CompleteTime,
                                     struct cwmp__AutonomousTransferCompleteResponse { } & r);
