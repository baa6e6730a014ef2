#include "tr69/model/attributes.h"

#include <pugixml.hpp>
#include <sstream>

#include "tr69/model/baseline.h"

namespace tr69::model {

const StoredAttributes* AttributeStore::find(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

void AttributeStore::set(const std::string& name, StoredAttributes attributes) {
  entries_[name] = std::move(attributes);
}

void AttributeStore::erase(const std::string& name) {
  entries_.erase(name);
}

void AttributeStore::eraseSubtree(std::string_view prefix) {
  auto it = entries_.lower_bound(prefix);
  while (it != entries_.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix) {
    it = entries_.erase(it);
  }
}

std::string AttributeStore::save() const {
  pugi::xml_document doc;
  auto root = doc.append_child("attributes");
  for (const auto& [name, attrs] : entries_) {
    auto node = root.append_child("parameter");
    node.append_attribute("name") = name.c_str();
    node.append_attribute("notification") = attrs.notification;
    for (const auto& access : attrs.accessList) {
      node.append_child("access").text() = access.c_str();
    }
  }
  std::ostringstream out;
  doc.save(out, "  ");
  return out.str();
}

Status AttributeStore::load(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return Fault(FaultCode::kInvalidArguments, "attribute snapshot is not well-formed XML");
  }
  auto root = doc.child("attributes");
  if (!root) return Fault(FaultCode::kInvalidArguments, "attribute snapshot has no <attributes>");
  std::map<std::string, StoredAttributes, std::less<>> loaded;
  for (auto node : root.children("parameter")) {
    std::string name = node.attribute("name").value();
    int notification = node.attribute("notification").as_int(-1);
    if (name.empty() || notification < 0 || notification > 2) {
      return Fault(FaultCode::kInvalidArguments, "attribute snapshot has an invalid entry");
    }
    StoredAttributes attrs;
    attrs.notification = notification;
    for (auto access : node.children("access"))
      attrs.accessList.emplace_back(access.text().get());
    loaded[name] = std::move(attrs);
  }
  entries_ = std::move(loaded);
  return {};
}

std::string NotificationBaseline::save() const {
  pugi::xml_document doc;
  auto root = doc.append_child("baseline");
  for (const auto& [name, value] : values) {
    auto node = root.append_child("parameter");
    node.append_attribute("name") = name.c_str();
    node.text() = value.c_str();
  }
  std::ostringstream out;
  doc.save(out, "  ");
  return out.str();
}

Result<NotificationBaseline> NotificationBaseline::load(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return Fault(FaultCode::kInvalidArguments, "baseline is not well-formed XML");
  }
  auto root = doc.child("baseline");
  if (!root) return Fault(FaultCode::kInvalidArguments, "baseline has no <baseline>");
  NotificationBaseline baseline;
  for (auto node : root.children("parameter")) {
    std::string name = node.attribute("name").value();
    if (name.empty()) return Fault(FaultCode::kInvalidArguments, "baseline entry without name");
    baseline.values[name] = node.text().get();
  }
  return baseline;
}

}  // namespace tr69::model
