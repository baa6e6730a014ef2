// The one place where transfer failures become CWMP fault codes (cwmp.md 3.2), and where URL
// schemes and FileTypes are judged. The full table is in fault_mapping.cpp; the module README
// (docs in transfer_manager.h) repeats it.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "tr69/base/fault.h"
#include "tr69/transfer/transfer_types.h"

namespace tr69::transfer {

enum class Direction : std::uint8_t { kDownload, kUpload };

// Why the transfer module itself stopped a running transfer (from a libcurl callback).
enum class AbortReason : std::uint8_t {
  kNone,
  kDiskFull,      // ENOSPC / EDQUOT, or not enough free space for the announced size
  kWriteError,    // other local write error
  kTooLarge,      // more bytes than the configured bound for this FileType
  kSizeMismatch,  // more bytes than FileSize, or a Content-Length different from FileSize
  kWindowEnded,   // the ScheduleDownload time window ended
  kTimeout,       // no progress for the configured time
};

// What a finished libcurl transfer reported.
struct TransferOutcome {
  CURLcode code = CURLE_OK;
  long responseCode = 0;  // HTTP status, FTP reply code; 0 when none
  bool isHttp = false;
  std::uint64_t bytes = 0;  // payload bytes received (download) or sent (upload)
  AbortReason abortReason = AbortReason::kNone;
  std::string errorText;  // curl's error buffer (never contains the password)
};

// FaultCode::kNone when the transfer succeeded (CURLE_OK and, for HTTP, a 2xx status), otherwise
// the fault for TransferComplete with a one-line FaultString.
Fault mapOutcome(const TransferOutcome& outcome, Direction direction);

// "http", "https", "ftp", "tftp" and only when the running libcurl supports them
// (curl_version_info). The scheme is compared case-insensitively.
bool schemeSupported(std::string_view scheme);

// Checks a URL from a Download/Upload/ScheduleDownload: 9003 when empty, longer than 256
// characters or unparsable (or without a host); 9013 when the scheme is not supported.
Status checkTransferUrl(const std::string& url);

// Download FileType: ok for the two this phone executes; 9001 for the other standard values
// ("2 Web Content", "4 Tone File", "5 Ringer File") and vendor "X <OUI> <name>" types; 9003 for
// anything else (cwmp.md 2.3: an unknown file type is 9003).
Status checkDownloadFileType(std::string_view fileType);
// Upload FileType: ok for "1 Vendor Configuration File" and "2 Vendor Log File"; 9001 for
// "3 Vendor Configuration File <i>", "4 Vendor Log File <i>" and vendor types; 9003 otherwise.
Status checkUploadFileType(std::string_view fileType);

// A fault from DeviceActions as TransferComplete may carry it: its code when allowed there,
// otherwise `fallback`.
Fault toTransferCompleteFault(const Fault& fault, FaultCode fallback);

}  // namespace tr69::transfer
