#include "tr69/phone/stored_values.h"

#include <charconv>
#include <map>
#include <pugixml.hpp>
#include <sstream>
#include <system_error>

#include "tr69/base/file_util.h"

namespace tr69::phone {
namespace {

constexpr std::size_t kMaxStoredFileBytes = 4 * 1024 * 1024;

std::string numbersText(std::span<const model::InstanceNumber> numbers) {
  std::string out;
  for (auto n : numbers) {
    if (!out.empty()) out.push_back(' ');
    out += std::to_string(n);
  }
  return out;
}

std::string instancesText(const model::InstancePath& path) {
  return numbersText(path.numbers());
}

std::optional<std::vector<model::InstanceNumber>> parseNumbers(std::string_view text) {
  std::vector<model::InstanceNumber> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    model::InstanceNumber n = 0;
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), n);
    if (ec != std::errc() || n == 0) return std::nullopt;
    out.push_back(n);
    pos = static_cast<std::size_t>(end - text.data());
    if (pos < text.size() && text[pos] != ' ') return std::nullopt;
  }
  return out;
}

}  // namespace

StoredValues::StoredValues(const datamodel::Model& model, std::uint32_t lineCount,
                           std::filesystem::path file, const Logger& log)
    : MemoryStorage(model, lineCount), file_(std::move(file)), log_(log) {
  auto text = readFile(file_, kMaxStoredFileBytes);
  if (!text) {
    if (text.fault().message.rfind("not found", 0) != 0) {
      log_.error(file_.string(), ": ", text.fault().message, "; starting without stored values");
    }
    return;
  }
  if (Status loaded = load(*text); !loaded) {
    log_.error(file_.string(), ": ", loaded.fault().message,
               "; kept as .corrupt, starting without stored values");
    std::error_code ec;
    std::filesystem::rename(file_, file_.string() + ".corrupt", ec);
  }
}

std::string StoredValues::serialize() const {
  std::map<std::pair<std::string, std::string>, std::string> values;
  for (const auto& [key, value] : values_) {
    values[{std::string(model_.params[key.index].path), instancesText(key.instances)}] = value;
  }
  std::map<std::pair<std::string, std::string>, std::string> tables;
  for (const auto& [key, list] : instances_) {
    tables[{std::string(model_.objects[key.index].path), instancesText(key.instances)}] =
        numbersText(list);
  }
  pugi::xml_document doc;
  auto root = doc.append_child("stored");
  root.append_attribute("version") = "1";
  for (const auto& [key, value] : values) {
    auto node = root.append_child("value");
    node.append_attribute("path") = key.first.c_str();
    node.append_attribute("instances") = key.second.c_str();
    node.text() = value.c_str();
  }
  for (const auto& [key, list] : tables) {
    auto node = root.append_child("instances");
    node.append_attribute("path") = key.first.c_str();
    node.append_attribute("parent") = key.second.c_str();
    node.text() = list.c_str();
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

Status StoredValues::save() const {
  return writeFileAtomic(file_, serialize(), 0600);
}

Status StoredValues::load(std::string_view xml) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed)
    return Fault(FaultCode::kInvalidArguments, std::string("not XML: ") + parsed.description());
  auto root = doc.child("stored");
  if (!root) return Fault(FaultCode::kInvalidArguments, "no <stored> element");
  std::map<std::string_view, std::uint32_t> params;
  for (std::uint32_t i = 0; i < model_.params.size(); ++i)
    params[model_.params[i].path] = i;
  std::map<std::string_view, std::uint32_t> objects;
  for (std::uint32_t i = 0; i < model_.objects.size(); ++i)
    objects[model_.objects[i].path] = i;

  auto values = values_;
  auto tables = instances_;
  for (auto node : root.children()) {
    const std::string_view name = node.name();
    const std::string_view path = node.attribute("path").value();
    if (name == "value") {
      auto p = params.find(path);
      auto numbers = parseNumbers(node.attribute("instances").value());
      if (p == params.end() || !numbers || numbers->size() > datamodel::kMaxDepth ||
          numbers->size() != model_.objects[model_.params[p->second].object].depth) {
        log_.warning(file_.string(), ": dropping a value of unknown parameter ", path);
        continue;
      }
      values[Key{p->second, model::InstancePath(*numbers)}] = node.text().get();
    } else if (name == "instances") {
      auto o = objects.find(path);
      auto parent = parseNumbers(node.attribute("parent").value());
      auto list = parseNumbers(node.text().get());
      if (o == objects.end() || !parent || !list || parent->size() > datamodel::kMaxDepth ||
          !model_.objects[o->second].isTable ||
          parent->size() + 1 != model_.objects[o->second].depth) {
        log_.warning(file_.string(), ": dropping instances of unknown table ", path);
        continue;
      }
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
      tables[Key{o->second, model::InstancePath(*parent)}] = std::move(*list);
    }
  }
  values_ = std::move(values);
  instances_ = std::move(tables);
  return {};
}

void StoredValues::restore(State state) {
  values_ = std::move(state.values);
  instances_ = std::move(state.instances);
}

}  // namespace tr69::phone
