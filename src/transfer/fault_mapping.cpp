#include "tr69/transfer/fault_mapping.h"

#include <algorithm>
#include <cctype>
#include <memory>

namespace tr69::transfer {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string describe(const TransferOutcome& outcome) {
  std::string text = curl_easy_strerror(outcome.code);
  if (!outcome.errorText.empty()) text += ": " + outcome.errorText;
  return text;
}

// Generic failure of the direction: 9010 "File transfer failure" / 9011 "Upload failure".
FaultCode generic(Direction direction) {
  return direction == Direction::kDownload ? FaultCode::kTransferFailure
                                           : FaultCode::kUploadFailure;
}

// Interrupted after contact: 9017 "unable to complete download" / 9011 for uploads.
FaultCode incomplete(Direction direction) {
  return direction == Direction::kDownload ? FaultCode::kCompleteDownloadFailure
                                           : FaultCode::kUploadFailure;
}

Fault fromAbortReason(const TransferOutcome& outcome, Direction direction) {
  switch (outcome.abortReason) {
    case AbortReason::kDiskFull:
      return {FaultCode::kTransferFailure, "not enough space in the state directory"};
    case AbortReason::kWriteError:
      return {FaultCode::kTransferFailure,
              "cannot write the downloaded file: " + outcome.errorText};
    case AbortReason::kTooLarge:
      return {FaultCode::kTransferFailure, "file larger than this phone accepts for its FileType"};
    case AbortReason::kSizeMismatch:
      return {FaultCode::kFileCorrupted, "file size differs from FileSize: " + outcome.errorText};
    case AbortReason::kWindowEnded:
      return {FaultCode::kTimeWindowFailure,
              "unable to complete the download within the time windows"};
    case AbortReason::kTimeout:
      return {incomplete(direction), "transfer stalled: " + outcome.errorText};
    case AbortReason::kNone:
      break;
  }
  return {generic(direction), "aborted"};
}

Fault fromHttpStatus(long status, Direction direction) {
  const std::string text = "HTTP status " + std::to_string(status);
  if (status == 401 || status == 403 || status == 407) {
    return {FaultCode::kTransferServerAuthFailure, text + " (authentication failed)"};
  }
  if (status == 404 || status == 410) return {FaultCode::kAccessFileFailure, text + " (no file)"};
  if (status >= 500) return {generic(direction), text + " (server error)"};
  return {generic(direction), text};
}

}  // namespace

// The mapping table. Rows in order of evaluation:
//   our own abort (write callback)        -> see fromAbortReason: disk full / write error /
//                                            too large 9010, size mismatch 9018, window ended
//                                            9020, stalled 9017 (upload 9011)
//   curl OK, HTTP 2xx (or not HTTP)       -> success
//   curl OK, HTTP 401/403/407             -> 9012
//   curl OK, HTTP 404/410                 -> 9016 (cwmp.md checklist 57 allows 9010 or 9016;
//                                            9016 "unable to access file" is the precise one)
//   curl OK, other HTTP status            -> 9010 download / 9011 upload
//   unsupported protocol                  -> 9013 (only reachable if a redirect changes scheme)
//   resolve / connect / TLS failures      -> 9015 unable to contact file server
//   login denied, auth error              -> 9012
//   remote file not found, TFTP not found,
//   FTP RETR failed, access denied        -> 9016
//   partial file, receive/send error,
//   got nothing, timeout, TFTP protocol   -> 9017 download / 9011 upload
//   bad content encoding                  -> 9018 file corrupted
//   write error / file size exceeded      -> 9010
//   remote disk full, upload failed       -> 9011
//   anything else                         -> 9010 download / 9011 upload
Fault mapOutcome(const TransferOutcome& outcome, Direction direction) {
  if (outcome.abortReason != AbortReason::kNone) return fromAbortReason(outcome, direction);
  if (outcome.code == CURLE_OK) {
    if (outcome.isHttp && (outcome.responseCode < 200 || outcome.responseCode > 299)) {
      return fromHttpStatus(outcome.responseCode, direction);
    }
    return {FaultCode::kNone, ""};
  }
  const std::string text = describe(outcome);
  switch (outcome.code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {FaultCode::kUnsupportedTransferProtocol, text};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_FTP_ACCEPT_FAILED:
    case CURLE_FTP_ACCEPT_TIMEOUT:
    case CURLE_FTP_CANT_GET_HOST:
    case CURLE_FTP_WEIRD_SERVER_REPLY:
      return {FaultCode::kContactFileServerFailure, text};
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      return {FaultCode::kTransferServerAuthFailure, text};
    case CURLE_REMOTE_FILE_NOT_FOUND:
    case CURLE_TFTP_NOTFOUND:
    case CURLE_TFTP_PERM:
    case CURLE_FTP_COULDNT_RETR_FILE:
    case CURLE_REMOTE_ACCESS_DENIED:
      if (direction == Direction::kUpload && outcome.code == CURLE_REMOTE_FILE_NOT_FOUND)
        return {FaultCode::kUploadFailure, text};
      return {FaultCode::kAccessFileFailure, text};
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_TFTP_ILLEGAL:
    case CURLE_TFTP_UNKNOWNID:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return {incomplete(direction), text};
    case CURLE_BAD_CONTENT_ENCODING:
      return {FaultCode::kFileCorrupted, text};
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      return {FaultCode::kTransferFailure, text};
    case CURLE_REMOTE_DISK_FULL:
    case CURLE_UPLOAD_FAILED:
    case CURLE_TFTP_NOSUCHUSER:
      return {FaultCode::kUploadFailure, text};
    default:
      return {generic(direction), text};
  }
}

