#include "tr69/transfer/fault_mapping.h"

#include <gtest/gtest.h>

namespace tr69::transfer {
namespace {

FaultCode mapped(CURLcode code, Direction direction = Direction::kDownload) {
  TransferOutcome outcome;
  outcome.code = code;
  return mapOutcome(outcome, direction).code;
}

FaultCode mappedHttp(long status, Direction direction = Direction::kDownload) {
  TransferOutcome outcome;
  outcome.isHttp = true;
  outcome.responseCode = status;
  return mapOutcome(outcome, direction).code;
}

FaultCode mappedAbort(AbortReason reason) {
  TransferOutcome outcome;
  outcome.code = CURLE_WRITE_ERROR;
  outcome.abortReason = reason;
  return mapOutcome(outcome, Direction::kDownload).code;
}

TEST(FaultMapping, SuccessIsNone) {
  EXPECT_EQ(mapped(CURLE_OK), FaultCode::kNone);
  EXPECT_EQ(mappedHttp(200), FaultCode::kNone);
  EXPECT_EQ(mappedHttp(201, Direction::kUpload), FaultCode::kNone);
  EXPECT_EQ(mappedHttp(204, Direction::kUpload), FaultCode::kNone);
}

TEST(FaultMapping, HttpStatuses) {
  EXPECT_EQ(mappedHttp(401), FaultCode::kTransferServerAuthFailure);
  EXPECT_EQ(mappedHttp(403), FaultCode::kTransferServerAuthFailure);
  EXPECT_EQ(mappedHttp(407), FaultCode::kTransferServerAuthFailure);
  EXPECT_EQ(mappedHttp(404), FaultCode::kAccessFileFailure);
  EXPECT_EQ(mappedHttp(410), FaultCode::kAccessFileFailure);
  EXPECT_EQ(mappedHttp(500), FaultCode::kTransferFailure);
  EXPECT_EQ(mappedHttp(500, Direction::kUpload), FaultCode::kUploadFailure);
  EXPECT_EQ(mappedHttp(301), FaultCode::kTransferFailure);
}

TEST(FaultMapping, CurlCodes) {
  EXPECT_EQ(mapped(CURLE_COULDNT_CONNECT), FaultCode::kContactFileServerFailure);
  EXPECT_EQ(mapped(CURLE_COULDNT_RESOLVE_HOST), FaultCode::kContactFileServerFailure);
  EXPECT_EQ(mapped(CURLE_PEER_FAILED_VERIFICATION), FaultCode::kContactFileServerFailure);
  EXPECT_EQ(mapped(CURLE_LOGIN_DENIED), FaultCode::kTransferServerAuthFailure);
  EXPECT_EQ(mapped(CURLE_REMOTE_FILE_NOT_FOUND), FaultCode::kAccessFileFailure);
  EXPECT_EQ(mapped(CURLE_TFTP_NOTFOUND), FaultCode::kAccessFileFailure);
  EXPECT_EQ(mapped(CURLE_FTP_COULDNT_RETR_FILE), FaultCode::kAccessFileFailure);
  EXPECT_EQ(mapped(CURLE_PARTIAL_FILE), FaultCode::kCompleteDownloadFailure);
  EXPECT_EQ(mapped(CURLE_OPERATION_TIMEDOUT), FaultCode::kCompleteDownloadFailure);
  EXPECT_EQ(mapped(CURLE_OPERATION_TIMEDOUT, Direction::kUpload), FaultCode::kUploadFailure);
  EXPECT_EQ(mapped(CURLE_BAD_CONTENT_ENCODING), FaultCode::kFileCorrupted);
  EXPECT_EQ(mapped(CURLE_UNSUPPORTED_PROTOCOL), FaultCode::kUnsupportedTransferProtocol);
  EXPECT_EQ(mapped(CURLE_WRITE_ERROR), FaultCode::kTransferFailure);
  EXPECT_EQ(mapped(CURLE_REMOTE_DISK_FULL, Direction::kUpload), FaultCode::kUploadFailure);
  EXPECT_EQ(mapped(CURLE_UPLOAD_FAILED, Direction::kUpload), FaultCode::kUploadFailure);
  EXPECT_EQ(mapped(CURLE_REMOTE_FILE_NOT_FOUND, Direction::kUpload), FaultCode::kUploadFailure);
  EXPECT_EQ(mapped(CURLE_OUT_OF_MEMORY), FaultCode::kTransferFailure);
  EXPECT_EQ(mapped(CURLE_OUT_OF_MEMORY, Direction::kUpload), FaultCode::kUploadFailure);
}

TEST(FaultMapping, OwnAborts) {
  EXPECT_EQ(mappedAbort(AbortReason::kDiskFull), FaultCode::kTransferFailure);
  EXPECT_EQ(mappedAbort(AbortReason::kWriteError), FaultCode::kTransferFailure);
  EXPECT_EQ(mappedAbort(AbortReason::kTooLarge), FaultCode::kTransferFailure);
  EXPECT_EQ(mappedAbort(AbortReason::kSizeMismatch), FaultCode::kFileCorrupted);
  EXPECT_EQ(mappedAbort(AbortReason::kWindowEnded), FaultCode::kTimeWindowFailure);
  EXPECT_EQ(mappedAbort(AbortReason::kTimeout), FaultCode::kCompleteDownloadFailure);
}

TEST(FaultMapping, EveryMappedCodeIsAllowedInTransferComplete) {
  for (int code = 0; code < CURL_LAST; ++code) {
    for (Direction direction : {Direction::kDownload, Direction::kUpload}) {
      TransferOutcome outcome;
      outcome.code = static_cast<CURLcode>(code);
      const Fault fault = mapOutcome(outcome, direction);
      if (fault.code == FaultCode::kUnsupportedTransferProtocol) continue;  // response-only code
      EXPECT_TRUE(allowedInTransferComplete(fault.code)) << code;
      if (code != CURLE_OK) {
        EXPECT_FALSE(fault.message.empty()) << code;
      }
    }
  }
}

TEST(FaultMapping, AllowedInTransferComplete) {
  EXPECT_TRUE(allowedInTransferComplete(FaultCode::kNone));
  EXPECT_TRUE(allowedInTransferComplete(FaultCode::kTimeWindowFailure));
  EXPECT_FALSE(allowedInTransferComplete(FaultCode::kInvalidArguments));
  EXPECT_FALSE(allowedInTransferComplete(FaultCode::kUnsupportedTransferProtocol));
  EXPECT_FALSE(allowedInTransferComplete(FaultCode::kCancelNotPermitted));
  EXPECT_EQ(
      toTransferCompleteFault({FaultCode::kInvalidParameterValue, "x"}, FaultCode::kTransferFailure)
          .code,
      FaultCode::kTransferFailure);
  EXPECT_EQ(
      toTransferCompleteFault({FaultCode::kInternalError, "x"}, FaultCode::kTransferFailure).code,
      FaultCode::kInternalError);
}

TEST(TransferUrl, Schemes) {
  EXPECT_TRUE(checkTransferUrl("http://127.0.0.1/fw.bin").ok());
  EXPECT_TRUE(checkTransferUrl("HTTPS://example.com/fw.bin").ok());
  EXPECT_TRUE(checkTransferUrl("ftp://u:p@example.com/fw.bin").ok());
  EXPECT_TRUE(checkTransferUrl("tftp://example.com/fw.bin").ok());
  EXPECT_EQ(checkTransferUrl("gopher://example.com/x").fault().code,
            FaultCode::kUnsupportedTransferProtocol);
  EXPECT_EQ(checkTransferUrl("file:///etc/passwd").fault().code,
            FaultCode::kUnsupportedTransferProtocol);
  EXPECT_EQ(checkTransferUrl("sftp://example.com/x").fault().code,
            FaultCode::kUnsupportedTransferProtocol);
}

TEST(TransferUrl, Malformed) {
  EXPECT_EQ(checkTransferUrl("").fault().code, FaultCode::kInvalidArguments);
  EXPECT_EQ(checkTransferUrl("example.com/fw.bin").fault().code, FaultCode::kInvalidArguments);
  EXPECT_EQ(checkTransferUrl("://x").fault().code, FaultCode::kInvalidArguments);
  EXPECT_EQ(checkTransferUrl("http://").fault().code, FaultCode::kInvalidArguments);
  EXPECT_EQ(checkTransferUrl("http://exa mple.com/").fault().code, FaultCode::kInvalidArguments);
  EXPECT_EQ(checkTransferUrl("http://example.com/" + std::string(300, 'a')).fault().code,
            FaultCode::kInvalidArguments);
}

TEST(FileTypes, Download) {
  EXPECT_TRUE(checkDownloadFileType("1 Firmware Upgrade Image").ok());
  EXPECT_TRUE(checkDownloadFileType("3 Vendor Configuration File").ok());
  EXPECT_EQ(checkDownloadFileType("2 Web Content").fault().code, FaultCode::kRequestDenied);
  EXPECT_EQ(checkDownloadFileType("4 Tone File").fault().code, FaultCode::kRequestDenied);
  EXPECT_EQ(checkDownloadFileType("5 Ringer File").fault().code, FaultCode::kRequestDenied);
  EXPECT_EQ(checkDownloadFileType("X 00085D Logo").fault().code, FaultCode::kRequestDenied);
  EXPECT_EQ(checkDownloadFileType("").fault().code, FaultCode::kInvalidArguments);
  EXPECT_EQ(checkDownloadFileType("1 firmware upgrade image").fault().code,
            FaultCode::kInvalidArguments);
  EXPECT_EQ(checkDownloadFileType("9 Other").fault().code, FaultCode::kInvalidArguments);
}

TEST(FileTypes, Upload) {
  EXPECT_TRUE(checkUploadFileType("1 Vendor Configuration File").ok());
  EXPECT_TRUE(checkUploadFileType("2 Vendor Log File").ok());
  EXPECT_EQ(checkUploadFileType("3 Vendor Configuration File 1").fault().code,
            FaultCode::kRequestDenied);
  EXPECT_EQ(checkUploadFileType("4 Vendor Log File 2").fault().code, FaultCode::kRequestDenied);
  EXPECT_EQ(checkUploadFileType("1 Firmware Upgrade Image").fault().code,
            FaultCode::kInvalidArguments);
}

TEST(TransferKinds, EventNames) {
  EXPECT_EQ(mEventName(TransferKind::kDownload), "M Download");
  EXPECT_EQ(mEventName(TransferKind::kUpload), "M Upload");
  EXPECT_EQ(mEventName(TransferKind::kScheduleDownload), "M ScheduleDownload");
}

}  // namespace
}  // namespace tr69::transfer
