#include "model_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <limits>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "tr69/datamodel/value.h"

namespace tr69::dmgen {
namespace {

using datamodel::ActiveNotify;
using datamodel::BindingKind;
using datamodel::Type;

constexpr std::array<std::string_view, 97> kCppKeywords = {
    "alignas",       "alignof",     "and",
    "and_eq",        "asm",         "auto",
    "bitand",        "bitor",       "bool",
    "break",         "case",        "catch",
    "char",          "char8_t",     "char16_t",
    "char32_t",      "class",       "compl",
    "concept",       "const",       "consteval",
    "constexpr",     "constinit",   "const_cast",
    "continue",      "co_await",    "co_return",
    "co_yield",      "decltype",    "default",
    "delete",        "do",          "double",
    "dynamic_cast",  "else",        "enum",
    "explicit",      "export",      "extern",
    "false",         "float",       "for",
    "friend",        "goto",        "if",
    "inline",        "int",         "long",
    "mutable",       "namespace",   "new",
    "noexcept",      "not",         "not_eq",
    "nullptr",       "operator",    "or",
    "or_eq",         "private",     "protected",
    "public",        "register",    "reinterpret_cast",
    "requires",      "return",      "short",
    "signed",        "sizeof",      "static",
    "static_assert", "static_cast", "struct",
    "switch",        "template",    "this",
    "thread_local",  "throw",       "true",
    "try",           "typedef",     "typeid",
    "typename",      "union",       "unsigned",
    "using",         "virtual",     "void",
    "volatile",      "wchar_t",     "while",
    "xor",           "xor_eq",      "final",
    "override",      "import",      "module",
    "kObject"};

class Reader {
 public:
  Reader(std::string file, std::vector<std::string>& errors)
      : file_(std::move(file)), errors_(errors) {}

  std::optional<GenModel> run();

 private:
  std::uint32_t lineOf(const pugi::xml_node& node) const {
    auto offset = static_cast<std::size_t>(node.offset_debug());
    auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
    return static_cast<std::uint32_t>(it - lineStarts_.begin());
  }
  void error(std::uint32_t line, const std::string& message) {
    errors_.push_back(file_ + ":" + std::to_string(line) + ": " + message);
  }
  void error(const pugi::xml_node& node, const std::string& message) {
    error(lineOf(node), message);
  }
  void checkAttributes(const pugi::xml_node& node, std::initializer_list<std::string_view> allowed);
  void readLineCounts(const pugi::xml_node& node);
  void readSources(const pugi::xml_node& node, std::vector<std::string>& out);
  void readObject(const pugi::xml_node& node);
  void readParameter(const pugi::xml_node& node, std::uint32_t objectIndex);
  void readTableAttributes(const pugi::xml_node& node, GenObject& object);
  void linkObjects();
  void resolveBindings();
  void checkValue(const GenParam& param, const std::string& value, const char* what);
  std::optional<std::uint32_t> parseCount(const pugi::xml_node& node, const char* attribute,
                                          const char* value, bool allowSymbolic);

  std::string file_;
  std::vector<std::string>& errors_;
  std::vector<std::size_t> lineStarts_;
  GenModel model_;
  std::map<std::string, std::uint32_t> objectByPath_;
};

bool isIdentifier(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool isCppKeyword(std::string_view name) {
  return std::find(kCppKeywords.begin(), kCppKeywords.end(), name) != kCppKeywords.end();
}

std::optional<Type> parseType(std::string_view text) {
  static const std::map<std::string_view, Type> kTypes = {{"string", Type::kString},
                                                          {"int", Type::kInt},
                                                          {"unsignedInt", Type::kUnsignedInt},
                                                          {"boolean", Type::kBoolean},
                                                          {"dateTime", Type::kDateTime},
                                                          {"base64", Type::kBase64},
                                                          {"long", Type::kLong},
                                                          {"unsignedLong", Type::kUnsignedLong}};
  auto it = kTypes.find(text);
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

bool isInteger(Type t) {
  return t == Type::kInt || t == Type::kUnsignedInt || t == Type::kLong || t == Type::kUnsignedLong;
}

std::optional<std::int64_t> parseInt64(std::string_view text) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

// Split into segments of an object path "Device.A.{i}.B." -> {"Device","A","{i}","B"}.
std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    out.emplace_back(path.substr(start, dot - start));
    start = dot + 1;
  }
  return out;
}

void Reader::checkAttributes(const pugi::xml_node& node,
                             std::initializer_list<std::string_view> allowed) {
  for (const auto& attr : node.attributes()) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(attr.name())) == allowed.end()) {
      error(node, "unknown attribute '" + std::string(attr.name()) + "' on <" + node.name() + ">");
    }
  }
}

