// The layered view over a phone's configuration directory: aastra.cfg, <model>.cfg, <mac>.cfg
// and local.cfg (precedence rules in config_snapshot.h), reloadable on SIGHUP, and the only
// writer of local.cfg.
//
// File names: aastra.cfg, <model>.cfg and <mac>.cfg are found case-insensitively (an exact match
// is preferred); the MAC is given in any common spelling and used as 12 upper-case hex digits
// ("00085D1A2B3C.cfg"). local.cfg is exactly "local.cfg". A missing file is an empty layer. A file
// larger than kMaxFileBytes, or one that cannot be read, is refused with a log line; on a reload
// the previously read content of that file stays in force (nothing is lost).
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/config/config_file.h"
#include "tr69/config/config_snapshot.h"
#include "tr69/config/local_edit.h"

namespace tr69::config {

// local.cfg holds passwords: written with this mode.
inline constexpr unsigned kLocalConfigMode = 0600;

struct ConfigStoreOptions {
  std::filesystem::path directory;
  std::string model;  // e.g. "6737i"; empty: no <model>.cfg layer
  std::string mac;    // e.g. "00:08:5d:1a:2b:3c"; empty or malformed: no <mac>.cfg layer
};

class ConfigStore {
 public:
  // Reads every file once. `log` must outlive the store.
  ConfigStore(ConfigStoreOptions options, const Logger& log);

  ConfigStore(const ConfigStore&) = delete;
  ConfigStore& operator=(const ConfigStore&) = delete;

  // Re-reads every file (SIGHUP, or a file watcher) and returns the keys whose effective value or
  // lock status changed since the previous read, with both snapshots.
  ConfigDiff reload();

  const ConfigSnapshot& snapshot() const { return *snapshot_; }
  std::shared_ptr<const ConfigSnapshot> sharedSnapshot() const { return snapshot_; }
  const ConfigFile& file(ConfigLayer layer) const { return files_[index(layer)]; }
  // The path the layer is read from ("" when the layer is disabled: no model or no valid MAC).
  std::filesystem::path pathOf(ConfigLayer layer) const;
  const std::string& mac() const { return mac_; }

  // Applies the batch to local.cfg in one atomic write (writeFileAtomic, kLocalConfigMode),
  // preserving every line it does not change byte for byte. Operations run in order on the
  // current content:
  //   set    replaces the key's last line in place (keeping its spelling, prefix and line end),
  //          drops earlier duplicate lines of the key, or appends "key: value" at the end;
  //          a line whose value is already equal is left untouched;
  //   remove deletes every line of the key; resetLine deletes every `sip line<N> ...` line.
  // Refused without writing anything:
  //   9001 kRequestDenied         a set or remove of a key that a server file locks ('!');
  //   9003 kInvalidArguments      an empty key, a key with ':' or control characters, a line
  //                               number outside 1..kMaxSipLines;
  //   9007 kInvalidParameterValue a value with control characters or invalid UTF-8, or a line
  //                               longer than kMaxLineBytes;
  //   9004 kResourcesExceeded     local.cfg would exceed kMaxFileBytes;
  //   9002 kInternalError         local.cfg cannot be read or written (the old file stays).
  // If local.cfg changed on disk since it was read, the store reloads first and applies the
  // batch to the new content (see EditResult::externalChanges); it checks again right before
  // the write, so an edit made in between is not clobbered (a writer that slips in between that
  // last check and the rename can still lose its edit: local.cfg has no lock shared with the
  // Web UI). The snapshot reflects the write at once, so a later reload() does not report the
  // batch's own changes as local changes.
  Result<EditResult> applyLocalEdit(const LocalEdit& edit, const EditOptions& options = {});

  // "00:08:5d:1a:2b:3c", "00-08-5D-1A-2B-3C", "00085d1a2b3c" -> "00085D1A2B3C"; nullopt otherwise.
  static std::optional<std::string> normalizeMac(std::string_view mac);

 private:
  static std::size_t index(ConfigLayer layer) { return static_cast<std::size_t>(layer); }
  std::filesystem::path resolveFile(std::string_view name) const;
  // Reads one layer into files_; false when the file could not be read (previous content kept).
  bool readLayer(ConfigLayer layer);
  void rebuildSnapshot();

  ConfigStoreOptions options_;
  const Logger& log_;
  std::string mac_;
  std::array<ConfigFile, kLayerCount> files_;
  std::array<bool, kLayerCount> present_{};
  std::shared_ptr<const ConfigSnapshot> snapshot_;
};

}  // namespace tr69::config
