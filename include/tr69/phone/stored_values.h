// The agent's persistent store for parameters bound stored="true" and for the instances of
// ACS-managed tables (VoiceProfile, DHCPOption, ...): model::MemoryStorage semantics, persisted
// as one XML file replaced atomically (writeFileAtomic, mode 0600: hidden values such as
// STUNPassword are in it) after every change.
//
//   <stored version="1">
//     <value path="Device.LAN.DHCPOption.{i}.Tag" instances="2">43</value>
//     <instances path="Device.Services.VoiceService.{i}.VoiceProfile.{i}." parent="1">1
//     3</instances>
//   </stored>
//
// Entries naming parameters or tables the model no longer has are dropped with a log line; a
// malformed file is renamed to <file>.corrupt, logged, and the store starts from the seeds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/model/memory_storage.h"

namespace tr69::phone {

class StoredValues : public model::MemoryStorage {
 public:
  // Seeds like MemoryStorage (initialEntries; "lines" = lineCount), then loads `file` when it
  // exists.
  StoredValues(const datamodel::Model& model, std::uint32_t lineCount, std::filesystem::path file,
               const Logger& log);

  // The serialised content (deterministic: sorted).
  std::string serialize() const;
  // Writes serialize() to the file atomically.
  Status save() const;
  // Replaces the in-memory content from a serialised document; on error nothing changes.
  Status load(std::string_view xml);

  // Copy/restore of the whole content, for all-or-nothing batches.
  struct State {
    std::unordered_map<Key, std::string, KeyHash> values;
    std::unordered_map<Key, std::vector<model::InstanceNumber>, KeyHash> instances;
  };
  State capture() const { return {values_, instances_}; }
  void restore(State state);

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  const Logger& log_;
};

}  // namespace tr69::phone
