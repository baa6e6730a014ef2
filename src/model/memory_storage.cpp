#include "tr69/model/memory_storage.h"

#include <algorithm>

namespace tr69::model {

MemoryStorage::MemoryStorage(const datamodel::Model& model, std::uint32_t lineCount)
    : model_(model) {
  InstancePath path;
  seed(0, path, lineCount);
}

void MemoryStorage::seed(std::uint32_t objectIndex, InstancePath& path, std::uint32_t lineCount) {
  const auto& object = model_.objects[objectIndex];
  if (!object.isTable) {
    for (auto child : object.childObjects)
      seed(child, path, lineCount);
    return;
  }
  std::uint32_t count =
      object.initialEntries == datamodel::kLineCount ? lineCount : object.initialEntries;
  if (object.fixedInstances()) {
    count = object.minEntries;
  } else {
    auto& list = instances_[Key{objectIndex, path}];
    for (std::uint32_t n = 1; n <= count; ++n)
      list.push_back(n);
  }
  for (std::uint32_t n = 1; n <= count; ++n) {
    path.push(n);
    for (auto child : object.childObjects)
      seed(child, path, lineCount);
    path.pop();
  }
}

Result<std::optional<std::string>> MemoryStorage::read(const datamodel::ParamDesc& param,
                                                       const InstancePath& instances) {
  auto index = static_cast<std::uint32_t>(&param - model_.params.data());
  auto it = values_.find(Key{index, instances});
  if (it == values_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Result<ApplyStatus> MemoryStorage::writeBatch(std::span<const StorageWrite> writes) {
  if (nextWriteFault_) {
    Fault fault = std::move(*nextWriteFault_);
    nextWriteFault_.reset();
    return fault;
  }
  for (const auto& w : writes)
    setValue(*w.param, w.instances, w.value);
  ++writeBatches_;
  return applyStatus_;
}

void MemoryStorage::setValue(const datamodel::ParamDesc& param, const InstancePath& instances,
                             std::string value) {
  auto index = static_cast<std::uint32_t>(&param - model_.params.data());
  values_[Key{index, instances}] = std::move(value);
}

std::vector<InstanceNumber> MemoryStorage::instances(const datamodel::ObjectDesc& table,
                                                     const InstancePath& parent) {
  auto index = static_cast<std::uint32_t>(&table - model_.objects.data());
  auto it = instances_.find(Key{index, parent});
  if (it == instances_.end()) return {};
  return it->second;
}

Status MemoryStorage::addInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                                  InstanceNumber number) {
  auto index = static_cast<std::uint32_t>(&table - model_.objects.data());
  auto& list = instances_[Key{index, parent}];
  if (std::find(list.begin(), list.end(), number) != list.end()) {
    return Fault(FaultCode::kInternalError, "instance exists already");
  }
  list.insert(std::upper_bound(list.begin(), list.end(), number), number);
  return {};
}

Status MemoryStorage::deleteInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                                     InstanceNumber number) {
  auto index = static_cast<std::uint32_t>(&table - model_.objects.data());
  auto& list = instances_[Key{index, parent}];
  auto it = std::find(list.begin(), list.end(), number);
  if (it == list.end()) return Fault(FaultCode::kInvalidParameterName, "no such instance");
  list.erase(it);
  // Everything below the instance: values and nested instance lists whose path starts with
  // parent + number at the table's depth.
  InstancePath gone = parent;
  gone.push(number);
  auto below = [&](const Key& key, bool isObject) {
    const std::size_t depth = gone.size();
    if (key.instances.size() < depth || key.instances.prefix(depth) != gone) return false;
    // Only entries of objects/params at or below the deleted table.
    std::uint32_t object = isObject ? key.index : model_.params[key.index].object;
    for (auto o = static_cast<std::int32_t>(object); o != datamodel::kNoIndex;
         o = model_.objects[static_cast<std::size_t>(o)].parent) {
      if (static_cast<std::uint32_t>(o) == index) return true;
    }
    return false;
  };
  std::erase_if(values_, [&](const auto& entry) { return below(entry.first, false); });
  std::erase_if(instances_, [&](const auto& entry) { return below(entry.first, true); });
  return {};
}

}  // namespace tr69::model
