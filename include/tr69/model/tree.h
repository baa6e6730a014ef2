// The parameter tree at run time: path resolution, GetParameterNames/Values, atomic
// SetParameterValues, attributes, AddObject/DeleteObject, typed access through the generated
// handles (tr69/datamodel/dm.h) and change tracking for notifications.
//
//   MemoryStorage storage(datamodel::aastraModel(), 9);
//   Tree tree(datamodel::aastraModel(), storage, 9);
//   auto interval = tree.get(dm::ManagementServer::PeriodicInformInterval);   // Result<uint32_t>
//   tree.get(dm::Services::VoiceService::VoiceProfile::SIP::ProxyServer, {1, 2});
//
// The tree does no I/O: values and instances are in the Storage; attributes and the notification
// baseline are serialised to strings the session layer persists. Single-threaded.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/datamodel/descriptor.h"
#include "tr69/datamodel/handle.h"
#include "tr69/datamodel/value.h"
#include "tr69/model/attributes.h"
#include "tr69/model/baseline.h"
#include "tr69/model/instance_path.h"
#include "tr69/model/storage.h"
#include "tr69/model/types.h"

namespace tr69::model {

// A resolved path (see Tree::resolve).
struct Node {
  enum class Kind : std::uint8_t {
    kObject,     // single object or table instance: "Device.LAN." / "...VoiceProfile.2."
    kTable,      // a table without instance number: "...VoiceProfile."
    kParameter,  // "...VoiceProfile.2.Name"
  };
  Kind kind = Kind::kObject;
  std::uint32_t index = 0;  // in Model::objects (kObject, kTable) or Model::params
  InstancePath instances;   // kTable: the parent's instance numbers
};

class Tree {
 public:
  // `lineCount` is the phone model's number of lines (Model::lineCountFor): the limit of every
  // table whose maxEntries is "lines".
  Tree(const datamodel::Model& model, Storage& storage, std::uint32_t lineCount);

  const datamodel::Model& model() const { return model_; }
  std::uint32_t lineCount() const { return lineCount_; }

  // ---- paths ---------------------------------------------------------------------------------
  // Resolves a full parameter name, an object path ending in '.', or "" (the root). Instances
  // must exist. Unknown: kInvalidParameterName (9005).
  Result<Node> resolve(std::string_view path);
  // The concrete name of a parameter or object instance ("Device.LAN.DHCPOption.3.Tag").
  std::string nameOf(const datamodel::ParamDesc& param, const InstancePath& instances) const;
  std::string nameOf(const datamodel::ObjectDesc& object, const InstancePath& instances) const;
  // Existing instance numbers of a table under its parent's instances.
  std::vector<InstanceNumber> instancesOf(const datamodel::ObjectDesc& table,
                                          const InstancePath& parent);

  // ---- RPC-shaped operations -----------------------------------------------------------------
  // GetParameterNames (cwmp.md 7.6): nextLevel=false returns the item and every descendant,
  // nextLevel=true the direct children ("" -> "Device."). A parameter with nextLevel=true: 9003.
  Result<std::vector<ParameterInfo>> parameterNames(std::string_view path, bool nextLevel);

  // GetParameterValues: partial paths expand to every parameter below; hidden read as "".
  // Any unknown name fails the whole request with 9005.
  Result<std::vector<ParameterValue>> getValues(std::span<const std::string> names);

  // SetParameterValues (cwmp.md 7.7): validates every entry (9005 unknown or not a parameter,
  // 9008 not writable, 9006 xsi:type mismatch, 9007 bad value), a duplicated name fails with
  // 9003; then writes everything as one Storage batch. Nothing is applied on any fault.
  SetOutcome setValues(std::span<const SetRequest> requests, ChangeCause cause);

  // GetParameterAttributes: partial paths expand; unknown 9005.
  Result<std::vector<ParameterAttributes>> getAttributes(std::span<const std::string> names);
  // SetParameterAttributes, all or nothing: Notification 0..2 (other values 9003), 2 on a
  // parameter the model marks canDeny -> 9009 (under a partial path such parameters are skipped),
  // AccessList values must be "Subscriber" (else 9003), unknown 9005.
  Status setAttributes(std::span<const AttributeChange> changes);
  // Attribute snapshot for persistence, and its restore.
  std::string saveAttributes() const { return attributes_.save(); }
  Status loadAttributes(std::string_view xml) { return attributes_.load(xml); }

  // AddObject on "...Table." (parent instances given in the path): lowest free instance number.
  // 9005 unknown / not a table / read-only table, 9004 at the table's limit.
  Result<InstanceNumber> addObject(std::string_view tablePath, ChangeCause cause);
  // DeleteObject on "...Table.N.": 9005 unknown or not an instance or read-only table, 9001 when
  // the table would drop below its minimum.
  Status deleteObject(std::string_view instancePath, ChangeCause cause);

