// Where parameter values and table instances live. The tree validates everything and then calls
// a Storage; the phone module implements one that binds to the Aastra config files and live
// values, MemoryStorage (memory_storage.h) serves tests and the agent's own values.
//
// The tree never asks a Storage for `constant` or `count` parameters (it computes them), nor for
// the instances of fixed tables (minEntries == maxEntries: instances 1..max always exist).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/datamodel/descriptor.h"
#include "tr69/model/instance_path.h"

namespace tr69::model {

// One value to write: already validated and in canonical lexical form.
struct StorageWrite {
  const datamodel::ParamDesc* param = nullptr;
  InstancePath instances;
  std::string value;
};

// Whether a write batch took effect at once, or needs a restart (SetParameterValues Status 1).
enum class ApplyStatus { kApplied, kPendingRestart };

class Storage {
 public:
  virtual ~Storage() = default;

  // The current lexical value of a parameter instance; nullopt when the store has none (the tree
  // then uses the model default). A fault (e.g. kInternalError) fails the whole read request.
  virtual Result<std::optional<std::string>> read(const datamodel::ParamDesc& param,
                                                  const InstancePath& instances) = 0;

  // Bracket the reads of one request (a GetParameterValues, an Inform's values, a notification
  // scan). In between, a storage may read each live source (files under /proc, ...) once and
  // answer every parameter from that one reading: faster, and the answer is consistent. The tree
  // calls them once per outermost request.
  virtual void beginReadBatch() {}
  virtual void endReadBatch() {}

  // Applies every write, or none of them (then returns the fault).
  virtual Result<ApplyStatus> writeBatch(std::span<const StorageWrite> writes) = 0;

  // Existing instance numbers of a table under the parent instance `parent` (whose size is
  // table.depth - 1), in ascending order.
  virtual std::vector<InstanceNumber> instances(const datamodel::ObjectDesc& table,
                                                const InstancePath& parent) = 0;

  // Creates instance `number` (the tree picked it and checked the limits). New instances read
  // their defaults until written.
  virtual Status addInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                             InstanceNumber number) = 0;

  // Removes instance `number` and everything stored below it.
  virtual Status deleteInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                                InstanceNumber number) = 0;
};

}  // namespace tr69::model
