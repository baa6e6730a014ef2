// Downloads over HTTP on loopback: firmware and configuration files that succeed and that fail
// in each way, checked through TransferManager and the fake device.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tr69/base/datetime.h"
#include "transfer/transfer_test_util.h"
#include "transport/test_http_server.h"

namespace tr69::transfer {
namespace {

using transport::testing::TestHttpServer;
using transport::testing::TestRequest;
using transport::testing::TestResponse;

const std::string kConfig = "sip line1 auth name: 2001\nsip line1 user name: 2001\n";

class DownloadTest : public testing::TransferFixture {
 protected:
  DownloadRequest firmwareRequest(const std::string& url, std::uint32_t size) {
    DownloadRequest request;
    request.commandKey = "fw-1";
    request.fileType = std::string(kFirmwareImage);
    request.url = url;
    request.fileSize = size;
    return request;
  }
  DownloadRequest configRequest(const std::string& url) {
    DownloadRequest request;
    request.commandKey = "cfg-1";
    request.fileType = std::string(kDownloadConfigFile);
    request.url = url;
    return request;
  }
  // Accepts the request and waits for its result.
  TransferResult runToResult(const DownloadRequest& request) {
    auto accepted = manager->download(request);
    EXPECT_TRUE(accepted.ok()) << (accepted.ok() ? "" : accepted.fault().message);
    const std::size_t before = results.size();
    EXPECT_TRUE(runUntil([&] { return results.size() > before; }));
    return results.empty() ? TransferResult{} : results.back();
  }
};

TestResponse ok(std::string body) {
  TestResponse response;
  response.body = std::move(body);
  return response;
}

TEST_F(DownloadTest, FirmwareIsVerifiedThenInstalledAfterTheSessionAndReported) {
  const std::string image = testing::patternBytes(300 * 1024);
  TestHttpServer server([&](const TestRequest&) { return ok(image); });
  makeManager();
  auto accepted = manager->download(firmwareRequest(server.url("/fw.bin"), image.size()));
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->status, 1);
  EXPECT_EQ(accepted->startTime, "0001-01-01T00:00:00Z");
  EXPECT_EQ(accepted->completeTime, "0001-01-01T00:00:00Z");

  ASSERT_TRUE(runUntil([&] { return firmwareReadyCalls == 1; }));
  EXPECT_TRUE(manager->firmwareReady());
  // Not reported before the install: no TransferComplete may claim success yet.
  EXPECT_TRUE(results.empty());
  EXPECT_TRUE(manager->pendingResults().empty());
  ASSERT_EQ(manager->queued().size(), 1u);
  EXPECT_EQ(manager->queued()[0].state, QueueState::kInProgress);
  EXPECT_EQ(manager->cancel("fw-1").fault().code, FaultCode::kCancelNotPermitted);

  ASSERT_TRUE(manager->installPendingFirmware().ok());
  ASSERT_EQ(device.installedImages.size(), 1u);
  EXPECT_EQ(device.installedImages[0], image);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].commandKey, "fw-1");
  EXPECT_EQ(results[0].kind, TransferKind::kDownload);
  EXPECT_EQ(results[0].faultCode, FaultCode::kNone);
  EXPECT_TRUE(results[0].faultString.empty());
  EXPECT_FALSE(parseDateTime(results[0].startTime)->isUnknown());
  EXPECT_FALSE(parseDateTime(results[0].completeTime)->isUnknown());
  EXPECT_EQ(manager->pendingResults().size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir / "transfers" / "firmware.img"));
  EXPECT_TRUE(capture.contains("%)"));  // progress lines

  // The result survives the reboot that follows, and is reported by the engine from
  // pendingResults() (no second onResult).
  makeManager();
  drain();
  ASSERT_EQ(manager->pendingResults().size(), 1u);
  EXPECT_EQ(results.size(), 1u);
  EXPECT_TRUE(manager->acknowledge("fw-1"));
  EXPECT_FALSE(manager->acknowledge("fw-1"));
  makeManager();
  EXPECT_TRUE(manager->pendingResults().empty());
}

