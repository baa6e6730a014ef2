// The persistent state journal: everything the agent must remember across a reboot, a crash or a
// power cut, in one state directory (design.md "Persistence").
//
// File layout: <dir>/state.xml (pugixml XML) holds one element per section, each with an MD5 of
// its decoded content. Every save() replaces the file atomically and durably (writeFileAtomic)
// after renaming the previous file to state.xml.bak, so the directory always holds the current
// and the previous generation.
// Recovery: a section whose checksum does not match (or that is missing from a damaged file) is
// taken from state.xml.bak when that copy is intact, otherwise it starts empty; every other
// section is kept. A damaged state.xml is copied to state.xml.corrupt for inspection, logged, and
// never rotated into state.xml.bak. A section recovered from the previous generation may be one
// save old (e.g. an event already delivered comes back once): that is preferred to losing a
// pending TransferComplete.
// Unknown elements and attributes are ignored, so newer files load in older agents.
//
// Use: at start-up load() once, restore the EventQueue from `events`, raise 0 BOOTSTRAP when
// needsBootstrap(state, ManagementServer.URL); other modules keep their own data as named blobs
// (attributes, notification baseline, UDP CR last ts/id, transfer queue) in `blobs`. After every
// change that must survive a reboot, update the struct and save() it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/session/event_queue.h"

namespace tr69::session {

// A TransferComplete the ACS has not yet acknowledged.
struct TransferResult {
  std::string commandKey;
  std::uint32_t faultCode = 0;  // 0: success
  std::string faultString;
  std::string startTime;  // dateTime text as it goes into the TransferComplete
  std::string completeTime;
  // The transfer module's id of this result (0: none). The daemon hands a result over to the
  // journal exactly once by this id, even when a crash falls between the two state files.
  std::uint64_t transferId = 0;
  bool operator==(const TransferResult&) const = default;
};

struct PersistentState {
  std::vector<StoredEvent> events;
  std::string parameterKey;
  // The ManagementServer.URL of the last BOOTSTRAP that reached the ACS; nullopt: never.
  std::optional<std::string> bootstrappedAcsUrl;
  std::uint32_t retryCount = 0;
  std::vector<TransferResult> transferResults;
  // Opaque sections of other modules by name ([A-Za-z0-9._-], 1..64 characters); any bytes.
  std::map<std::string, std::string> blobs;
  bool operator==(const PersistentState&) const = default;
};

// True when 0 BOOTSTRAP must be raised: never bootstrapped, or the URL changed in any way.
bool needsBootstrap(const PersistentState& state, std::string_view currentAcsUrl);

bool isValidBlobName(std::string_view name);

// The serialised form of a state (deterministic).
std::string serializeState(const PersistentState& state, std::uint64_t generation);

// Section names used in logs and in ParsedState: "events", "parameter-key", "acs-url",
// "retry-count", "transfer-results" and "blob:<name>".
struct ParsedState {
  PersistentState state;  // the valid sections; the others are left at their defaults
  std::vector<std::string> validSections;
  std::vector<std::string> invalidSections;  // present but failing their checksum or shape
  bool wellFormed = false;                   // the whole document parsed
  std::uint64_t generation = 0;
  std::string error;  // parser message when not well-formed
};

// Parses a state file's content; never throws, whatever the input.
ParsedState parseState(std::string_view xml);

class StateStore {
 public:
  static constexpr const char* kFileName = "state.xml";
  static constexpr const char* kBackupName = "state.xml.bak";
  static constexpr const char* kCorruptName = "state.xml.corrupt";
  static constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;

  StateStore(std::filesystem::path directory, const Logger& logger);

  // Loads the state, recovering damaged sections as described above. Fails only when the
  // directory does not exist or cannot be read. A missing file is a fresh state.
  Result<PersistentState> load();
  // Writes the state (mode 0600: blobs may hold secrets of other modules). A state equal to the
  // one this store saved last is not written again.
  Status save(const PersistentState& state);

  // After load(): sections taken from state.xml.bak and sections lost altogether.
  const std::vector<std::string>& recoveredSections() const { return recovered_; }
  const std::vector<std::string>& lostSections() const { return lost_; }

  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
  const Logger& logger_;
  std::uint64_t generation_ = 0;
  bool currentFileTrusted_ = false;           // state.xml is intact and may become state.xml.bak
  std::optional<PersistentState> lastSaved_;  // what the last save() wrote (unchanged: no write)
  std::vector<std::string> recovered_;
  std::vector<std::string> lost_;
};

}  // namespace tr69::session
