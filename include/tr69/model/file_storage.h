// MemoryStorage that persists every value and instance list to one XML file (pugixml), replaced
// atomically (writeFileAtomic, mode 0600 since stored values may be secrets) after each change.
// Meant for the `stored` parameters the agent keeps itself (ProvisioningCode, PersistentData,
// UserInterface.*, Alias ...). A change that cannot be saved is undone and returns the fault, so
// memory and file never disagree.
#pragma once

#include <filesystem>

#include "tr69/model/memory_storage.h"

namespace tr69::model {

class FileStorage : public MemoryStorage {
 public:
  // Seeds like MemoryStorage, then loads `path` if it exists (open() reports problems).
  FileStorage(const datamodel::Model& model, std::uint32_t lineCount, std::filesystem::path path);

  // Loads the file: a missing file is an empty store; a malformed one is kInvalidArguments
  // (the store keeps its seeded state); entries naming parameters or tables the model no longer
  // has are skipped.
  Status open();

  Result<ApplyStatus> writeBatch(std::span<const StorageWrite> writes) override;
  Status addInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                     InstanceNumber number) override;
  Status deleteInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                        InstanceNumber number) override;

  std::string serialize() const;

 private:
  Status save();

  std::filesystem::path path_;
};

}  // namespace tr69::model