TEST_F(DownloadTest, AcknowledgeResultForgetsExactlyThatResult) {
  TestHttpServer server([&](const TestRequest&) {
    TestResponse response;
    response.status = 404;
    return response;
  });
  makeManager();
  for (int i = 0; i < 2; ++i) {
    DownloadRequest request = configRequest(server.url("/missing.cfg"));
    request.commandKey = "same";
    ASSERT_TRUE(manager->download(request).ok());
  }
  ASSERT_TRUE(runUntil([&] { return results.size() == 2; }));
  const std::uint64_t second = results[1].id;
  EXPECT_NE(results[0].id, second);
  EXPECT_TRUE(manager->acknowledgeResult(second));
  EXPECT_FALSE(manager->acknowledgeResult(second));
  makeManager();
  ASSERT_EQ(manager->pendingResults().size(), 1u);
  EXPECT_EQ(manager->pendingResults()[0].id, results[0].id);
}

TEST_F(DownloadTest, FirmwareInstallFailureIs9010) {
  const std::string image = testing::patternBytes(1000);
  TestHttpServer server([&](const TestRequest&) { return ok(image); });
  device.installStatus = Fault(FaultCode::kInternalError, "flash write failed");
  makeManager();
  ASSERT_TRUE(manager->download(firmwareRequest(server.url("/fw.bin"), 0)).ok());
  ASSERT_TRUE(runUntil([&] { return manager->firmwareReady(); }));
  const Status installed = manager->installPendingFirmware();
  ASSERT_FALSE(installed.ok());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].faultCode, FaultCode::kTransferFailure);
  EXPECT_NE(results[0].faultString.find("flash write failed"), std::string::npos);
  EXPECT_FALSE(manager->firmwareReady());
  EXPECT_FALSE(manager->installPendingFirmware().ok());
}

TEST_F(DownloadTest, ConfigFileIsValidatedAndApplied) {
  TestHttpServer server([&](const TestRequest&) { return ok(kConfig); });
  makeManager();
  const TransferResult result = runToResult(configRequest(server.url("/00085D1A2B3C_local.cfg")));
  EXPECT_EQ(result.faultCode, FaultCode::kNone) << result.faultString;
  ASSERT_EQ(device.appliedConfigs.size(), 1u);
  EXPECT_EQ(device.appliedConfigs[0], kConfig);
  EXPECT_TRUE(manager->idle());
  EXPECT_TRUE(manager->queued().empty());
}

TEST_F(DownloadTest, CorruptConfigFileIs9018AndNotApplied) {
  for (const std::string& body :
       {std::string("this line has no colon\nsip x: 1\n"), std::string("# only a comment\n"),
        std::string("sip line1 auth name: a\0b\n", 26)}) {
    TestHttpServer server([&](const TestRequest&) { return ok(body); });
    makeManager();
    const TransferResult result = runToResult(configRequest(server.url("/cfg")));
    EXPECT_EQ(result.faultCode, FaultCode::kFileCorrupted);
    EXPECT_FALSE(result.faultString.empty());
  }
  EXPECT_TRUE(device.appliedConfigs.empty());
}

TEST_F(DownloadTest, ConfigApplyFailureKeepsAnAllowedCodeOtherwise9010) {
  TestHttpServer server([&](const TestRequest&) { return ok(kConfig); });
  device.applyStatus = Fault(FaultCode::kInvalidParameterValue, "bad value for sip proxy port");
  makeManager();
  TransferResult result = runToResult(configRequest(server.url("/cfg")));
  EXPECT_EQ(result.faultCode, FaultCode::kTransferFailure);
  EXPECT_EQ(result.faultString, "bad value for sip proxy port");
  device.applyStatus = Fault(FaultCode::kInternalError, "cannot write local.cfg");
  result = runToResult(configRequest(server.url("/cfg")));
  EXPECT_EQ(result.faultCode, FaultCode::kInternalError);
}

TEST_F(DownloadTest, NotFoundIs9016WithAFaultString) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse response;
    response.status = 404;
    response.body = "<html>not here</html>";
    return response;
  });
  makeManager();
  const TransferResult result = runToResult(firmwareRequest(server.url("/missing.bin"), 0));
  EXPECT_EQ(result.faultCode, FaultCode::kAccessFileFailure);
  EXPECT_NE(result.faultString.find("404"), std::string::npos);
  EXPECT_FALSE(manager->firmwareReady());
  EXPECT_TRUE(std::filesystem::is_empty(dir / "transfers"));
}

