// CWMP messages as the test ACS sees them: requests it sends to the CPE, the CPE's responses,
// the CPE's own requests (Inform, TransferComplete, ...) and expectations on responses.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "acs/soap.h"

namespace tr69::testacs {

struct ParameterValue {
  std::string name;
  std::string value;
  std::string type;  // xsi:type as written ("xsd:string"); empty = none
  bool operator==(const ParameterValue&) const = default;
};

struct AttributeChange {
  std::string name;
  bool notificationChange = false;
  int notification = 0;
  bool accessListChange = false;
  std::vector<std::string> accessList;
};

// A request the ACS sends. Scalar arguments go in `args` by name; the writer puts the known
// arguments of each method in schema order (missing ones get their neutral value) and appends any
// other args after them, so tests can also build wrong requests on purpose.
struct RpcRequest {
  std::string method;                                     // "GetParameterValues", "Download", ...
  std::vector<std::string> names;                         // GPV / GPA ParameterNames
  std::vector<ParameterValue> values;                     // SPV ParameterList
  std::vector<AttributeChange> attributes;                // SPA ParameterList
  std::vector<std::pair<std::string, std::string>> args;  // ParameterPath, CommandKey, URL, ...
  std::optional<std::string> rawArguments;  // when set, the method element's inner XML verbatim

  std::string arg(const std::string& name) const;
  RpcRequest& with(std::string name, std::string value) {
    args.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Builders for the common requests.
RpcRequest getParameterValues(std::vector<std::string> names);
RpcRequest getParameterNames(std::string path, bool nextLevel);
RpcRequest setParameterValues(std::vector<ParameterValue> values, std::string parameterKey);
RpcRequest simpleRequest(std::string method);  // GetRPCMethods, FactoryReset, ...

std::string writeRequest(std::string_view cwmpNs, const std::string& id,
                         std::optional<bool> holdRequests, const RpcRequest& request);

struct SetParameterValuesFaultEntry {
  std::string name;
  std::uint32_t code = 0;
  std::string text;
};

struct ParameterAttribute {
  std::string name;
  std::string notification;
  std::vector<std::string> accessList;
};

// A CPE response (or SOAP fault) to an ACS request.
struct RpcResponse {
  std::string method;  // "GetParameterValuesResponse", "Fault", ...
  bool isFault = false;
  std::string soapFaultCode;  // faultcode text ("Client", "Server")
  std::uint32_t faultCode = 0;
  std::string faultString;
  std::vector<SetParameterValuesFaultEntry> setParameterValuesFaults;
  std::vector<ParameterValue> values;                        // GPV ParameterList
  std::vector<std::pair<std::string, bool>> parameterNames;  // GPN (name, writable)
  std::vector<ParameterAttribute> attributes;                // GPA
  std::vector<std::string> methodList;                       // GetRPCMethodsResponse
  std::map<std::string, std::string> fields;                 // scalar children: Status, ...
  // Get(All)QueuedTransfersResponse TransferList: one map of scalar fields per entry.
  std::vector<std::map<std::string, std::string>> transferList;

  const ParameterValue* value(std::string_view name) const;
};

RpcResponse parseResponse(const Envelope& envelope);

struct EventStruct {
  std::string code;
  std::string commandKey;
  bool operator==(const EventStruct&) const = default;
};

struct InformMessage {
  std::string manufacturer, oui, productClass, serialNumber;
  std::vector<EventStruct> events;
  std::string maxEnvelopes, currentTime, retryCount;
  std::vector<ParameterValue> parameters;

  bool hasEvent(std::string_view code) const;
  bool hasEvent(std::string_view code, std::string_view commandKey) const;
  const ParameterValue* parameter(std::string_view name) const;
};

InformMessage parseInform(pugi::xml_node informElement);

struct TransferCompleteMessage {
  std::string commandKey;
  std::uint32_t faultCode = 0;
  std::string faultString;
  std::string startTime, completeTime;
};

TransferCompleteMessage parseTransferComplete(pugi::xml_node element);

// What a test expects of the CPE's answer to one request.
struct Expectation {
  enum class Kind { kAnything, kSuccess, kFault };
  Kind kind = Kind::kSuccess;
  std::uint32_t faultCode = 0;  // with kFault: the expected FaultCode (0 = any)
  std::map<std::string, std::uint32_t> setParameterValuesFaults;  // name -> code, all required
  std::vector<ParameterValue> values;         // GPV: each name must be present with this value
  std::vector<std::string> present;           // GPV/GPN/GPA names that must be present
  std::vector<std::string> absent;            // names that must not be present
  std::optional<std::size_t> count;           // exact number of ParameterList entries
  std::map<std::string, std::string> fields;  // e.g. Status=0, InstanceNumber=2

  static Expectation success() { return {}; }
  static Expectation anything() {
    Expectation e;
    e.kind = Kind::kAnything;
    return e;
  }
  static Expectation fault(std::uint32_t code) {
    Expectation e;
    e.kind = Kind::kFault;
    e.faultCode = code;
    return e;
  }
};

// Failure messages (empty when the response meets the expectation).
std::vector<std::string> checkExpectation(const Expectation& expectation, const RpcRequest& request,
                                          const RpcResponse& response);

}  // namespace tr69::testacs
