// Restart, crash (a new manager on the same state directory, as after kill -9), factory reset
// and CancelTransfer.
#include <gtest/gtest.h>

#include <fstream>

#include "transfer/transfer_test_util.h"
#include "transport/test_http_server.h"

namespace tr69::transfer {
namespace {

using transport::testing::TestHttpServer;
using transport::testing::TestRequest;
using transport::testing::TestResponse;

const std::string kConfig = "sip line1 auth name: 2001\n";

class LifecycleTest : public testing::TransferFixture {
 protected:
  DownloadRequest request(const std::string& fileType, const std::string& url) {
    DownloadRequest r;
    r.commandKey = "key";
    r.fileType = fileType;
    r.url = url;
    return r;
  }
  std::string stateText() {
    auto content = readFile(dir / "transfers.xml");
    return content ? *content : std::string();
  }
};

TEST_F(LifecycleTest, NotStartedTransfersSurviveARestart) {
  makeManager();
  DownloadRequest r = request(std::string(kFirmwareImage), "http://127.0.0.1:1/fw");
  r.delaySeconds = 3600;
  r.fileSize = 1234;
  r.targetFileName = "fw.bin";
  ASSERT_TRUE(manager->download(r).ok());
  UploadRequest u;
  u.commandKey = "up";
  u.fileType = std::string(kUploadLogFile);
  u.url = "http://127.0.0.1:1/";
  u.delaySeconds = 3600;
  ASSERT_TRUE(manager->upload(u).ok());
  EXPECT_EQ(std::filesystem::status(dir / "transfers.xml").permissions() &
                std::filesystem::perms::others_read,
            std::filesystem::perms::none);  // it holds passwords

  makeManager();
  drain();
  const auto all = manager->allQueued();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].commandKey, "key");
  EXPECT_EQ(all[0].fileSize, 1234u);
  EXPECT_EQ(all[0].targetFileName, "fw.bin");
  EXPECT_EQ(all[0].state, QueueState::kNotYetStarted);
  EXPECT_EQ(all[1].commandKey, "up");
  EXPECT_FALSE(all[1].isDownload);
  EXPECT_TRUE(results.empty());
}

TEST_F(LifecycleTest, ADownloadInterruptedByACrashStartsAgainAndReportsOnce) {
  std::atomic<bool> slow{true};
  const std::string image = testing::patternBytes(64 * 1024);
  TestHttpServer server([&](const TestRequest&) {
    TestResponse response;
    response.body = image;
    if (slow) response.delay = std::chrono::seconds(20);
    return response;
  });
  makeManager();
  DownloadRequest r = request(std::string(kFirmwareImage), server.url("/fw"));
  r.fileSize = image.size();
  ASSERT_TRUE(manager->download(r).ok());
  ASSERT_TRUE(runUntil([&] { return !server.requests().empty(); }));
  EXPECT_NE(stateText().find("running=\"1\""), std::string::npos);
  EXPECT_EQ(manager->queued()[0].state, QueueState::kInProgress);
  // A partial file of the interrupted attempt, as a crash would leave it.
  std::ofstream(dir / "transfers" / "job-1.part") << "partial";

  // kill -9: the manager vanishes without a word; the next start sees the state file as it was.
  const std::string before = stateText();
  manager.reset();
  ASSERT_EQ(stateText(), before);
  slow = false;
  makeManager();
  EXPECT_FALSE(std::filesystem::exists(dir / "transfers" / "job-1.part"));
  ASSERT_TRUE(runUntil([&] { return manager->firmwareReady(); }));
  ASSERT_TRUE(manager->installPendingFirmware().ok());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].faultCode, FaultCode::kNone);
  EXPECT_EQ(device.installedImages.at(0), image);
  EXPECT_TRUE(capture.contains("interrupted by a restart"));
}