TEST_F(DownloadTest, CredentialsAreSentAndWrongOnesAre9012) {
  // "dXNlcjpzZWNyZXQ=" is base64("user:secret").
  TestHttpServer server([](const TestRequest& request) {
    TestResponse response;
    if (request.header("Authorization") == std::optional<std::string>("Basic dXNlcjpzZWNyZXQ=")) {
      response.body = kConfig;
      return response;
    }
    response.status = 401;
    response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"files\"");
    return response;
  });
  makeManager();
  DownloadRequest request = configRequest(server.url("/cfg"));
  request.username = "user";
  request.password = "secret";
  EXPECT_EQ(runToResult(request).faultCode, FaultCode::kNone);
  request.password = "wrong-password";
  const TransferResult result = runToResult(request);
  EXPECT_EQ(result.faultCode, FaultCode::kTransferServerAuthFailure);
  EXPECT_FALSE(capture.contains("secret"));
  EXPECT_FALSE(capture.contains("wrong-password"));
}

TEST_F(DownloadTest, UnreachableServerIs9015) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int port = ntohs(address.sin_port);
  ::close(fd);  // nothing listens there now
  makeManager();
  const TransferResult result =
      runToResult(firmwareRequest("http://127.0.0.1:" + std::to_string(port) + "/fw", 0));
  EXPECT_EQ(result.faultCode, FaultCode::kContactFileServerFailure);
}

TEST_F(DownloadTest, TruncatedResponseIs9017AndThePartialFileIsRemoved) {
  const std::string image = testing::patternBytes(100 * 1024);
  TestHttpServer server([&](const TestRequest&) {
    TestResponse response = ok(image);
    response.cutAfterBytes = 50 * 1024;
    return response;
  });
  makeManager();
  const TransferResult result = runToResult(firmwareRequest(server.url("/fw"), 0));
  EXPECT_EQ(result.faultCode, FaultCode::kCompleteDownloadFailure);
  EXPECT_TRUE(std::filesystem::is_empty(dir / "transfers"));
}

TEST_F(DownloadTest, SizeDifferentFromFileSizeIs9018) {
  const std::string image = testing::patternBytes(10000);
  TestHttpServer server([&](const TestRequest& request) {
    TestResponse response = ok(image);
    response.chunked = request.target == "/chunked";  // no Content-Length announced
    return response;
  });
  makeManager();
  EXPECT_EQ(runToResult(firmwareRequest(server.url("/fw"), 20000)).faultCode,
            FaultCode::kFileCorrupted);
  EXPECT_EQ(runToResult(firmwareRequest(server.url("/chunked"), 20000)).faultCode,
            FaultCode::kFileCorrupted);
  EXPECT_EQ(runToResult(firmwareRequest(server.url("/chunked"), 5000)).faultCode,
            FaultCode::kFileCorrupted);
  EXPECT_FALSE(manager->firmwareReady());
}

TEST_F(DownloadTest, EmptyFileIs9018) {
  TestHttpServer server([](const TestRequest&) { return ok(""); });
  makeManager();
  EXPECT_EQ(runToResult(firmwareRequest(server.url("/fw"), 0)).faultCode,
            FaultCode::kFileCorrupted);
}

TEST_F(DownloadTest, SizeBoundsAreEnforced) {
  const std::string big = testing::patternBytes(200 * 1024);
  TestHttpServer server([&](const TestRequest& request) {
    TestResponse response = ok(big);
    response.chunked = request.target == "/chunked";
    return response;
  });
  TransferOptions o = options();
  o.maxConfigBytes = 100 * 1024;
  makeManager(o);
  DownloadRequest request = configRequest(server.url("/cfg"));
  request.fileSize = 200 * 1024;
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kResourcesExceeded);
  request.fileSize = 0;
  EXPECT_EQ(runToResult(request).faultCode, FaultCode::kTransferFailure);
  request.url = server.url("/chunked");
  EXPECT_EQ(runToResult(request).faultCode, FaultCode::kTransferFailure);
  EXPECT_TRUE(std::filesystem::is_empty(dir / "transfers"));
}

TEST_F(DownloadTest, NotEnoughFreeSpaceIs9010) {
  TestHttpServer server([&](const TestRequest&) { return ok(testing::patternBytes(5000)); });
  TransferOptions o = options();
  o.minFreeBytes = std::uint64_t{1} << 60;  // more than any disk has
  makeManager(o);
  const TransferResult result = runToResult(firmwareRequest(server.url("/fw"), 5000));
  EXPECT_EQ(result.faultCode, FaultCode::kTransferFailure);
  EXPECT_NE(result.faultString.find("space"), std::string::npos);
}

