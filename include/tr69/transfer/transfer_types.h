// Requests, queue entries and results of the file-transfer RPCs (cwmp.md 2.2/2.3), independent of
// the SOAP codec: the RPC handlers copy the decoded arguments into these structs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"

namespace tr69::transfer {

// Download / ScheduleDownload FileType values this phone executes.
inline constexpr std::string_view kFirmwareImage = "1 Firmware Upgrade Image";
inline constexpr std::string_view kDownloadConfigFile = "3 Vendor Configuration File";
// Upload FileType values this phone executes.
inline constexpr std::string_view kUploadConfigFile = "1 Vendor Configuration File";
inline constexpr std::string_view kUploadLogFile = "2 Vendor Log File";

// Which RPC created a transfer: decides the M event (M Download / M Upload / M ScheduleDownload).
enum class TransferKind : std::uint8_t { kDownload, kUpload, kScheduleDownload };
std::string_view transferKindName(TransferKind kind);  // "download", "upload", "scheduleDownload"
std::string_view mEventName(TransferKind kind);        // "M Download", ...

struct DownloadRequest {
  std::string commandKey;
  std::string fileType;
  std::string url;
  std::string username;
  std::string password;        // never logged
  std::uint32_t fileSize = 0;  // 0 = unknown
  std::string targetFileName;
  std::uint32_t delaySeconds = 0;
  std::string successUrl;  // not used: the phone has no browser to redirect
  std::string failureUrl;
};

struct UploadRequest {
  std::string commandKey;
  std::string fileType;
  std::string url;
  std::string username;
  std::string password;  // never logged
  std::uint32_t delaySeconds = 0;
};

inline constexpr std::string_view kWindowAtAnyTime = "1 At Any Time";
inline constexpr std::string_view kWindowImmediately = "2 Immediately";
inline constexpr std::string_view kWindowWhenIdle = "3 When Idle";
inline constexpr std::string_view kWindowConfirmationNeeded = "4 Confirmation Needed";

struct TimeWindow {
  std::uint32_t windowStart = 0;  // seconds after the RPC
  std::uint32_t windowEnd = 0;
  std::string windowMode;
  std::string userMessage;
  int maxRetries = -1;  // -1: the CPE decides
};

struct ScheduleDownloadRequest {
  std::string commandKey;
  std::string fileType;
  std::string url;
  std::string username;
  std::string password;  // never logged
  std::uint32_t fileSize = 0;
  std::string targetFileName;
  std::vector<TimeWindow> timeWindows;  // 1..2
};

// DownloadResponse / UploadResponse contents of an accepted request: Status 1 (completes later)
// and the Unknown Time for both times.
struct Accepted {
  int status = 1;
  std::string startTime;
  std::string completeTime;
};

enum class QueueState : int { kNotYetStarted = 1, kInProgress = 2, kCompleted = 3 };

struct QueuedTransfer {
  std::string commandKey;
  QueueState state = QueueState::kNotYetStarted;
};

struct AllQueuedTransfer {
  std::string commandKey;
  QueueState state = QueueState::kNotYetStarted;
  bool isDownload = true;
  std::string fileType;
  std::uint32_t fileSize = 0;
  std::string targetFileName;
};

// One TransferComplete to deliver.
struct TransferResult {
  std::uint64_t id = 0;  // unique within the state directory
  std::string commandKey;
  TransferKind kind = TransferKind::kDownload;
  FaultCode faultCode = FaultCode::kNone;  // 0 or a code TransferComplete may carry
  std::string faultString;                 // empty on success
  std::string startTime;                   // dateTime, Unknown Time allowed
  std::string completeTime;
};

// True for the codes a TransferComplete FaultStruct may carry (cwmp.md 3.2): 0, 9001, 9002, 9010,
// 9011, 9012, 9014-9020 (9033-9899 are reserved/vendor and never produced here).
bool allowedInTransferComplete(FaultCode code);

}  // namespace tr69::transfer