TEST_F(LifecycleTest, ATransferInterruptedTwiceFailsWith9017) {
  ASSERT_TRUE(writeFileAtomic(dir / "transfers.xml", R"(<transfers version="1" next-id="5">
    <job id="4" kind="download" command-key="twice" file-type="1 Firmware Upgrade Image"
         url="http://127.0.0.1:1/fw" username="" password="" file-size="0" target=""
         accepted-at="1" due-at="1" running="1" starts="2" start-time="2026-11-27T05:00:00Z"/>
    <job id="3" kind="upload" command-key="up" file-type="2 Vendor Log File"
         url="http://127.0.0.1:1/" username="" password="" file-size="0" target=""
         accepted-at="1" due-at="1" running="1" starts="2" start-time="2026-11-27T05:00:00Z"/>
  </transfers>)")
                  .ok());
  makeManager();
  drain();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].commandKey, "twice");
  EXPECT_EQ(results[0].faultCode, FaultCode::kCompleteDownloadFailure);
  EXPECT_EQ(results[0].startTime, "2026-11-27T05:00:00Z");
  EXPECT_EQ(results[1].faultCode, FaultCode::kUploadFailure);
  EXPECT_TRUE(manager->queued().empty());
  // Reported once: a further restart only lists them as pending.
  makeManager();
  drain();
  EXPECT_EQ(results.size(), 2u);
  EXPECT_EQ(manager->pendingResults().size(), 2u);
}

TEST_F(LifecycleTest, CrashBeforeTheInstallOffersTheImageAgain) {
  const std::string image = testing::patternBytes(4096);
  TestHttpServer server(testing::serving(image));
  makeManager();
  ASSERT_TRUE(manager->download(request(std::string(kFirmwareImage), server.url("/fw"))).ok());
  ASSERT_TRUE(runUntil([&] { return firmwareReadyCalls == 1; }));
  makeManager();  // crash between "firmware ready" and the install
  drain();
  EXPECT_EQ(firmwareReadyCalls, 2);
  EXPECT_TRUE(manager->firmwareReady());
  EXPECT_TRUE(manager->pendingResults().empty());
  ASSERT_TRUE(manager->installPendingFirmware().ok());
  EXPECT_EQ(device.installedImages.at(0), image);
  EXPECT_EQ(results.size(), 1u);
}

TEST_F(LifecycleTest, ALostImageIsReportedAs9010) {
  const std::string image = testing::patternBytes(4096);
  TestHttpServer server(testing::serving(image));
  makeManager();
  ASSERT_TRUE(manager->download(request(std::string(kFirmwareImage), server.url("/fw"))).ok());
  ASSERT_TRUE(runUntil([&] { return manager->firmwareReady(); }));
  manager.reset();
  std::filesystem::remove(dir / "transfers" / "firmware.img");
  makeManager();
  drain();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].faultCode, FaultCode::kTransferFailure);
  EXPECT_FALSE(manager->firmwareReady());
}

TEST_F(LifecycleTest, KillDuringTheInstallStillDeliversTheResultOnce) {
  const std::string image = testing::patternBytes(4096);
  TestHttpServer server(testing::serving(image));
  makeManager();
  ASSERT_TRUE(manager->download(request(std::string(kFirmwareImage), server.url("/fw"))).ok());
  ASSERT_TRUE(runUntil([&] { return manager->firmwareReady(); }));
  // The install command reboots the device from inside: what is on disk at that moment is what
  // the next start finds.
  std::string atInstall;
  device.onInstall = [&] { atInstall = stateText(); };
  ASSERT_TRUE(manager->installPendingFirmware().ok());
  EXPECT_NE(atInstall.find("firmware-installing"), std::string::npos);
  manager.reset();
  results.clear();
  ASSERT_TRUE(writeFileAtomic(dir / "transfers.xml", atInstall).ok());

  makeManager();
  drain();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].faultCode, FaultCode::kNone);
  EXPECT_EQ(results[0].kind, TransferKind::kDownload);
  EXPECT_EQ(manager->pendingResults().size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir / "transfers" / "firmware.img"));
  makeManager();
  drain();
  EXPECT_EQ(results.size(), 1u);  // not reported again
  EXPECT_TRUE(manager->acknowledge("key"));
  makeManager();
  EXPECT_TRUE(manager->pendingResults().empty());
}

