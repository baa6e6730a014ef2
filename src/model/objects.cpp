// AddObject and DeleteObject.
#include <algorithm>

#include "tr69/model/tree.h"

namespace tr69::model {

void Tree::recordCountChange(std::uint32_t table, const InstancePath& parent, ChangeCause cause) {
  for (std::uint32_t p = 0; p < model_.params.size(); ++p) {
    const auto& param = model_.params[p];
    if (param.binding == datamodel::BindingKind::kCount &&
        param.countTable == static_cast<std::int32_t>(table)) {
      recordedCauses_[nameOf(param, parent)] = cause;
    }
  }
}

Result<InstanceNumber> Tree::addObject(std::string_view tablePath, ChangeCause cause) {
  auto node = resolve(tablePath);
  if (!node) return node.fault();
  if (node->kind != Node::Kind::kTable) {
    return Fault(FaultCode::kInvalidParameterName, "not a table: " + std::string(tablePath));
  }
  const auto& table = model_.objects[node->index];
  if (!table.addDelete) {
    return Fault(FaultCode::kInvalidParameterName,
                 "AddObject is not allowed on " + std::string(tablePath));
  }
  auto existing = instancesOf(table, node->instances);
  if (existing.size() >= maxEntries(table) || table.fixedInstances()) {
    return Fault(FaultCode::kResourcesExceeded, "table is full: " + std::string(tablePath));
  }
  InstanceNumber number = 1;
  std::sort(existing.begin(), existing.end());
  for (auto n : existing) {
    if (n == number)
      ++number;
    else if (n > number)
      break;
  }
  if (auto added = storage_.addInstance(table, node->instances, number); !added) {
    return added.fault();
  }
  recordCountChange(node->index, node->instances, cause);
  return number;
}

Status Tree::deleteObject(std::string_view instancePath, ChangeCause cause) {
  auto node = resolve(instancePath);
  if (!node) return node.fault();
  const auto& object = model_.objects[node->index];
  if (node->kind != Node::Kind::kObject || !object.isTable) {
    return Fault(FaultCode::kInvalidParameterName,
                 "not a table instance: " + std::string(instancePath));
  }
  if (!object.addDelete) {
    return Fault(FaultCode::kInvalidParameterName,
                 "DeleteObject is not allowed on " + std::string(instancePath));
  }
  InstancePath parent = node->instances.prefix(node->instances.size() - 1);
  auto existing = instancesOf(object, parent);
  if (object.fixedInstances() || existing.size() <= object.minEntries) {
    return Fault(FaultCode::kRequestDenied,
                 "the table needs at least " + std::to_string(object.minEntries) + " entries");
  }
  if (auto deleted = storage_.deleteInstance(object, parent, node->instances.back()); !deleted) {
    return deleted.fault();
  }
  std::string prefix(instancePath);
  attributes_.eraseSubtree(prefix);
  std::erase_if(recordedCauses_, [&](const auto& entry) {
    return std::string_view(entry.first).substr(0, prefix.size()) == prefix;
  });
  recordCountChange(node->index, parent, cause);
  return {};
}

}  // namespace tr69::model