std::optional<std::uint32_t> Reader::parseCount(const pugi::xml_node& node, const char* attribute,
                                                const char* value, bool allowSymbolic) {
  std::string_view text = value;
  if (allowSymbolic && text == "unbounded") return datamodel::kUnbounded;
  if (allowSymbolic && text == "lines") return datamodel::kLineCount;
  auto v = parseInt64(text);
  if (!v || *v < 0 || *v >= static_cast<std::int64_t>(datamodel::kLineCount)) {
    error(node, std::string(attribute) + " '" + std::string(text) + "' is not a valid count");
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(*v);
}

void Reader::readLineCounts(const pugi::xml_node& node) {
  checkAttributes(node, {"default"});
  if (auto d = parseCount(node, "default", node.attribute("default").value(), false)) {
    if (*d == 0 || *d > 99) error(node, "default line count must be 1..99");
    model_.defaultLineCount = *d;
  }
  std::set<std::string> seen;
  for (const auto& phone : node.children()) {
    if (phone.type() != pugi::node_element) continue;
    if (std::string_view(phone.name()) != "phone") {
      error(phone, "unexpected <" + std::string(phone.name()) + "> in <lineCounts>");
      continue;
    }
    checkAttributes(phone, {"model", "lines"});
    std::string name = phone.attribute("model").value();
    if (name.empty()) error(phone, "<phone> needs a model");
    if (!seen.insert(name).second) error(phone, "duplicate phone model '" + name + "'");
    if (auto n = parseCount(phone, "lines", phone.attribute("lines").value(), false)) {
      if (*n == 0 || *n > 99) error(phone, "line count of '" + name + "' must be 1..99");
      model_.lineCounts.emplace_back(name, *n);
    }
  }
}

void Reader::readSources(const pugi::xml_node& node, std::vector<std::string>& out) {
  checkAttributes(node, {});
  for (const auto& source : node.children()) {
    if (source.type() != pugi::node_element) continue;
    if (std::string_view(source.name()) != "source") {
      error(source, "unexpected <" + std::string(source.name()) + "> in <" + node.name() + ">");
      continue;
    }
    checkAttributes(source, {"name"});
    std::string name = source.attribute("name").value();
    if (name.empty()) error(source, "<source> needs a name");
    if (std::find(out.begin(), out.end(), name) != out.end()) {
      error(source, "duplicate source '" + name + "'");
    }
    out.push_back(name);
  }
}

void Reader::readTableAttributes(const pugi::xml_node& node, GenObject& object) {
  object.minEntries = 0;
  object.maxEntries = datamodel::kUnbounded;
  object.initialEntries = 0;
  if (auto a = node.attribute("minEntries")) {
    if (auto v = parseCount(node, "minEntries", a.value(), false)) object.minEntries = *v;
  }
  if (auto a = node.attribute("maxEntries")) {
    if (auto v = parseCount(node, "maxEntries", a.value(), true)) object.maxEntries = *v;
  }
  if (auto a = node.attribute("initialEntries")) {
    if (auto v = parseCount(node, "initialEntries", a.value(), true)) {
      if (*v == datamodel::kUnbounded) {
        error(node, "initialEntries cannot be unbounded");
      } else {
        object.initialEntries = *v;
      }
    }
  }
  bool numericMax =
      object.maxEntries != datamodel::kUnbounded && object.maxEntries != datamodel::kLineCount;
  if (numericMax && object.minEntries > object.maxEntries) {
    error(node, "minEntries is larger than maxEntries");
  }
  if (object.maxEntries == 0) error(node, "maxEntries must be at least 1");
  if (object.initialEntries != datamodel::kLineCount) {
    if (object.initialEntries != 0 && object.initialEntries < object.minEntries) {
      error(node, "initialEntries is smaller than minEntries");
    }
    if (numericMax && object.initialEntries > object.maxEntries) {
      error(node, "initialEntries is larger than maxEntries");
    }
  } else if (object.maxEntries != datamodel::kLineCount) {
    error(node, "initialEntries=\"lines\" needs maxEntries=\"lines\"");
  }
  if (object.minEntries == object.maxEntries) object.initialEntries = object.minEntries;
}

void Reader::readObject(const pugi::xml_node& node) {
  checkAttributes(node, {"path", "access", "minEntries", "maxEntries", "initialEntries"});
  GenObject object;
  object.line = lineOf(node);
  object.path = node.attribute("path").value();
  const std::string root = "Device.";
  if (object.path.size() < root.size() || object.path.compare(0, root.size(), root) != 0 ||
      object.path.back() != '.') {
    error(node, "object path '" + object.path + "' must start with 'Device.' and end with '.'");
    return;
  }
  auto segs = segments(object.path);
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (segs[i] == "{i}") {
      if (i == 0 || segs[i - 1] == "{i}") {
        error(node, "misplaced {i} in object path '" + object.path + "'");
        return;
      }
      ++object.depth;
    } else if (!isIdentifier(segs[i])) {
      error(node, "invalid name '" + segs[i] + "' in object path '" + object.path + "'");
      return;
    }
  }
  if (object.depth > datamodel::kMaxDepth) {
    error(node, "object path '" + object.path + "' is nested too deeply");
    return;
  }
  object.isTable = segs.back() == "{i}";
  object.name = object.isTable ? segs[segs.size() - 2] : segs.back();
  std::string access = node.attribute("access").value();
  if (access != "R" && access != "R/W") {
    error(node, "access of object '" + object.path + "' must be R or R/W, not '" + access + "'");
  }
  if (object.isTable) {
    object.addDelete = access == "R/W";
    readTableAttributes(node, object);
  } else {
    if (access == "R/W") error(node, "only tables ({i}) can be R/W (AddObject/DeleteObject)");
    if (node.attribute("minEntries") || node.attribute("maxEntries") ||
        node.attribute("initialEntries")) {
      error(node, "entry counts are only allowed on tables ({i})");
    }
  }
  if (objectByPath_.count(object.path) != 0) {
    error(node, "duplicate object '" + object.path + "'");
    return;
  }
  auto index = static_cast<std::uint32_t>(model_.objects.size());
  objectByPath_[object.path] = index;
  model_.objects.push_back(object);
  for (const auto& child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::string_view(child.name()) != "parameter") {
      error(child, "unexpected <" + std::string(child.name()) + "> in <object>");
      continue;
    }
    readParameter(child, index);
  }
}

