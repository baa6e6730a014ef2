// Value types exchanged with the tree: the shapes of the CWMP structs the RPC handlers build.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/datamodel/descriptor.h"

namespace tr69::model {

// Who changed a value. Only changes by someone other than the ACS are notified (cwmp.md 5).
enum class ChangeCause : std::uint8_t {
  kAcs,          // SetParameterValues / AddObject / DeleteObject
  kLocalConfig,  // config files (SIGHUP re-read), phone UI, web UI
  kLive,         // the phone or the agent itself (uptime, IP address, line status ...)
};

// GetParameterNames entry.
struct ParameterInfo {
  std::string name;  // objects end in '.'
  bool writable = false;
  bool operator==(const ParameterInfo&) const = default;
};

// GetParameterValues entry (and Inform ParameterList entry).
struct ParameterValue {
  std::string name;
  std::string value;  // lexical form; "" for hidden parameters read by the ACS
  datamodel::Type type = datamodel::Type::kString;
  bool operator==(const ParameterValue&) const = default;
};

// SetParameterValues entry.
struct SetRequest {
  std::string name;
  std::string value;
  std::optional<std::string> xsiType;  // e.g. "xsd:unsignedInt"; absent = validate the text only
};

// One SetParameterValuesFault.
struct ParameterFault {
  std::string name;
  FaultCode code = FaultCode::kInvalidParameterValue;
  std::string message;
  bool operator==(const ParameterFault&) const = default;
};

// Result of setValues. ok(): everything applied (status 0, or 1 when a restart is needed).
// Otherwise nothing was applied: `fault` is the top-level fault (9003 when parameters are at
// fault, each listed in parameterFaults; or a whole-request fault such as 9002 from storage).
struct SetOutcome {
  Fault fault{FaultCode::kNone, ""};
  std::vector<ParameterFault> parameterFaults;
  int status = 0;
  bool ok() const { return fault.code == FaultCode::kNone; }
};

// GetParameterAttributes entry.
struct ParameterAttributes {
  std::string name;
  int notification = 0;
  std::vector<std::string> accessList;
  bool operator==(const ParameterAttributes&) const = default;
};

// SetParameterAttributes entry.
struct AttributeChange {
  std::string name;  // parameter or partial path
  bool notificationChange = false;
  int notification = 0;
  bool accessListChange = false;
  std::vector<std::string> accessList;
};

// A value change to notify (Inform ParameterList, 4 VALUE CHANGE).
struct ValueChange {
  std::string name;
  std::string value;
  datamodel::Type type = datamodel::Type::kString;
  int notification = 0;  // 1 passive, 2 active
  ChangeCause cause = ChangeCause::kLive;
};

}  // namespace tr69::model
