// Reads and checks the XML data model (format: datamodel/README.md). Every problem is reported as
// "file:line: message"; a model with any problem yields no output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/datamodel/descriptor.h"

namespace tr69::dmgen {

struct GenRange {
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
};

struct GenParam {
  std::string name;
  std::string path;
  std::uint32_t object = 0;
  datamodel::Type type = datamodel::Type::kString;
  bool writable = false;
  bool list = false;
  datamodel::Type itemType = datamodel::Type::kString;
  std::string facet;
  std::int64_t maxLength = -1;
  std::vector<GenRange> ranges;
  std::vector<std::string> enumeration;
  std::optional<std::string> defaultValue;
  bool forcedInform = false;
  std::uint8_t notification = 0;
  datamodel::ActiveNotify activeNotify = datamodel::ActiveNotify::kNormal;
  bool hidden = false;
  datamodel::BindingKind binding = datamodel::BindingKind::kStored;
  std::string bindingArg;
  std::int32_t countTable = datamodel::kNoIndex;
  std::uint32_t line = 0;
};

struct GenObject {
  std::string path;
  std::string name;
  std::int32_t parent = datamodel::kNoIndex;
  std::uint8_t depth = 0;
  bool isTable = false;
  bool addDelete = false;
  std::uint32_t minEntries = 1;
  std::uint32_t maxEntries = 1;
  std::uint32_t initialEntries = 0;
  std::vector<std::uint32_t> children;
  std::vector<std::uint32_t> params;
  std::uint32_t line = 0;
};

struct GenModel {
  std::vector<GenObject> objects;
  std::vector<GenParam> params;
  std::vector<std::pair<std::string, std::uint32_t>> lineCounts;
  std::uint32_t defaultLineCount = 0;
  std::vector<std::string> liveSources;
  std::vector<std::string> agentSources;
};

// Parses and validates `file`. On failure returns nullopt and appends "file:line: message" lines
// to `errors`.
std::optional<GenModel> readModel(const std::string& file, std::vector<std::string>& errors);

}  // namespace tr69::dmgen

namespace tr69::dmgen {
// "a,b" -> {"a", "b"} (used for range lists).
std::vector<std::string> segmentsOf(std::string_view text);
}  // namespace tr69::dmgen