void Reader::checkValue(const GenParam& p, const std::string& value, const char* what) {
  std::vector<datamodel::Range> ranges;
  for (const auto& r : p.ranges) {
    ranges.push_back({r.min.has_value(), r.max.has_value(), r.min.value_or(0), r.max.value_or(0)});
  }
  std::vector<std::string_view> enums(p.enumeration.begin(), p.enumeration.end());
  datamodel::ParamDesc d{};
  d.type = p.type;
  d.list = p.list;
  d.listItemType = p.itemType;
  d.facet = p.facet;
  d.maxLength = p.maxLength;
  d.ranges = ranges;
  d.enumeration = enums;
  auto r = datamodel::canonicalValue(d, value);
  if (!r) {
    error(p.line, std::string(what) + " '" + value + "' of '" + p.path +
                      "' is invalid: " + r.fault().message);
  }
}

void Reader::readParameter(const pugi::xml_node& node, std::uint32_t objectIndex) {
  checkAttributes(
      node,
      {"name",   "type", "list",    "itemType",     "facet",        "access",       "maxLength",
       "range",  "enum", "default", "forcedInform", "notification", "activeNotify", "hidden",
       "config", "live", "agent",   "stored",       "constant",     "count",        "comment"});
  GenParam p;
  p.line = lineOf(node);
  p.object = objectIndex;
  p.name = node.attribute("name").value();
  GenObject& object = model_.objects[objectIndex];
  p.path = object.path + p.name;
  if (!isIdentifier(p.name)) {
    error(node, "invalid parameter name '" + p.name + "' in '" + object.path + "'");
    return;
  }
  if (isCppKeyword(p.name)) {
    error(node, "parameter name '" + p.name + "' collides with a C++ keyword or reserved name");
  }
  for (auto other : object.params) {
    if (model_.params[other].name == p.name) {
      error(node, "duplicate parameter '" + p.path + "'");
      return;
    }
  }
  auto type = parseType(node.attribute("type").value());
  if (!type) {
    error(node,
          "unknown type '" + std::string(node.attribute("type").value()) + "' of '" + p.path + "'");
    return;
  }
  p.type = *type;
  std::string access = node.attribute("access").value();
  if (access != "R" && access != "R/W") {
    error(node, "access of '" + p.path + "' must be R or R/W, not '" + access + "'");
  }
  p.writable = access == "R/W";
  auto flag = [&](const char* name) {
    std::string v = node.attribute(name).value();
    if (v.empty() || v == "false") return false;
    if (v != "true") error(node, std::string(name) + " must be true or false");
    return v == "true";
  };
  p.list = flag("list");
  p.forcedInform = flag("forcedInform");
  p.hidden = flag("hidden");
  if (p.list && p.type != Type::kString) error(node, "list parameters must have type string");
  if (auto a = node.attribute("itemType")) {
    auto item = parseType(a.value());
    if (!p.list || !item ||
        (*item != Type::kString && *item != Type::kUnsignedInt && *item != Type::kInt)) {
      error(node, "itemType needs list=\"true\" and one of string, int, unsignedInt");
    } else {
      p.itemType = *item;
    }
  }
  p.facet = node.attribute("facet").value();
  if (!p.facet.empty() && p.facet != "IPAddress" && p.facet != "MACAddress" && p.facet != "Alias") {
    error(node, "unknown facet '" + p.facet + "'");
  }
  if (auto a = node.attribute("maxLength")) {
    auto v = parseInt64(a.value());
    if (p.type != Type::kString && p.type != Type::kBase64) {
      error(node, "maxLength is only allowed on string and base64 parameters");
    } else if (!v || *v < 0) {
      error(node, "maxLength '" + std::string(a.value()) + "' is not a valid length");
    } else {
      p.maxLength = *v;
    }
  }
  if (auto a = node.attribute("range")) {
    if (!isInteger(p.type)) {
      error(node, "range is only allowed on integer parameters ('" + p.path + "')");
    } else {
      for (const auto& part : segmentsOf(a.value())) {
        std::size_t colon = part.find(':');
        GenRange r;
        bool ok = colon != std::string::npos;
        if (ok && colon > 0) {
          r.min = parseInt64(part.substr(0, colon));
          ok = r.min.has_value();
        }
        if (ok && colon + 1 < part.size()) {
          r.max = parseInt64(part.substr(colon + 1));
          ok = r.max.has_value();
        }
        if (!ok) {
          error(node, "range '" + std::string(a.value()) + "' is not min:max[,min:max]");
          break;
        }
        if (r.min && r.max && *r.min > *r.max) error(node, "range '" + part + "' is empty");
        bool unsignedType = p.type == Type::kUnsignedInt || p.type == Type::kUnsignedLong;
        std::int64_t lo = unsignedType           ? 0
                          : p.type == Type::kInt ? std::numeric_limits<std::int32_t>::min()
                                                 : std::numeric_limits<std::int64_t>::min();
        std::int64_t hi = p.type == Type::kInt ? std::numeric_limits<std::int32_t>::max()
                          : p.type == Type::kUnsignedInt
                              ? static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())
                              : std::numeric_limits<std::int64_t>::max();
        if ((r.min && (*r.min < lo || *r.min > hi)) || (r.max && (*r.max < lo || *r.max > hi))) {
          error(node, "range '" + part + "' exceeds the limits of " +
                          std::string(datamodel::typeName(p.type)));
        }
        p.ranges.push_back(r);
      }
    }
  }
  if (auto a = node.attribute("enum")) {
    if (p.type != Type::kString) {
      error(node, "enum is only allowed on string parameters");
    } else {
      std::string text = a.value();
      std::size_t start = 0;
      while (true) {
        std::size_t bar = text.find('|', start);
        std::string item = text.substr(start, bar == std::string::npos ? bar : bar - start);
        if (std::find(p.enumeration.begin(), p.enumeration.end(), item) != p.enumeration.end()) {
          error(node, "duplicate enumeration value '" + item + "'");
        }
        p.enumeration.push_back(item);
        if (bar == std::string::npos) break;
        start = bar + 1;
      }
    }
  }
  if (auto a = node.attribute("notification")) {
    std::string v = a.value();
    if (v != "0" && v != "1" && v != "2") error(node, "notification must be 0, 1 or 2");
    p.notification = static_cast<std::uint8_t>(v.empty() ? 0 : v[0] - '0');
  }
  if (auto a = node.attribute("activeNotify")) {
    std::string v = a.value();
    if (v == "normal") {
      p.activeNotify = ActiveNotify::kNormal;
    } else if (v == "canDeny") {
      p.activeNotify = ActiveNotify::kCanDeny;
    } else if (v == "forceEnabled") {
      p.activeNotify = ActiveNotify::kForceEnabled;
    } else if (v == "forceDefaultEnabled") {
      p.activeNotify = ActiveNotify::kForceDefaultEnabled;
    } else {
      error(node, "activeNotify must be normal, canDeny, forceEnabled or forceDefaultEnabled");
    }
  }
  if (p.activeNotify == ActiveNotify::kCanDeny && p.notification == 2) {
    error(node, "'" + p.path + "' denies active notification but defaults to it");
  }
  if (p.activeNotify == ActiveNotify::kForceDefaultEnabled && !node.attribute("notification")) {
    p.notification = 2;
  }
  if (auto a = node.attribute("default")) p.defaultValue = a.value();

  int bindings = 0;
  for (const char* kind : {"config", "live", "agent", "stored", "constant", "count"}) {
    if (node.attribute(kind)) ++bindings;
  }
  if (bindings == 0) {
    error(node, "parameter '" + p.path +
                    "' has no binding (config, live, agent, stored, constant or count)");
  } else if (bindings > 1) {
    error(node, "parameter '" + p.path + "' has more than one binding");
  } else if (auto a = node.attribute("config")) {
    p.binding = BindingKind::kConfig;
    p.bindingArg = a.value();
  } else if (auto a = node.attribute("live")) {
    p.binding = BindingKind::kLive;
    p.bindingArg = a.value();
  } else if (auto a = node.attribute("agent")) {
    p.binding = BindingKind::kAgent;
    p.bindingArg = a.value();
  } else if (auto a = node.attribute("stored")) {
    p.binding = BindingKind::kStored;
    if (std::string_view(a.value()) != "true") error(node, "stored must be \"true\"");
  } else if (auto a = node.attribute("constant")) {
    p.binding = BindingKind::kConstant;
    p.bindingArg = a.value();
  } else if (auto a = node.attribute("count")) {
    p.binding = BindingKind::kCount;
    p.bindingArg = a.value();
  }
  auto index = static_cast<std::uint32_t>(model_.params.size());
  model_.params.push_back(std::move(p));
  object.params.push_back(index);
}