  // ---- typed access through generated handles ------------------------------------------------
  // Internal reads return hidden values too. Instance numbers must exist (9005).
  template <class T, std::size_t D>
  Result<T> get(datamodel::ParamHandle<T, D> handle, datamodel::Instances<D> instances = {});
  // Internal writes: validated like SetParameterValues but not refused for read-only parameters
  // (the agent and the phone own those).
  template <class T, std::size_t D>
  Status set(datamodel::ParamHandle<T, D> handle, const T& value,
             datamodel::Instances<D> instances = {}, ChangeCause cause = ChangeCause::kLive);
  template <std::size_t D>
  std::vector<InstanceNumber> instances(datamodel::ObjectHandle<D> table,
                                        datamodel::Instances<D> parent = {});
  // Lexical read/write by descriptor (what the typed calls use).
  Result<std::string> readValue(std::uint32_t paramIndex, const InstancePath& instances);
  Status writeValue(std::uint32_t paramIndex, const InstancePath& instances,
                    std::string_view lexical, ChangeCause cause);

  // ---- Inform support ------------------------------------------------------------------------
  // Every forced-inform parameter instance with its current value.
  Result<std::vector<ParameterValue>> forcedInformValues();
  // Names of every parameter instance whose effective Notification is 1 or 2.
  std::vector<std::string> notifiedParameters();
  // Records that someone changed `name` (the config layer after a reload, the phone); the cause
  // is used when collectChanges finds the value different.
  void recordChange(std::string name, ChangeCause cause);
  // A baseline of the current values of every notified parameter.
  Result<NotificationBaseline> takeBaseline();
  // Compares current values with `baseline`, returns the changes to notify (never those whose
  // last recorded cause is kAcs; unrecorded changes count as kLive) and updates `baseline` to the
  // current values. Parameters new to the baseline are added without being reported.
  Result<std::vector<ValueChange>> collectChanges(NotificationBaseline& baseline);

 private:
  struct Visit {
    std::uint32_t param;
    const InstancePath* instances;
    const std::string* name;
  };
  // Storage::beginReadBatch/endReadBatch around the reads of one request (outermost only).
  class ReadBatch {
   public:
    explicit ReadBatch(Tree& tree) : tree_(tree) {
      if (tree_.readBatchDepth_++ == 0) tree_.storage_.beginReadBatch();
    }
    ~ReadBatch() {
      if (--tree_.readBatchDepth_ == 0) tree_.storage_.endReadBatch();
    }
    ReadBatch(const ReadBatch&) = delete;
    ReadBatch& operator=(const ReadBatch&) = delete;

   private:
    Tree& tree_;
  };
  template <class F>
  void forEachParam(std::uint32_t object, InstancePath& instances, std::string& prefix, F&& f);
  template <class F>
  void forEachParamUnder(const Node& node, F&& f);
  Result<std::string> readLexical(std::uint32_t paramIndex, const InstancePath& instances);
  int effectiveNotification(const datamodel::ParamDesc& param, const std::string& name) const;
  std::uint32_t maxEntries(const datamodel::ObjectDesc& table) const;
  void recordCountChange(std::uint32_t table, const InstancePath& parent, ChangeCause cause);
  void listNames(std::uint32_t object, InstancePath& instances, std::string& prefix,
                 std::vector<ParameterInfo>& out);
  void listTable(std::uint32_t table, InstancePath& parent, std::string& prefix,
                 std::vector<ParameterInfo>& out);

  const datamodel::Model& model_;
  Storage& storage_;
  std::uint32_t lineCount_;
  AttributeStore attributes_;
  std::unordered_map<std::string, ChangeCause> recordedCauses_;
  int readBatchDepth_ = 0;
};

// ---- template implementations ------------------------------------------------------------------

namespace detail {
template <class T>
Result<T> fromLexical(std::string_view text);
template <class T>
std::string toLexical(const T& value);
}  // namespace detail

template <class T, std::size_t D>
Result<T> Tree::get(datamodel::ParamHandle<T, D> handle, datamodel::Instances<D> instances) {
  auto text = readValue(handle.index, InstancePath(std::span<const InstanceNumber>(instances)));
  if (!text) return text.fault();
  return detail::fromLexical<T>(*text);
}

template <class T, std::size_t D>
Status Tree::set(datamodel::ParamHandle<T, D> handle, const T& value,
                 datamodel::Instances<D> instances, ChangeCause cause) {
  return writeValue(handle.index, InstancePath(std::span<const InstanceNumber>(instances)),
                    detail::toLexical(value), cause);
}

template <std::size_t D>
std::vector<InstanceNumber> Tree::instances(datamodel::ObjectHandle<D> table,
                                            datamodel::Instances<D> parent) {
  return instancesOf(model_.objects[table.index],
                     InstancePath(std::span<const InstanceNumber>(parent)));
}

}  // namespace tr69::model
