#include "tr69/session/parameter_rpcs.h"

#include "tr69/datamodel/dm.h"
#include "tr69/datamodel/value.h"

namespace tr69::session {

void ModelParameterRpcs::committed(const std::string& parameterKey) {
  // ParameterKey is read-only for the ACS; the agent owns it (internal writes bypass access).
  (void)tree_.set(dm::ManagementServer::ParameterKey, parameterKey, {}, model::ChangeCause::kAcs);
  if (onCommitted_) onCommitted_();
}

Result<cwmp::GetParameterNamesResponse> ModelParameterRpcs::getParameterNames(
    const cwmp::GetParameterNames& request) {
  auto names = tree_.parameterNames(request.parameterPath, request.nextLevel);
  if (!names) return names.fault();
  cwmp::GetParameterNamesResponse response;
  response.parameters.reserve(names->size());
  for (auto& info : *names)
    response.parameters.push_back({std::move(info.name), info.writable});
  return response;
}

Result<cwmp::GetParameterValuesResponse> ModelParameterRpcs::getParameterValues(
    const cwmp::GetParameterValues& request) {
  auto values = tree_.getValues(request.names);
  if (!values) return values.fault();
  cwmp::GetParameterValuesResponse response;
  response.values.reserve(values->size());
  for (auto& v : *values) {
    response.values.push_back(
        {std::move(v.name), std::move(v.value), std::string(datamodel::xsiTypeName(v.type))});
  }
  return response;
}

cwmp::SetParameterValuesResult ModelParameterRpcs::setParameterValues(
    const cwmp::SetParameterValues& request) {
  std::vector<model::SetRequest> sets;
  sets.reserve(request.values.size());
  for (const auto& v : request.values) {
    model::SetRequest set{v.name, v.value, std::nullopt};
    if (!v.type.empty()) set.xsiType = v.type;
    sets.push_back(std::move(set));
  }
  model::SetOutcome outcome = tree_.setValues(sets, model::ChangeCause::kAcs);
  if (!outcome.ok()) {
    cwmp::CwmpFault fault(outcome.fault.code, outcome.fault.message);
    for (auto& pf : outcome.parameterFaults) {
      fault.parameterFaults.push_back({std::move(pf.name), pf.code, std::move(pf.message)});
    }
    return fault;
  }
  committed(request.parameterKey);
  return cwmp::SetParameterValuesResponse{outcome.status};
}

Result<cwmp::GetParameterAttributesResponse> ModelParameterRpcs::getParameterAttributes(
    const cwmp::GetParameterAttributes& request) {
  auto attributes = tree_.getAttributes(request.names);
  if (!attributes) return attributes.fault();
  cwmp::GetParameterAttributesResponse response;
  for (auto& a : *attributes) {
    response.attributes.push_back({std::move(a.name), a.notification, std::move(a.accessList)});
  }
  return response;
}

Result<cwmp::SetParameterAttributesResponse> ModelParameterRpcs::setParameterAttributes(
    const cwmp::SetParameterAttributes& request) {
  std::vector<model::AttributeChange> changes;
  changes.reserve(request.attributes.size());
  for (const auto& a : request.attributes) {
    changes.push_back(
        {a.name, a.notificationChange, a.notification, a.accessListChange, a.accessList});
  }
  if (Status s = tree_.setAttributes(changes); !s) return s.fault();
  // Attributes persist, but SetParameterAttributes does not change ParameterKey.
  if (onCommitted_) onCommitted_();
  return cwmp::SetParameterAttributesResponse{};
}

Result<cwmp::AddObjectResponse> ModelParameterRpcs::addObject(const cwmp::AddObject& request) {
  auto instance = tree_.addObject(request.objectName, model::ChangeCause::kAcs);
  if (!instance) return instance.fault();
  committed(request.parameterKey);
  return cwmp::AddObjectResponse{*instance, 0};
}

Result<cwmp::DeleteObjectResponse> ModelParameterRpcs::deleteObject(
    const cwmp::DeleteObject& request) {
  if (Status s = tree_.deleteObject(request.objectName, model::ChangeCause::kAcs); !s) {
    return s.fault();
  }
  committed(request.parameterKey);
  return cwmp::DeleteObjectResponse{0};
}

}  // namespace tr69::session