// "a,b,c" -> {"a","b","c"}
std::vector<std::string> segmentsOfImpl(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    out.emplace_back(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

void Reader::linkObjects() {
  for (std::uint32_t i = 0; i < model_.objects.size(); ++i) {
    GenObject& object = model_.objects[i];
    if (object.path == "Device.") {
      if (i != 0) error(object.line, "the root object 'Device.' must come first");
      continue;
    }
    std::string parentPath = object.path.substr(0, object.path.size() - 1);
    parentPath = parentPath.substr(0, parentPath.rfind('.') + 1);
    if (object.isTable) {
      parentPath = parentPath.substr(0, parentPath.size() - 1);
      parentPath = parentPath.substr(0, parentPath.rfind('.') + 1);
    }
    auto it = objectByPath_.find(parentPath);
    if (it == objectByPath_.end()) {
      error(object.line,
            "parent object '" + parentPath + "' of '" + object.path + "' is not declared");
      continue;
    }
    object.parent = static_cast<std::int32_t>(it->second);
    GenObject& parent = model_.objects[it->second];
    for (auto sibling : parent.children) {
      if (model_.objects[sibling].name == object.name) {
        error(object.line, "object '" + object.path + "' collides with '" +
                               model_.objects[sibling].path + "' (same C++ name)");
      }
    }
    for (auto param : parent.params) {
      if (model_.params[param].name == object.name) {
        error(object.line, "object '" + object.path + "' collides with parameter '" +
                               model_.params[param].path + "' (same C++ name)");
      }
    }
    if (isCppKeyword(object.name)) {
      error(object.line, "object name '" + object.name + "' collides with a C++ keyword");
    }
    parent.children.push_back(i);
  }
  if (model_.objects.empty() || model_.objects[0].path != "Device.") {
    error(1, "the model has no root object 'Device.'");
  }
}

void Reader::resolveBindings() {
  for (auto& p : model_.params) {
    const GenObject& object = model_.objects[p.object];
    if (p.defaultValue) checkValue(p, *p.defaultValue, "default");
    switch (p.binding) {
      case BindingKind::kConfig: {
        if (p.bindingArg.empty()) error(p.line, "empty config key for '" + p.path + "'");
        // Placeholders {Table} must name a table on the parameter's path.
        std::size_t pos = 0;
        while ((pos = p.bindingArg.find('{', pos)) != std::string::npos) {
          std::size_t end = p.bindingArg.find('}', pos);
          if (end == std::string::npos) {
            error(p.line, "unterminated placeholder in config key '" + p.bindingArg + "'");
            break;
          }
          std::string table = p.bindingArg.substr(pos + 1, end - pos - 1);
          if (object.path.find("." + table + ".{i}.") == std::string::npos) {
            error(p.line, "config key '" + p.bindingArg + "' of '" + p.path + "' refers to {" +
                              table + "}, which is not a table on its path");
          }
          pos = end + 1;
        }
        break;
      }
      case BindingKind::kLive:
      case BindingKind::kAgent: {
        const auto& list =
            p.binding == BindingKind::kLive ? model_.liveSources : model_.agentSources;
        if (std::find(list.begin(), list.end(), p.bindingArg) == list.end()) {
          error(p.line, std::string(p.binding == BindingKind::kLive ? "live" : "agent") +
                            " source '" + p.bindingArg + "' of '" + p.path + "' is not declared");
        }
        break;
      }
      case BindingKind::kStored:
        break;
      case BindingKind::kConstant:
        if (p.writable) error(p.line, "writable parameter '" + p.path + "' cannot be constant");
        checkValue(p, p.bindingArg, "constant");
        break;
      case BindingKind::kCount: {
        if (p.writable) error(p.line, "writable parameter '" + p.path + "' cannot be a count");
        if (!isInteger(p.type)) {
          error(p.line, "count parameter '" + p.path + "' must have an integer type");
        }
        auto it = objectByPath_.find(object.path + p.bindingArg + ".{i}.");
        if (it == objectByPath_.end()) {
          error(p.line, "count of '" + p.path + "' refers to table '" + object.path + p.bindingArg +
                            ".{i}.', which does not exist");
        } else {
          p.countTable = static_cast<std::int32_t>(it->second);
        }
        break;
      }
    }
  }
}

std::optional<GenModel> Reader::run() {
  std::ifstream in(file_, std::ios::binary);
  if (!in) {
    errors_.push_back(file_ + ":1: cannot open the model file");
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  lineStarts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') lineStarts_.push_back(i + 1);
  }
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed) {
    auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(),
                               static_cast<std::size_t>(parsed.offset));
    error(static_cast<std::uint32_t>(it - lineStarts_.begin()),
          std::string("XML error: ") + parsed.description());
    return std::nullopt;
  }
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "datamodel") {
    error(root, "the document element must be <datamodel>");
    return std::nullopt;
  }
  checkAttributes(root, {"root"});
  bool sawLineCounts = false;
  for (const auto& child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = child.name();
    if (name == "lineCounts") {
      sawLineCounts = true;
      readLineCounts(child);
    } else if (name == "liveSources") {
      readSources(child, model_.liveSources);
    } else if (name == "agentSources") {
      readSources(child, model_.agentSources);
    } else if (name == "object") {
      readObject(child);
    } else {
      error(child, "unexpected <" + std::string(name) + "> in <datamodel>");
    }
  }
  if (!sawLineCounts) error(root, "the model has no <lineCounts>");
  linkObjects();
  if (errors_.empty()) resolveBindings();
  if (!errors_.empty()) return std::nullopt;
  return std::move(model_);
}

}  // namespace

std::vector<std::string> segmentsOf(std::string_view text) {
  return segmentsOfImpl(text);
}

std::optional<GenModel> readModel(const std::string& file, std::vector<std::string>& errors) {
  Reader reader(file, errors);
  return reader.run();
}

}  // namespace tr69::dmgen
