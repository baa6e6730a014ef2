// Construction, reads, GetParameterNames and GetParameterValues.
#include "tr69/model/tree.h"

#include "walk.h"

namespace tr69::model {

Tree::Tree(const datamodel::Model& model, Storage& storage, std::uint32_t lineCount)
    : model_(model), storage_(storage), lineCount_(lineCount) {}

std::uint32_t Tree::maxEntries(const datamodel::ObjectDesc& table) const {
  return table.maxEntries == datamodel::kLineCount ? lineCount_ : table.maxEntries;
}

Result<std::string> Tree::readLexical(std::uint32_t paramIndex, const InstancePath& instances) {
  const auto& param = model_.params[paramIndex];
  switch (param.binding) {
    case datamodel::BindingKind::kConstant:
      return std::string(param.bindingArg);
    case datamodel::BindingKind::kCount: {
      const auto& table = model_.objects[static_cast<std::size_t>(param.countTable)];
      return std::to_string(instancesOf(table, instances).size());
    }
    default:
      break;
  }
  auto stored = storage_.read(param, instances);
  if (!stored) return stored.fault();
  if (stored->has_value()) return std::move(**stored);
  return std::string(param.hasDefault ? param.defaultValue : datamodel::zeroValue(param.type));
}

Result<std::string> Tree::readValue(std::uint32_t paramIndex, const InstancePath& instances) {
  // Typed callers give instance numbers directly: check that each instance exists.
  const auto& param = model_.params[paramIndex];
  if (instances.size() != model_.objects[param.object].depth) {
    return Fault(FaultCode::kInvalidParameterName, "wrong number of instance numbers");
  }
  // Walk up from the parameter's object collecting the tables on its path.
  std::vector<std::uint32_t> tables;
  for (auto o = static_cast<std::int32_t>(param.object); o != datamodel::kNoIndex;
       o = model_.objects[static_cast<std::size_t>(o)].parent) {
    if (model_.objects[static_cast<std::size_t>(o)].isTable) {
      tables.push_back(static_cast<std::uint32_t>(o));
    }
  }
  for (std::size_t level = 0; level < tables.size(); ++level) {
    const auto& table = model_.objects[tables[tables.size() - 1 - level]];
    auto existing = instancesOf(table, instances.prefix(level));
    if (std::find(existing.begin(), existing.end(), instances[level]) == existing.end()) {
      return Fault(
          FaultCode::kInvalidParameterName,
          "no instance " + std::to_string(instances[level]) + " of " + std::string(table.path));
    }
  }
  return readLexical(paramIndex, instances);
}

Result<std::vector<ParameterValue>> Tree::getValues(std::span<const std::string> names) {
  ReadBatch batch(*this);
  std::vector<ParameterValue> out;
  for (const auto& name : names) {
    auto node = resolve(name);
    if (!node) return node.fault();
    std::optional<Fault> failure;
    forEachParamUnder(
        *node, [&](std::uint32_t p, const InstancePath& instances, const std::string& full) {
          if (failure) return;
          const auto& param = model_.params[p];
          auto value = readLexical(p, instances);
          if (!value) {
            failure = value.fault();
            return;
          }
          out.push_back(
              ParameterValue{full, param.hidden ? std::string() : std::move(*value), param.type});
        });
    if (failure) return *failure;
  }
  return out;
}

void Tree::listTable(std::uint32_t table, InstancePath& parent, std::string& prefix,
                     std::vector<ParameterInfo>& out) {
  // prefix is "...Table."
  const auto& object = model_.objects[table];
  const std::size_t base = prefix.size();
  for (auto n : instancesOf(object, parent)) {
    prefix.append(std::to_string(n));
    prefix.push_back('.');
    parent.push(n);
    out.push_back(ParameterInfo{prefix, object.addDelete});
    listNames(table, parent, prefix, out);
    parent.pop();
    prefix.resize(base);
  }
}

void Tree::listNames(std::uint32_t objectIndex, InstancePath& instances, std::string& prefix,
                     std::vector<ParameterInfo>& out) {
  // Everything below an object instance whose own entry is already listed.
  const auto& object = model_.objects[objectIndex];
  const std::size_t base = prefix.size();
  for (auto p : object.parameters) {
    const auto& param = model_.params[p];
    prefix.append(param.name);
    out.push_back(ParameterInfo{prefix, param.writable});
    prefix.resize(base);
  }
  for (auto c : object.childObjects) {
    const auto& child = model_.objects[c];
    prefix.append(child.name);
    prefix.push_back('.');
    out.push_back(ParameterInfo{prefix, child.isTable && child.addDelete});
    if (child.isTable) {
      listTable(c, instances, prefix, out);
    } else {
      listNames(c, instances, prefix, out);
    }
    prefix.resize(base);
  }
}

Result<std::vector<ParameterInfo>> Tree::parameterNames(std::string_view path, bool nextLevel) {
  std::vector<ParameterInfo> out;
  if (path.empty() && nextLevel) {
    out.push_back(ParameterInfo{std::string(model_.objects[0].path), false});
    return out;
  }
  auto node = resolve(path);
  if (!node) return node.fault();
  if (node->kind == Node::Kind::kParameter) {
    if (nextLevel) {
      return Fault(FaultCode::kInvalidArguments,
                   "NextLevel=true is not allowed with a parameter name");
    }
    out.push_back(ParameterInfo{std::string(path), model_.params[node->index].writable});
    return out;
  }
  const auto& object = model_.objects[node->index];
  std::string prefix = nameOf(object, node->instances);
  InstancePath instances = node->instances;
  if (node->kind == Node::Kind::kTable) {
    if (nextLevel) {
      for (auto n : instancesOf(object, instances)) {
        out.push_back(ParameterInfo{prefix + std::to_string(n) + ".", object.addDelete});
      }
      return out;
    }
    out.push_back(ParameterInfo{prefix, object.addDelete});
    listTable(node->index, instances, prefix, out);
    return out;
  }
  if (nextLevel) {
    for (auto p : object.parameters) {
      const auto& param = model_.params[p];
      out.push_back(ParameterInfo{prefix + std::string(param.name), param.writable});
    }
    for (auto c : object.childObjects) {
      const auto& child = model_.objects[c];
      out.push_back(
          ParameterInfo{prefix + std::string(child.name) + ".", child.isTable && child.addDelete});
    }
    return out;
  }
  // The object itself (an instance is writable when it may be deleted), then its subtree.
  out.push_back(ParameterInfo{prefix, object.isTable && object.addDelete});
  listNames(node->index, instances, prefix, out);
  return out;
}

}  // namespace tr69::model
