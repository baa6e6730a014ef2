// Uploads over HTTP PUT on loopback: configuration backup and log, checked byte for byte.
#include <gtest/gtest.h>

#include <regex>

#include "transfer/transfer_test_util.h"
#include "transport/test_http_server.h"

namespace tr69::transfer {
namespace {

using transport::testing::TestHttpServer;
using transport::testing::TestRequest;
using transport::testing::TestResponse;

class UploadTest : public testing::TransferFixture {
 protected:
  UploadRequest request(std::string fileType, std::string url) {
    UploadRequest r;
    r.commandKey = "up-1";
    r.fileType = std::move(fileType);
    r.url = std::move(url);
    return r;
  }
  TransferResult runToResult(const UploadRequest& r) {
    auto accepted = manager->upload(r);
    EXPECT_TRUE(accepted.ok()) << (accepted.ok() ? "" : accepted.fault().message);
    if (accepted.ok()) {
      EXPECT_EQ(accepted->status, 1);
      EXPECT_EQ(accepted->startTime, "0001-01-01T00:00:00Z");
    }
    const std::size_t before = results.size();
    EXPECT_TRUE(runUntil([&] { return results.size() > before; }));
    return results.empty() ? TransferResult{} : results.back();
  }
};

TestResponse created() {
  TestResponse response;
  response.status = 201;
  return response;
}

TEST_F(UploadTest, ConfigBackupIsPutAsMacLocalCfg) {
  TestHttpServer server([](const TestRequest&) { return created(); });
  makeManager();
  const TransferResult result =
      runToResult(request("1 Vendor Configuration File", server.url("/backup/")));
  EXPECT_EQ(result.faultCode, FaultCode::kNone) << result.faultString;
  EXPECT_EQ(result.kind, TransferKind::kUpload);
  EXPECT_EQ(result.commandKey, "up-1");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/backup/00085D1A2B3C_local.cfg");
  EXPECT_EQ(requests[0].body, *device.backup);
  EXPECT_EQ(manager->pendingResults().size(), 1u);
}

TEST_F(UploadTest, LogIsPutAsMacTimeCrashLog) {
  TestHttpServer server([](const TestRequest&) { return created(); });
  device.log = testing::patternBytes(300 * 1024);  // binary-safe, several read callbacks
  makeManager();
  const TransferResult result = runToResult(request("2 Vendor Log File", server.url("/logs/")));
  EXPECT_EQ(result.faultCode, FaultCode::kNone) << result.faultString;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(
      std::regex_match(requests[0].target, std::regex("/logs/00085D1A2B3C_[0-9]{14}_crash\\.log")))
      << requests[0].target;
  EXPECT_EQ(requests[0].body, *device.log);
}

TEST_F(UploadTest, AUrlWithAFileNameIsUsedAsGiven) {
  TestHttpServer server([](const TestRequest&) { return created(); });
  makeManager();
  const TransferResult result =
      runToResult(request("1 Vendor Configuration File", server.url("/store/phone-42.cfg")));
  EXPECT_EQ(result.faultCode, FaultCode::kNone);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].target, "/store/phone-42.cfg");
}

TEST_F(UploadTest, CredentialsAreUsedAndNotLogged) {
  TestHttpServer server([](const TestRequest& r) {
    // base64("acs:upl0ad")
    if (r.header("Authorization") == std::optional<std::string>("Basic YWNzOnVwbDBhZA==")) {
      return created();
    }
    TestResponse response;
    response.status = 401;
    response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"up\"");
    return response;
  });
  makeManager();
  UploadRequest r = request("1 Vendor Configuration File", server.url("/u/"));
  r.username = "acs";
  r.password = "upl0ad";
  EXPECT_EQ(runToResult(r).faultCode, FaultCode::kNone);
  const auto requests = server.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().body, *device.backup);
  r.password = "bad";
  EXPECT_EQ(runToResult(r).faultCode, FaultCode::kTransferServerAuthFailure);
  EXPECT_FALSE(capture.contains("upl0ad"));
}

TEST_F(UploadTest, ServerErrorsAre9011) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse response;
    response.status = 500;
    return response;
  });
  makeManager();
  const TransferResult result = runToResult(request("2 Vendor Log File", server.url("/u/")));
  EXPECT_EQ(result.faultCode, FaultCode::kUploadFailure);
  EXPECT_NE(result.faultString.find("500"), std::string::npos);
}

TEST_F(UploadTest, ContentThatCannotBeReadEndsTheUpload) {
  TestHttpServer server([](const TestRequest&) { return created(); });
  device.log = Fault(FaultCode::kInternalError, "log file missing");
  device.backup = Fault(FaultCode::kInvalidArguments, "local.cfg unreadable");
  makeManager();
  TransferResult result = runToResult(request("2 Vendor Log File", server.url("/u/")));
  EXPECT_EQ(result.faultCode, FaultCode::kInternalError);
  EXPECT_EQ(result.faultString, "log file missing");
  result = runToResult(request("1 Vendor Configuration File", server.url("/u/")));
  EXPECT_EQ(result.faultCode, FaultCode::kUploadFailure);  // 9003 is not allowed there
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(UploadTest, RequestsAreCheckedAtOnce) {
  makeManager();
  EXPECT_EQ(
      manager->upload(request("3 Vendor Configuration File 1", "http://127.0.0.1:1/")).fault().code,
      FaultCode::kRequestDenied);
  EXPECT_EQ(manager->upload(request("9 Nothing", "http://127.0.0.1:1/")).fault().code,
            FaultCode::kInvalidArguments);
  EXPECT_EQ(manager->upload(request("2 Vendor Log File", "scp://127.0.0.1/")).fault().code,
            FaultCode::kUnsupportedTransferProtocol);
  EXPECT_TRUE(manager->queued().empty());
}

TEST_F(UploadTest, UploadsAppearInAllQueuedTransfers) {
  makeManager();
  UploadRequest r = request("2 Vendor Log File", "http://127.0.0.1:1/u/");
  r.delaySeconds = 3600;
  ASSERT_TRUE(manager->upload(r).ok());
  const auto all = manager->allQueued();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].isDownload);
  EXPECT_EQ(all[0].fileType, "2 Vendor Log File");
  EXPECT_EQ(all[0].state, QueueState::kNotYetStarted);
}

}  // namespace
}  // namespace tr69::transfer