TEST_F(LifecycleTest, ACorruptStateFileIsMovedAsideAndTheManagerStartsEmpty) {
  ASSERT_TRUE(writeFileAtomic(dir / "transfers.xml", "<transfers version=\"1\"><job id=").ok());
  makeManager();
  drain();
  EXPECT_TRUE(manager->queued().empty());
  EXPECT_TRUE(std::filesystem::exists(dir / "transfers.xml.corrupt"));
  EXPECT_TRUE(capture.contains("moved aside"));
  DownloadRequest r = request(std::string(kDownloadConfigFile), "http://127.0.0.1:1/c");
  r.delaySeconds = 3600;
  EXPECT_TRUE(manager->download(r).ok());
  makeManager();
  EXPECT_EQ(manager->queued().size(), 1u);
}

TEST_F(LifecycleTest, FactoryResetForgetsEverything) {
  TestHttpServer server(testing::serving(kConfig));
  makeManager();
  ASSERT_TRUE(manager->download(request(std::string(kDownloadConfigFile), server.url("/c"))).ok());
  ASSERT_TRUE(runUntil([&] { return !results.empty(); }));
  DownloadRequest r = request(std::string(kDownloadConfigFile), server.url("/c"));
  r.delaySeconds = 3600;
  ASSERT_TRUE(manager->download(r).ok());
  manager->factoryReset();
  EXPECT_TRUE(manager->pendingResults().empty());
  EXPECT_TRUE(manager->queued().empty());
  makeManager();
  drain();
  EXPECT_TRUE(manager->pendingResults().empty());
  EXPECT_TRUE(manager->queued().empty());
  EXPECT_TRUE(std::filesystem::is_empty(dir / "transfers"));
}

TEST_F(LifecycleTest, CancelANotStartedTransfer) {
  makeManager();
  DownloadRequest r = request(std::string(kDownloadConfigFile), "http://127.0.0.1:1/c");
  r.delaySeconds = 3600;
  ASSERT_TRUE(manager->download(r).ok());
  EXPECT_EQ(manager->cancel("other").fault().code, FaultCode::kInvalidArguments);
  ASSERT_TRUE(manager->cancel("key").ok());
  EXPECT_TRUE(manager->queued().empty());
  drain();
  EXPECT_TRUE(results.empty());  // a cancelled transfer has no TransferComplete
  makeManager();
  EXPECT_TRUE(manager->queued().empty());
}

TEST_F(LifecycleTest, CancelARunningDownloadRemovesThePartialFile) {
  TestHttpServer server(testing::serving(kConfig, std::chrono::seconds(20)));
  makeManager();
  ASSERT_TRUE(manager->download(request(std::string(kDownloadConfigFile), server.url("/c"))).ok());
  ASSERT_TRUE(runUntil([&] { return !server.requests().empty(); }));
  EXPECT_FALSE(manager->idle());
  ASSERT_TRUE(manager->cancel("key").ok());
  EXPECT_TRUE(manager->idle());
  EXPECT_TRUE(std::filesystem::is_empty(dir / "transfers"));
  drain();
  EXPECT_TRUE(results.empty());
  server.stop();
}

TEST_F(LifecycleTest, CancelAFinishedTransferIs9021) {
  TestHttpServer server(testing::serving(kConfig));
  makeManager();
  ASSERT_TRUE(manager->download(request(std::string(kDownloadConfigFile), server.url("/c"))).ok());
  ASSERT_TRUE(runUntil([&] { return !results.empty(); }));
  EXPECT_EQ(manager->cancel("key").fault().code, FaultCode::kCancelNotPermitted);
}

TEST_F(LifecycleTest, PendingResultsAreBounded) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse response;
    response.status = 404;
    return response;
  });
  makeManager();
  for (std::size_t i = 0; i < kMaxPendingResults + 2; ++i) {
    DownloadRequest r = request(std::string(kDownloadConfigFile), server.url("/c"));
    r.commandKey = "k" + std::to_string(i);
    ASSERT_TRUE(manager->download(r).ok());
    ASSERT_TRUE(runUntil([&] { return results.size() == i + 1; }));
  }
  const auto pending = manager->pendingResults();
  ASSERT_EQ(pending.size(), kMaxPendingResults);
  EXPECT_EQ(pending.front().commandKey, "k2");
  EXPECT_TRUE(capture.contains("too many undelivered results"));
}

}  // namespace
}  // namespace tr69::transfer