bool schemeSupported(std::string_view scheme) {
  const std::string wanted = lower(scheme);
  if (wanted != "http" && wanted != "https" && wanted != "ftp" && wanted != "tftp") return false;
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  if (info == nullptr || info->protocols == nullptr) return false;
  for (const char* const* protocol = info->protocols; *protocol != nullptr; ++protocol) {
    if (wanted == *protocol) return true;
  }
  return false;
}

Status checkTransferUrl(const std::string& url) {
  if (url.empty()) return Fault(FaultCode::kInvalidArguments, "URL is empty");
  if (url.size() > 256)
    return Fault(FaultCode::kInvalidArguments, "URL longer than 256 characters");
  const std::size_t colon = url.find("://");
  if (colon == std::string::npos || colon == 0) {
    return Fault(FaultCode::kInvalidArguments, "URL has no scheme");
  }
  const std::string_view scheme(url.data(), colon);
  if (!schemeSupported(scheme)) {
    return Fault(FaultCode::kUnsupportedTransferProtocol,
                 "unsupported transfer protocol '" + std::string(scheme) + "'");
  }
  std::unique_ptr<CURLU, void (*)(CURLU*)> parsed(curl_url(), &curl_url_cleanup);
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return Fault(FaultCode::kInvalidArguments, "URL cannot be parsed");
  }
  char* host = nullptr;
  const bool hasHost =
      curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK && host && *host;
  curl_free(host);
  if (!hasHost) return Fault(FaultCode::kInvalidArguments, "URL has no host");
  return {};
}

Status checkDownloadFileType(std::string_view fileType) {
  if (fileType == kFirmwareImage || fileType == kDownloadConfigFile) return {};
  if (fileType == "2 Web Content" || fileType == "4 Tone File" || fileType == "5 Ringer File" ||
      fileType.starts_with("X ")) {
    return Fault(FaultCode::kRequestDenied,
                 "FileType '" + std::string(fileType) + "' is not supported by this phone");
  }
  return Fault(FaultCode::kInvalidArguments, "unknown FileType");
}

Status checkUploadFileType(std::string_view fileType) {
  if (fileType == kUploadConfigFile || fileType == kUploadLogFile) return {};
  if (fileType.starts_with("3 Vendor Configuration File ") ||
      fileType.starts_with("4 Vendor Log File ") || fileType.starts_with("X ")) {
    return Fault(FaultCode::kRequestDenied,
                 "FileType '" + std::string(fileType) + "' is not supported by this phone");
  }
  return Fault(FaultCode::kInvalidArguments, "unknown FileType");
}

Fault toTransferCompleteFault(const Fault& fault, FaultCode fallback) {
  if (fault.code != FaultCode::kNone && allowedInTransferComplete(fault.code)) return fault;
  return {fallback, fault.message};
}

}  // namespace tr69::transfer
