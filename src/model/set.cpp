// SetParameterValues: validate everything, then one atomic Storage batch (cwmp.md 7.7, 3.4).
#include <set>

#include "tr69/model/tree.h"

namespace tr69::model {

SetOutcome Tree::setValues(std::span<const SetRequest> requests, ChangeCause cause) {
  SetOutcome outcome;
  std::set<std::string_view> seen;
  for (const auto& request : requests) {
    if (!seen.insert(request.name).second) {
      outcome.fault =
          Fault(FaultCode::kInvalidArguments, "parameter appears more than once: " + request.name);
      return outcome;
    }
  }
  std::vector<StorageWrite> writes;
  writes.reserve(requests.size());
  for (const auto& request : requests) {
    auto fail = [&](FaultCode code, std::string message) {
      outcome.parameterFaults.push_back(ParameterFault{request.name, code, std::move(message)});
    };
    auto node = resolve(request.name);
    if (!node || node->kind != Node::Kind::kParameter) {
      fail(FaultCode::kInvalidParameterName, "not a parameter of this device");
      continue;
    }
    const auto& param = model_.params[node->index];
    if (!param.writable) {
      fail(FaultCode::kNonWritableParameter, "parameter is read-only");
      continue;
    }
    if (request.xsiType && !datamodel::xsiTypeCompatible(param.type, *request.xsiType)) {
      fail(FaultCode::kInvalidParameterType, "expected " +
                                                 std::string(datamodel::xsiTypeName(param.type)) +
                                                 ", got " + *request.xsiType);
      continue;
    }
    auto canonical = datamodel::canonicalValue(param, request.value);
    if (!canonical) {
      fail(FaultCode::kInvalidParameterValue, canonical.fault().message);
      continue;
    }
    writes.push_back(StorageWrite{&param, node->instances, std::move(*canonical)});
  }
  if (!outcome.parameterFaults.empty()) {
    outcome.fault = Fault(FaultCode::kInvalidArguments, "invalid arguments");
    return outcome;
  }
  auto applied = storage_.writeBatch(writes);
  if (!applied) {
    outcome.fault = applied.fault();
    return outcome;
  }
  outcome.status = *applied == ApplyStatus::kPendingRestart ? 1 : 0;
  for (const auto& request : requests)
    recordedCauses_[request.name] = cause;
  return outcome;
}

Status Tree::writeValue(std::uint32_t paramIndex, const InstancePath& instances,
                        std::string_view lexical, ChangeCause cause) {
  const auto& param = model_.params[paramIndex];
  if (param.binding == datamodel::BindingKind::kConstant ||
      param.binding == datamodel::BindingKind::kCount) {
    return Fault(FaultCode::kNonWritableParameter,
                 "computed parameter: " + std::string(param.path));
  }
  auto exists = readValue(paramIndex, instances);  // checks the instance numbers
  if (!exists) return exists.fault();
  auto canonical = datamodel::canonicalValue(param, lexical);
  if (!canonical) return canonical.fault();
  StorageWrite write{&param, instances, std::move(*canonical)};
  auto applied = storage_.writeBatch(std::span<const StorageWrite>(&write, 1));
  if (!applied) return applied.fault();
  recordedCauses_[nameOf(param, instances)] = cause;
  return {};
}

namespace detail {

template <>
Result<std::string> fromLexical<std::string>(std::string_view text) {
  return std::string(text);
}

template <>
Result<bool> fromLexical<bool>(std::string_view text) {
  auto b = datamodel::parseBoolean(text);
  if (!b) return Fault(FaultCode::kInternalError, "stored value is not a boolean");
  return *b;
}

template <>
Result<std::int32_t> fromLexical<std::int32_t>(std::string_view text) {
  auto v = datamodel::parseSigned(text, INT32_MIN, INT32_MAX);
  if (!v) return Fault(FaultCode::kInternalError, "stored value is not an int");
  return static_cast<std::int32_t>(*v);
}

template <>
Result<std::uint32_t> fromLexical<std::uint32_t>(std::string_view text) {
  auto v = datamodel::parseUnsigned(text, UINT32_MAX);
  if (!v) return Fault(FaultCode::kInternalError, "stored value is not an unsignedInt");
  return static_cast<std::uint32_t>(*v);
}

template <>
Result<std::int64_t> fromLexical<std::int64_t>(std::string_view text) {
  auto v = datamodel::parseSigned(text, INT64_MIN, INT64_MAX);
  if (!v) return Fault(FaultCode::kInternalError, "stored value is not a long");
  return *v;
}

template <>
Result<std::uint64_t> fromLexical<std::uint64_t>(std::string_view text) {
  auto v = datamodel::parseUnsigned(text, UINT64_MAX);
  if (!v) return Fault(FaultCode::kInternalError, "stored value is not an unsignedLong");
  return *v;
}

template <>
std::string toLexical<std::string>(const std::string& value) {
  return value;
}
template <>
std::string toLexical<bool>(const bool& value) {
  return value ? "true" : "false";
}
template <>
std::string toLexical<std::int32_t>(const std::int32_t& value) {
  return std::to_string(value);
}
template <>
std::string toLexical<std::uint32_t>(const std::uint32_t& value) {
  return std::to_string(value);
}
template <>
std::string toLexical<std::int64_t>(const std::int64_t& value) {
  return std::to_string(value);
}
template <>
std::string toLexical<std::uint64_t>(const std::uint64_t& value) {
  return std::to_string(value);
}

}  // namespace detail
}  // namespace tr69::model
