// Internal: depth-first walks over existing parameter instances (used by several Tree parts).
#pragma once

#include "tr69/model/tree.h"

namespace tr69::model {

// Calls f(paramIndex, instances, name) for every parameter of `object` (an instance whose
// concrete path is `prefix`) and of everything below it, in model order.
template <class F>
void Tree::forEachParam(std::uint32_t objectIndex, InstancePath& instances, std::string& prefix,
                        F&& f) {
  const auto& object = model_.objects[objectIndex];
  const std::size_t base = prefix.size();
  for (auto p : object.parameters) {
    prefix.append(model_.params[p].name);
    f(p, static_cast<const InstancePath&>(instances), static_cast<const std::string&>(prefix));
    prefix.resize(base);
  }
  for (auto c : object.childObjects) {
    const auto& child = model_.objects[c];
    prefix.append(child.name);
    prefix.push_back('.');
    if (child.isTable) {
      const std::size_t tableBase = prefix.size();
      for (auto n : instancesOf(child, instances)) {
        prefix.append(std::to_string(n));
        prefix.push_back('.');
        instances.push(n);
        forEachParam(c, instances, prefix, f);
        instances.pop();
        prefix.resize(tableBase);
      }
    } else {
      forEachParam(c, instances, prefix, f);
    }
    prefix.resize(base);
  }
}

// The parameters a resolved node stands for: itself, or everything below an object or table.
template <class F>
void Tree::forEachParamUnder(const Node& node, F&& f) {
  if (node.kind == Node::Kind::kParameter) {
    std::string name = nameOf(model_.params[node.index], node.instances);
    f(node.index, node.instances, name);
    return;
  }
  InstancePath instances = node.instances;
  const auto& object = model_.objects[node.index];
  std::string prefix = nameOf(object, instances);
  if (node.kind == Node::Kind::kTable) {
    // nameOf(object, parent instances) gives "...Table." for a table node.
    const std::size_t base = prefix.size();
    for (auto n : instancesOf(object, instances)) {
      prefix.append(std::to_string(n));
      prefix.push_back('.');
      instances.push(n);
      forEachParam(node.index, instances, prefix, f);
      instances.pop();
      prefix.resize(base);
    }
    return;
  }
  forEachParam(node.index, instances, prefix, f);
}

}  // namespace tr69::model
