// A batch of changes to local.cfg, applied by ConfigStore::applyLocalEdit in ONE atomic write
// (one per CWMP session commit), and what it reports back to the caller.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/config/config_file.h"
#include "tr69/config/config_snapshot.h"

namespace tr69::config {

class LocalEdit {
 public:
  enum class Kind { kSet, kRemove, kResetLine };
  struct Operation {
    Kind kind;
    std::string key;  // normalised; empty for kResetLine
    std::string value;
    int line = 0;  // kResetLine only
  };

  // Sets `key` (any spelling; it is normalised) to `value` (unquoted; quoting happens on write).
  LocalEdit& set(std::string_view key, std::string_view value);
  // Removes every line of `key` from local.cfg, so the server files/default apply again.
  LocalEdit& remove(std::string_view key);
  // Removes every `sip line<N> ...` key from local.cfg: the line falls back to the server files
  // and the global `sip ...` keys (DeleteObject of VoiceProfile.N).
  LocalEdit& resetLine(int line);

  const std::vector<Operation>& operations() const { return ops_; }
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Operation> ops_;
};

struct EditOptions {
  // The set rule of aastra-config.md 1a: once any key of a SIP key set (sip_keys.h) is configured
  // per line, the line ignores ALL global keys of that set. With this option (default on), the
  // first per-line write into a set for a line that has no per-line key of that set yet first
  // copies the current effective global values of the whole set into `sip line<N> ...` keys, so
  // that the line keeps its registrar, ports, ... Global keys that are absent are not copied
  // (the per-line key stays absent, i.e. default). Keys the batch sets itself are not copied.
  bool copyGlobalSetOnFirstLineWrite = true;
};

struct EditResult {
  bool written = false;                   // false when the batch changed no byte of local.cfg
  std::vector<std::string> keysTouched;   // normalised keys whose local.cfg line changed, sorted
  std::set<int> linesTouched;             // N of every touched `sip line<N> ...` key and reset
  bool globalSipTouched = false;          // a global `sip ...` key changed: affects all lines
                                          // without a per-line value of that key's set
  std::vector<std::string> shadowedKeys;  // written, but a '^' server entry keeps winning
  // local.cfg had been changed on disk since it was last read (Web UI, another writer). The
  // store re-read it and merged the batch onto the new content instead of clobbering it; this
  // holds the effective changes that the foreign edit caused, for local-change notification.
  std::optional<ConfigDiff> externalChanges;
};

// The pure core of an edit (no I/O): the new local.cfg text for the batch applied to `local`,
// given `server`, the snapshot of the server files alone (resolved without local.cfg). It
// validates the batch, refuses locked keys and enforces the size limits exactly as
// ConfigStore::applyLocalEdit documents. `keysTouched` is empty when the text is unchanged.
struct EditPlan {
  std::string content;
  std::vector<std::string> keysTouched;  // normalised, sorted
};
Result<EditPlan> planLocalEdit(const ConfigFile& local, const ConfigSnapshot& server,
                               const LocalEdit& edit, const EditOptions& options = {});

}  // namespace tr69::config