TEST_F(DownloadTest, RequestsAreCheckedAtOnce) {
  makeManager();
  DownloadRequest request = firmwareRequest("http://127.0.0.1:1/fw", 0);
  request.url = "gopher://127.0.0.1/fw";
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kUnsupportedTransferProtocol);
  request.url = "http://";
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kInvalidArguments);
  request = firmwareRequest("http://127.0.0.1:1/fw", 0);
  request.fileType = "2 Web Content";
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kRequestDenied);
  request.fileType = "7 Something";
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kInvalidArguments);
  request = firmwareRequest("http://127.0.0.1:1/fw", 0);
  request.commandKey = std::string(33, 'k');
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kInvalidArguments);
  request = firmwareRequest("http://127.0.0.1:1/fw", 0);
  request.password = std::string(257, 'p');
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kInvalidArguments);
  request = firmwareRequest("http://127.0.0.1:1/fw", 0);
  request.fileSize = 0xffffffffu;
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kResourcesExceeded);
  EXPECT_TRUE(manager->queued().empty());
}

TEST_F(DownloadTest, QueueIsBounded) {
  makeManager();
  DownloadRequest request = configRequest("http://127.0.0.1:1/cfg");
  request.delaySeconds = 3600;
  for (std::size_t i = 0; i < kMaxQueuedTransfers; ++i) {
    request.commandKey = "k" + std::to_string(i);
    ASSERT_TRUE(manager->download(request).ok());
  }
  EXPECT_EQ(manager->download(request).fault().code, FaultCode::kResourcesExceeded);
  const auto all = manager->allQueued();
  ASSERT_EQ(all.size(), kMaxQueuedTransfers);
  EXPECT_EQ(all[0].commandKey, "k0");
  EXPECT_EQ(all[0].state, QueueState::kNotYetStarted);
  EXPECT_TRUE(all[0].isDownload);
  EXPECT_EQ(all[0].fileType, kDownloadConfigFile);
}

TEST_F(DownloadTest, DelaySecondsIsHonoured) {
  TestHttpServer server([](const TestRequest&) { return ok(kConfig); });
  makeManager();
  DownloadRequest request = configRequest(server.url("/cfg"));
  request.delaySeconds = 1;
  ASSERT_TRUE(manager->download(request).ok());
  drain();
  EXPECT_TRUE(server.requests().empty());
  ASSERT_EQ(manager->queued().size(), 1u);
  EXPECT_EQ(manager->queued()[0].state, QueueState::kNotYetStarted);
  ASSERT_TRUE(runUntil([&] { return !results.empty(); }));
  EXPECT_EQ(results[0].faultCode, FaultCode::kNone);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(DownloadTest, TheLoopStaysResponsiveDuringADownload) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse response = ok(kConfig);
    response.delay = std::chrono::milliseconds(1500);
    return response;
  });
  makeManager();
  ASSERT_TRUE(manager->download(configRequest(server.url("/cfg"))).ok());
  bool timerFired = false;
  bool busyWhenFired = false;
  loop.addTimer(std::chrono::milliseconds(300), [&] {
    timerFired = true;
    busyWhenFired = !manager->idle();
  });
  ASSERT_TRUE(runUntil([&] { return !results.empty(); }));
  EXPECT_TRUE(timerFired);
  EXPECT_TRUE(busyWhenFired);
  EXPECT_EQ(results[0].faultCode, FaultCode::kNone);
}

TEST_F(DownloadTest, TransfersRunOneAtATimeInOrder) {
  TestHttpServer server([](const TestRequest&) { return ok(kConfig); });
  makeManager();
  for (const char* key : {"a", "b", "c"}) {
    DownloadRequest request = configRequest(server.url(std::string("/") + key));
    request.commandKey = key;
    ASSERT_TRUE(manager->download(request).ok());
  }
  ASSERT_TRUE(runUntil([&] { return results.size() == 3; }));
  EXPECT_EQ(results[0].commandKey, "a");
  EXPECT_EQ(results[1].commandKey, "b");
  EXPECT_EQ(results[2].commandKey, "c");
  const auto pending = manager->pendingResults();
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_TRUE(manager->acknowledge("b"));
  EXPECT_EQ(manager->pendingResults().size(), 2u);
  EXPECT_EQ(manager->pendingResults()[1].commandKey, "c");
}

}  // namespace
}  // namespace tr69::transfer
