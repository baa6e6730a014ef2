// Descriptor tables of the data model, filled by the generated code (datamodel/generator reads
// datamodel/aastra-tr069.xml). The run-time tree (tr69::model) walks these tables; nothing here
// knows about SOAP, storage or the phone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

namespace tr69::datamodel {

// TR-106 parameter types. TSV types list<x> are kString with `list` set; "string [IPAddress]" is
// kString with the facet kept in ParamDesc::facet.
enum class Type : std::uint8_t {
  kString,
  kInt,
  kUnsignedInt,
  kBoolean,
  kDateTime,
  kBase64,
  kLong,
  kUnsignedLong,
};

// Where a parameter's value comes from (exactly one per parameter, see datamodel/README.md).
enum class BindingKind : std::uint8_t {
  kConfig,    // an Aastra config key; `bindingArg` may contain {Table} placeholders
  kLive,      // a live source of the phone (bindingArg names it; list in the XML <liveSources>)
  kAgent,     // a value the agent owns or computes (list in the XML <agentSources>)
  kStored,    // kept by the agent in its persistent store
  kConstant,  // bindingArg is the fixed lexical value
  kCount,     // NumberOfEntries of the table ObjectDesc index `countTable`
};

// The data model's activeNotify flag (cwmp.md section 5).
enum class ActiveNotify : std::uint8_t { kNormal, kCanDeny, kForceEnabled, kForceDefaultEnabled };

inline constexpr std::uint32_t kUnbounded = std::numeric_limits<std::uint32_t>::max();
// maxEntries/initialEntries value meaning "the phone model's line count".
inline constexpr std::uint32_t kLineCount = kUnbounded - 1;
inline constexpr std::size_t kMaxDepth = 6;  // most {i} placeholders in one path
inline constexpr std::int32_t kNoIndex = -1;

// One allowed interval of a numeric parameter; a missing bound is the type's limit.
struct Range {
  bool hasMin = false;
  bool hasMax = false;
  std::int64_t min = 0;
  std::int64_t max = 0;
};

struct ObjectDesc {
  std::string_view path;         // "Device.Services.VoiceService.{i}.VoiceProfile.{i}."
  std::string_view name;         // last segment, "VoiceProfile"
  std::int32_t parent;           // index in Model::objects, kNoIndex for the root
  std::uint8_t depth;            // number of {i} in path
  bool isTable;                  // path ends in "{i}."
  bool addDelete;                // access R/W: AddObject/DeleteObject allowed
  std::uint32_t minEntries;      // tables only
  std::uint32_t maxEntries;      // tables only; kUnbounded or kLineCount possible
  std::uint32_t initialEntries;  // instances 1..n created when the store is first seeded
  std::span<const std::uint32_t> childObjects;  // indices in Model::objects, model order
  std::span<const std::uint32_t> parameters;    // indices in Model::params, model order
  std::uint32_t sourceLine;                     // line in the XML (diagnostics)

  // Tables whose instance count is fixed (min == max): instances 1..max always exist.
  bool fixedInstances() const { return isTable && minEntries == maxEntries; }
};

struct ParamDesc {
  std::string_view path;  // "Device.ManagementServer.PeriodicInformInterval"
  std::string_view name;  // "PeriodicInformInterval"
  std::uint32_t object;   // index in Model::objects
  Type type;
  bool writable;
  bool list;                      // comma-separated list (the value is a string)
  Type listItemType;              // type of each list item when `list`
  std::string_view facet;         // "IPAddress", "MACAddress", "Alias" or empty
  std::int64_t maxLength;         // -1 = none; strings: characters, base64: decoded bytes
  std::span<const Range> ranges;  // empty = the type's limits
  std::span<const std::string_view> enumeration;  // empty = any value
  bool hasDefault;
  std::string_view defaultValue;
  bool forcedInform;
  std::uint8_t defaultNotification;  // 0, 1 or 2
  ActiveNotify activeNotify;
  bool hidden;  // reads back as ""
  BindingKind binding;
  std::string_view bindingArg;  // config key, live/agent source name, or constant value
  std::int32_t countTable;      // kCount: index in Model::objects
  std::uint32_t sourceLine;
};

struct LineCountEntry {
  std::string_view phoneModel;
  std::uint32_t lines;
};

struct Model {
  std::span<const ObjectDesc> objects;  // objects[0] is the root "Device."
  std::span<const ParamDesc> params;
  std::span<const LineCountEntry> lineCounts;
  std::uint32_t defaultLineCount;
  std::span<const std::string_view> liveSources;
  std::span<const std::string_view> agentSources;

  // Lines of a phone model ("6867i"); unknown models get defaultLineCount.
  std::uint32_t lineCountFor(std::string_view phoneModel) const {
    for (const auto& entry : lineCounts) {
      if (entry.phoneModel == phoneModel) return entry.lines;
    }
    return defaultLineCount;
  }
};

// The generated Aastra model (src/datamodel generated tables).
const Model& aastraModel();

std::string_view typeName(Type type);  // "unsignedInt", ...

}  // namespace tr69::datamodel
