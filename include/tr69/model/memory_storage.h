// Storage kept in memory: every value in a map, instances per (table, parent). Used by tests and
// benchmarks, and as the base of FileStorage (persistent `stored` values).
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>

#include "tr69/model/storage.h"

namespace tr69::model {

class MemoryStorage : public Storage {
 public:
  // Seeds the instances every dynamic table starts with (initialEntries; "lines" = lineCount)
  // under every existing parent instance.
  MemoryStorage(const datamodel::Model& model, std::uint32_t lineCount);

  Result<std::optional<std::string>> read(const datamodel::ParamDesc& param,
                                          const InstancePath& instances) override;
  Result<ApplyStatus> writeBatch(std::span<const StorageWrite> writes) override;
  std::vector<InstanceNumber> instances(const datamodel::ObjectDesc& table,
                                        const InstancePath& parent) override;
  Status addInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                     InstanceNumber number) override;
  Status deleteInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                        InstanceNumber number) override;

  // Sets a value directly, bypassing the tree (a live value or a local config change in tests).
  void setValue(const datamodel::ParamDesc& param, const InstancePath& instances,
                std::string value);
  // Makes the next writeBatch fail with `fault` (and apply nothing), for atomicity tests.
  void failNextWrite(Fault fault) { nextWriteFault_ = std::move(fault); }
  // ApplyStatus returned by successful batches.
  void setApplyStatus(ApplyStatus status) { applyStatus_ = status; }
  std::size_t writeBatches() const { return writeBatches_; }

 protected:
  struct Key {
    std::uint32_t index;  // param or object index
    InstancePath instances;
    bool operator==(const Key& other) const {
      return index == other.index && instances == other.instances;
    }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return k.instances.hash() * 31u ^ k.index; }
  };

  const datamodel::Model& model_;
  std::unordered_map<Key, std::string, KeyHash> values_;
  std::unordered_map<Key, std::vector<InstanceNumber>, KeyHash> instances_;

 private:
  void seed(std::uint32_t object, InstancePath& path, std::uint32_t lineCount);

  std::optional<Fault> nextWriteFault_;
  ApplyStatus applyStatus_ = ApplyStatus::kApplied;
  std::size_t writeBatches_ = 0;
};

}  // namespace tr69::model
