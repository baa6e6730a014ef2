// The persistent state of the transfer module: <state-dir>/transfers.xml (pugixml), replaced
// atomically (writeFileAtomic, mode 0600: it holds the file-server passwords the ACS gave).
//
//   <transfers version="1" next-id="7">
//     <job id="3" kind="download" command-key="k" file-type="1 Firmware Upgrade Image"
//          url="http://..." username="u" password="p" file-size="123" target=""
//          accepted-at="1764222000" due-at="1764222060" running="0" starts="0" start-time="">
//       <window start="1764222000" end="1764225600" mode="1 At Any Time" message=""
//       max-retries="-1"/>
//     </job>
//     <result id="2" kind="upload" command-key="k" fault-code="0" fault-string="" start="..."
//             complete="..." phase="pending" image=""/>
//   </transfers>
//
// Times in the file are Unix seconds (wall clock), so a delay or a time window keeps its place
// across a reboot. parseState() recovers what it can: an entry with a bad attribute is skipped
// (and counted), an unparsable document is an error (the manager then quarantines the file).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/transfer/transfer_types.h"

namespace tr69::transfer {

inline constexpr std::size_t kMaxStateFileBytes = 256 * 1024;

struct StoredWindow {
  std::int64_t start = 0;  // Unix seconds
  std::int64_t end = 0;
  std::string mode;
  std::string message;
  int maxRetries = -1;
  bool operator==(const StoredWindow&) const = default;
};

// A transfer that has not finished yet.
struct Job {
  std::uint64_t id = 0;
  TransferKind kind = TransferKind::kDownload;
  std::string commandKey;
  std::string fileType;
  std::string url;
  std::string username;
  std::string password;
  std::uint32_t fileSize = 0;
  std::string targetFileName;
  std::int64_t acceptedAt = 0;        // Unix seconds
  std::int64_t dueAt = 0;             // Download/Upload: accepted + DelaySeconds
  std::vector<StoredWindow> windows;  // ScheduleDownload only
  bool running = false;               // was in progress when the file was written
  int starts = 0;                     // attempts started so far (a restart after a crash counts)
  std::string startTime;              // dateTime of the first start, empty before
  bool operator==(const Job&) const = default;
};

enum class ResultPhase : std::uint8_t {
  kPending,             // waiting for TransferComplete / its response
  kFirmwareReady,       // firmware downloaded and verified, install not started; not reported
  kFirmwareInstalling,  // install started (the device may reboot inside it); not reported
};

struct StoredResult {
  TransferResult result;
  ResultPhase phase = ResultPhase::kPending;
  std::string image;  // firmware image path (ready / installing)
};

struct TransferState {
  std::uint64_t nextId = 1;
  std::vector<Job> jobs;
  std::vector<StoredResult> results;
};

struct ParsedState {
  TransferState state;
  std::size_t skippedEntries = 0;
};

std::string serializeState(const TransferState& state);
// kInternalError when the text is not a transfers document at all.
Result<ParsedState> parseState(std::string_view xml);

}  // namespace tr69::transfer
