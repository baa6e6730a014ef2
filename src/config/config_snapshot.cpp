#include "tr69/config/config_snapshot.h"

#include <algorithm>

#include "tr69/config/config_value.h"
#include "tr69/config/sip_keys.h"

namespace tr69::config {
namespace {

EffectiveValue fromEntry(const ConfigEntry& entry, ConfigLayer layer, bool serverFlags) {
  EffectiveValue v;
  v.value = entry.value;
  v.source = layer;
  v.lineNumber = entry.lineNumber;
  v.locked = serverFlags && entry.locked;
  v.forced = serverFlags && entry.forceDefault;
  return v;
}

}  // namespace

std::string_view layerName(ConfigLayer layer) {
  switch (layer) {
    case ConfigLayer::kAastra:
      return "aastra.cfg";
    case ConfigLayer::kModel:
      return "<model>.cfg";
    case ConfigLayer::kMac:
      return "<mac>.cfg";
    case ConfigLayer::kLocal:
      return "local.cfg";
  }
  return "?";
}

ConfigSnapshot ConfigSnapshot::resolve(const Layers& layers) {
  ConfigSnapshot snapshot;
  // Server files in rising precedence: a later file replaces the value and the flags.
  for (const ConfigLayer layer : {ConfigLayer::kAastra, ConfigLayer::kModel, ConfigLayer::kMac}) {
    const ConfigFile* file = layers[static_cast<std::size_t>(layer)];
    if (file == nullptr) continue;
    snapshot.fileNames_[static_cast<std::size_t>(layer)] = file->displayName();
    for (const ConfigEntry& entry : file->entries()) {
      if (file->find(entry.key) != &entry) continue;  // an earlier duplicate in the same file
      snapshot.values_.insert_or_assign(entry.key, fromEntry(entry, layer, true));
    }
  }
  const ConfigFile* local = layers[static_cast<std::size_t>(ConfigLayer::kLocal)];
  if (local != nullptr) {
    snapshot.fileNames_[static_cast<std::size_t>(ConfigLayer::kLocal)] = local->displayName();
    for (const ConfigEntry& entry : local->entries()) {
      if (local->find(entry.key) != &entry) continue;
      const auto it = snapshot.values_.find(entry.key);
      if (it != snapshot.values_.end() && (it->second.locked || it->second.forced)) continue;
      snapshot.values_.insert_or_assign(entry.key, fromEntry(entry, ConfigLayer::kLocal, false));
    }
  }
  for (const auto& [key, value] : snapshot.values_) {
    const auto parts = parseSipKey(key);
    if (!parts || parts->line <= 0) continue;
    const SipKeySet set = sipKeySetOf(parts->suffix);
    if (set != SipKeySet::kNone) {
      snapshot.perLineSipSets_[static_cast<std::size_t>(parts->line)] |=
          1u << static_cast<unsigned>(set);
    }
  }
  return snapshot;
}

const EffectiveValue* ConfigSnapshot::find(std::string_view key) const {
  const auto it = isNormalizedKey(key) ? values_.find(key) : values_.find(normalizeKey(key));
  return it == values_.end() ? nullptr : &it->second;
}

std::optional<std::string> ConfigSnapshot::value(std::string_view key) const {
  const EffectiveValue* v = find(key);
  if (v == nullptr) return std::nullopt;
  return v->value;
}

bool ConfigSnapshot::locked(std::string_view key) const {
  const EffectiveValue* v = find(key);
  return v != nullptr && v->locked;
}

bool ConfigDiff::touchesPrefix(std::string_view prefix) const {
  return std::any_of(changes.begin(), changes.end(), [&](const KeyChange& change) {
    return std::string_view(change.key).substr(0, prefix.size()) == prefix;
  });
}

const KeyChange* ConfigDiff::find(std::string_view key) const {
  const std::string normalized = normalizeKey(key);
  for (const KeyChange& change : changes) {
    if (change.key == normalized) return &change;
  }
  return nullptr;
}

std::vector<KeyChange> diffSnapshots(const ConfigSnapshot& before, const ConfigSnapshot& after) {
  std::vector<KeyChange> changes;
  const auto& a = before.values();
  const auto& b = after.values();
  auto ia = a.begin();
  auto ib = b.begin();
  while (ia != a.end() || ib != b.end()) {
    if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
      changes.push_back({ia->first, ia->second, std::nullopt});
      ++ia;
    } else if (ia == a.end() || ib->first < ia->first) {
      changes.push_back({ib->first, std::nullopt, ib->second});
      ++ib;
    } else {
      if (ia->second.value != ib->second.value || ia->second.locked != ib->second.locked) {
        changes.push_back({ia->first, ia->second, ib->second});
      }
      ++ia;
      ++ib;
    }
  }
  return changes;
}

}  // namespace tr69::config
