#include "tr69/model/file_storage.h"

#include <charconv>
#include <map>
#include <pugixml.hpp>
#include <sstream>

#include "tr69/base/file_util.h"

namespace tr69::model {
namespace {

std::string instancesText(const InstancePath& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out.push_back('.');
    out += std::to_string(path[i]);
  }
  return out;
}

std::optional<InstancePath> parseInstances(std::string_view text, std::size_t depth) {
  InstancePath path;
  if (text.empty()) return depth == 0 ? std::optional(path) : std::nullopt;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    std::string_view part = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    InstanceNumber n = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
    if (ec != std::errc() || ptr != part.data() + part.size() || n == 0 || path.size() >= depth) {
      return std::nullopt;
    }
    path.push(n);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (path.size() != depth) return std::nullopt;
  return path;
}

}  // namespace

FileStorage::FileStorage(const datamodel::Model& model, std::uint32_t lineCount,
                         std::filesystem::path path)
    : MemoryStorage(model, lineCount), path_(std::move(path)) {}

std::string FileStorage::serialize() const {
  // Sorted output so the file is stable and diffable.
  std::map<std::pair<std::string_view, std::string>, const std::string*> values;
  for (const auto& [key, value] : values_) {
    values[{model_.params[key.index].path, instancesText(key.instances)}] = &value;
  }
  std::map<std::pair<std::string_view, std::string>, const std::vector<InstanceNumber>*> tables;
  for (const auto& [key, list] : instances_) {
    tables[{model_.objects[key.index].path, instancesText(key.instances)}] = &list;
  }
  pugi::xml_document doc;
  auto root = doc.append_child("store");
  for (const auto& [key, list] : tables) {
    auto node = root.append_child("instances");
    node.append_attribute("table") = std::string(key.first).c_str();
    node.append_attribute("parent") = key.second.c_str();
    std::string numbers;
    for (auto n : *list) {
      if (!numbers.empty()) numbers.push_back(',');
      numbers += std::to_string(n);
    }
    node.text() = numbers.c_str();
  }
  for (const auto& [key, value] : values) {
    auto node = root.append_child("value");
    node.append_attribute("param") = std::string(key.first).c_str();
    node.append_attribute("instances") = key.second.c_str();
    node.text() = value->c_str();
  }
  std::ostringstream out;
  doc.save(out, "  ");
  return out.str();
}

Status FileStorage::save() {
  return writeFileAtomic(path_, serialize(), 0600);
}

Status FileStorage::open() {
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec)) return {};
  auto text = readFile(path_);
  if (!text) return text.fault();
  pugi::xml_document doc;
  if (!doc.load_buffer(text->data(), text->size()) || !doc.child("store")) {
    return Fault(FaultCode::kInvalidArguments, "malformed store file " + path_.string());
  }
  std::map<std::string_view, std::uint32_t> params;
  for (std::uint32_t i = 0; i < model_.params.size(); ++i)
    params[model_.params[i].path] = i;
  std::map<std::string_view, std::uint32_t> objects;
  for (std::uint32_t i = 0; i < model_.objects.size(); ++i)
    objects[model_.objects[i].path] = i;
  decltype(values_) values;
  decltype(instances_) tables = instances_;
  for (auto node : doc.child("store").children()) {
    std::string_view name = node.name();
    if (name == "instances") {
      auto it = objects.find(node.attribute("table").value());
      if (it == objects.end() || !model_.objects[it->second].isTable) continue;
      const auto& table = model_.objects[it->second];
      auto parent = parseInstances(node.attribute("parent").value(), table.depth - 1u);
      if (!parent) continue;
      std::vector<InstanceNumber> list;
      std::string_view numbers = node.text().get();
      std::size_t start = 0;
      while (start < numbers.size()) {
        std::size_t comma = numbers.find(',', start);
        if (comma == std::string_view::npos) comma = numbers.size();
        auto single = parseInstances(numbers.substr(start, comma - start), 1);
        if (single && (list.empty() || list.back() < (*single)[0])) list.push_back((*single)[0]);
        start = comma + 1;
      }
      tables[Key{it->second, *parent}] = std::move(list);
    } else if (name == "value") {
      auto it = params.find(node.attribute("param").value());
      if (it == params.end()) continue;
      const auto& object = model_.objects[model_.params[it->second].object];
      auto instances = parseInstances(node.attribute("instances").value(), object.depth);
      if (!instances) continue;
      values[Key{it->second, *instances}] = node.text().get();
    }
  }
  values_ = std::move(values);
  instances_ = std::move(tables);
  return {};
}

Result<ApplyStatus> FileStorage::writeBatch(std::span<const StorageWrite> writes) {
  auto before = values_;
  auto applied = MemoryStorage::writeBatch(writes);
  if (!applied) return applied;
  if (auto saved = save(); !saved) {
    values_ = std::move(before);
    return saved.fault();
  }
  return applied;
}

Status FileStorage::addInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                                InstanceNumber number) {
  auto before = instances_;
  if (auto added = MemoryStorage::addInstance(table, parent, number); !added) return added;
  if (auto saved = save(); !saved) {
    instances_ = std::move(before);
    return saved;
  }
  return {};
}

Status FileStorage::deleteInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                                   InstanceNumber number) {
  auto valuesBefore = values_;
  auto instancesBefore = instances_;
  if (auto deleted = MemoryStorage::deleteInstance(table, parent, number); !deleted) {
    return deleted;
  }
  if (auto saved = save(); !saved) {
    values_ = std::move(valuesBefore);
    instances_ = std::move(instancesBefore);
    return saved;
  }
  return {};
}

}  // namespace tr69::model
