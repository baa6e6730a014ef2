// Path resolution and naming.
#include <algorithm>
#include <charconv>

#include "tr69/model/tree.h"

namespace tr69::model {
namespace {

Fault unknown(std::string_view path) {
  return Fault(FaultCode::kInvalidParameterName, "unknown name: " + std::string(path));
}

// Decimal instance number >= 1 without sign or leading zeros.
std::optional<InstanceNumber> parseInstance(std::string_view text) {
  if (text.empty() || text.size() > 10 || text[0] == '0') return std::nullopt;
  InstanceNumber n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

std::vector<InstanceNumber> Tree::instancesOf(const datamodel::ObjectDesc& table,
                                              const InstancePath& parent) {
  if (table.fixedInstances()) {
    std::vector<InstanceNumber> all(table.minEntries);
    for (std::uint32_t i = 0; i < table.minEntries; ++i)
      all[i] = i + 1;
    return all;
  }
  return storage_.instances(table, parent);
}

Result<Node> Tree::resolve(std::string_view path) {
  Node node;
  node.kind = Node::Kind::kObject;
  node.index = 0;
  if (path.empty()) return node;
  const std::string_view root = model_.objects[0].path;  // "Device."
  if (path.substr(0, root.size()) != root) return unknown(path);
  const bool objectPath = path.back() == '.';
  std::string_view rest = path.substr(root.size());
  bool expectInstance = false;
  while (!rest.empty()) {
    std::size_t dot = rest.find('.');
    std::string_view segment = rest.substr(0, dot);
    const bool last = dot == std::string_view::npos || dot + 1 == rest.size();
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    if (segment.empty()) return unknown(path);
    const auto& object = model_.objects[node.index];
    if (expectInstance) {
      auto n = parseInstance(segment);
      if (!n) return unknown(path);
      auto existing = instancesOf(object, node.instances);
      if (std::find(existing.begin(), existing.end(), *n) == existing.end()) return unknown(path);
      node.instances.push(*n);
      expectInstance = false;
      continue;
    }
    bool found = false;
    for (auto c : object.childObjects) {
      const auto& child = model_.objects[c];
      if (child.name == segment) {
        node.index = c;
        expectInstance = child.isTable;
        found = true;
        break;
      }
    }
    if (found) continue;
    if (last && !objectPath) {
      for (auto p : object.parameters) {
        if (model_.params[p].name == segment) {
          node.kind = Node::Kind::kParameter;
          node.index = p;
          return node;
        }
      }
    }
    return unknown(path);
  }
  if (!objectPath) return unknown(path);  // an object named without its trailing dot
  if (expectInstance) node.kind = Node::Kind::kTable;
  return node;
}

std::string Tree::nameOf(const datamodel::ObjectDesc& object, const InstancePath& instances) const {
  // Replace each "{i}" of the model path by the next instance number; a table path given only
  // its parent's instances ends in "Table." (the "{i}." is dropped).
  std::string out;
  out.reserve(object.path.size() + 8);
  std::size_t used = 0;
  std::string_view path = object.path;
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t brace = path.find("{i}", pos);
    if (brace == std::string_view::npos) {
      out.append(path.substr(pos));
      break;
    }
    out.append(path.substr(pos, brace - pos));
    if (used < instances.size()) {
      out.append(std::to_string(instances[used++]));
      pos = brace + 3;
    } else {
      pos = brace + 4;  // skip "{i}."
    }
  }
  return out;
}

std::string Tree::nameOf(const datamodel::ParamDesc& param, const InstancePath& instances) const {
  std::string out = nameOf(model_.objects[param.object], instances);
  out.append(param.name);
  return out;
}

}  // namespace tr69::model
