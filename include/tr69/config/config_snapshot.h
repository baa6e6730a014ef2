// The effective configuration: every key of every file resolved by the Aastra precedence rules,
// and the difference between two such snapshots (for SIGHUP and local-change notification).
//
// Precedence and prefixes (aastra-config.md 1a; the choices marked [INFERRED] live only here):
//   * server files, lowest to highest: aastra.cfg < <model>.cfg < <mac>.cfg. The highest server
//     file that has the key wins, "including its lock status": a '!' in aastra.cfg is lifted by
//     a plain entry for the same key in <mac>.cfg, and vice versa.
//   * local.cfg (Web UI, phone UI and ACS writes) beats the server files, unless the winning
//     server entry is locked ('!') or forced ('^').
//   * '!' locked: local.cfg's value is ignored and the key cannot be written by the ACS
//     (ConfigStore::applyLocalEdit refuses with 9001).
//   * '^' forced [INFERRED]: the phone overwrites local changes with the file's value whenever it
//     loads the file; tr69d models that as "the server value wins over local.cfg for as long as
//     the '^' line exists". local.cfg is not modified on load; an ACS write to such a key is
//     stored but stays shadowed (EditResult::shadowedKeys says so).
//   * '!' and '^' inside local.cfg mean nothing and are ignored.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/config/config_file.h"

namespace tr69::config {

enum class ConfigLayer { kAastra = 0, kModel = 1, kMac = 2, kLocal = 3 };
inline constexpr std::size_t kLayerCount = 4;
// "aastra.cfg", "<model>.cfg", "<mac>.cfg", "local.cfg" (generic names, for messages).
std::string_view layerName(ConfigLayer layer);

struct EffectiveValue {
  std::string value;
  ConfigLayer source = ConfigLayer::kAastra;
  std::size_t lineNumber = 0;  // in the source file
  bool locked = false;         // the winning server entry has '!'
  bool forced = false;         // the winning server entry has '^'
  bool operator==(const EffectiveValue&) const = default;
};

class ConfigSnapshot {
 public:
  using Layers = std::array<const ConfigFile*, kLayerCount>;  // nullptr = file absent

  ConfigSnapshot() = default;
  static ConfigSnapshot resolve(const Layers& layers);

  // Lookups normalise `key` first, so "SIP Line1 Auth Name" works too.
  const EffectiveValue* find(std::string_view key) const;
  std::optional<std::string> value(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  bool locked(std::string_view key) const;
  // Every key present in any file, by normalised key.
  const std::map<std::string, EffectiveValue, std::less<>>& values() const { return values_; }
  // The file name each layer was read from ("" when absent), for messages.
  const std::string& fileName(ConfigLayer layer) const {
    return fileNames_[static_cast<std::size_t>(layer)];
  }
  // For the SIP set rule (sip_keys.h): bit (1 << int(SipKeySet)) is set when some per-line key
  // `sip line<line> <suffix>` of that set is present; computed once, as the rule asks it for
  // nearly every SIP parameter read. 0 for lines outside 1..9 (sip_keys.h: kMaxSipLines).
  unsigned perLineSipSets(int line) const {
    return line > 0 && static_cast<std::size_t>(line) < perLineSipSets_.size()
               ? perLineSipSets_[static_cast<std::size_t>(line)]
               : 0u;
  }

 private:
  std::map<std::string, EffectiveValue, std::less<>> values_;
  std::array<std::string, kLayerCount> fileNames_;
  std::array<unsigned, 10> perLineSipSets_{};
};

// One key whose effective value or lock status differs between two snapshots. `before`/`after`
// are nullopt when the key is absent on that side (the firmware default applies).
struct KeyChange {
  std::string key;
  std::optional<EffectiveValue> before;
  std::optional<EffectiveValue> after;
};

struct ConfigDiff {
  std::vector<KeyChange> changes;  // sorted by key
  // Both sides in full, so that a caller can re-evaluate derived values (e.g. per-line SIP values
  // under the set rule, see sip_keys.h) on each side.
  std::shared_ptr<const ConfigSnapshot> before;
  std::shared_ptr<const ConfigSnapshot> after;

  bool empty() const { return changes.empty(); }
  // True when a changed key starts with `prefix` (e.g. "tr69 ", "sip ").
  bool touchesPrefix(std::string_view prefix) const;
  const KeyChange* find(std::string_view key) const;
};

// Keys whose value or lock status differ (a change of source file alone is not a change).
std::vector<KeyChange> diffSnapshots(const ConfigSnapshot& before, const ConfigSnapshot& after);

}  // namespace tr69::config
