// ScheduleDownload: time-window validation, starting at the window, missing the windows (9020).
#include <gtest/gtest.h>

#include "transfer/transfer_test_util.h"
#include "transport/test_http_server.h"

namespace tr69::transfer {
namespace {

using transport::testing::TestHttpServer;
using transport::testing::TestRequest;
using transport::testing::TestResponse;

const std::string kConfig = "sip line1 auth name: 2001\n";

class ScheduleDownloadTest : public testing::TransferFixture {
 protected:
  ScheduleDownloadRequest request(const std::string& url, std::vector<TimeWindow> windows) {
    ScheduleDownloadRequest r;
    r.commandKey = "sched";
    r.fileType = std::string(kDownloadConfigFile);
    r.url = url;
    r.timeWindows = std::move(windows);
    return r;
  }
  TimeWindow window(std::uint32_t start, std::uint32_t end,
                    std::string_view mode = kWindowAtAnyTime) {
    return TimeWindow{start, end, std::string(mode), "", -1};
  }
};

TEST_F(ScheduleDownloadTest, WindowsAreValidated) {
  makeManager();
  const std::string url = "http://127.0.0.1:1/c";
  EXPECT_EQ(manager->scheduleDownload(request(url, {})).fault().code, FaultCode::kInvalidArguments);
  EXPECT_EQ(manager->scheduleDownload(request(url, {window(0, 10), window(20, 30), window(40, 50)}))
                .fault()
                .code,
            FaultCode::kInvalidArguments);
  EXPECT_EQ(manager->scheduleDownload(request(url, {window(10, 10)})).fault().code,
            FaultCode::kInvalidArguments);
  EXPECT_EQ(manager->scheduleDownload(request(url, {window(0, 100), window(50, 200)})).fault().code,
            FaultCode::kInvalidArguments);
  EXPECT_EQ(manager->scheduleDownload(request(url, {window(0, 100, "5 Whenever")})).fault().code,
            FaultCode::kInvalidArguments);
  TimeWindow badRetries = window(0, 100);
  badRetries.maxRetries = -2;
  EXPECT_EQ(manager->scheduleDownload(request(url, {badRetries})).fault().code,
            FaultCode::kInvalidArguments);
  ScheduleDownloadRequest wrongType = request(url, {window(0, 100)});
  wrongType.fileType = "4 Tone File";
  EXPECT_EQ(manager->scheduleDownload(wrongType).fault().code, FaultCode::kRequestDenied);
  EXPECT_EQ(manager->scheduleDownload(request("ftps://127.0.0.1/c", {window(0, 100)})).fault().code,
            FaultCode::kUnsupportedTransferProtocol);
  ScheduleDownloadRequest tooLarge = request(url, {window(0, 100)});
  tooLarge.fileSize = 0xFFFFFFFFu;
  EXPECT_EQ(manager->scheduleDownload(tooLarge).fault().code, FaultCode::kResourcesExceeded);
  ScheduleDownloadRequest longKey = request(url, {window(0, 100)});
  longKey.commandKey = std::string(33, 'k');
  EXPECT_EQ(manager->scheduleDownload(longKey).fault().code, FaultCode::kInvalidArguments);
  EXPECT_TRUE(manager->queued().empty());
}

TEST_F(ScheduleDownloadTest, TheQueuedJobKeepsTheRequestsFields) {
  makeManager();
  ScheduleDownloadRequest r = request("http://127.0.0.1:1/c", {window(600, 1200)});
  r.fileSize = 1234;
  r.targetFileName = "target.cfg";
  ASSERT_TRUE(manager->scheduleDownload(r).ok());
  const auto queued = manager->allQueued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].commandKey, "sched");
  EXPECT_EQ(queued[0].fileType, std::string(kDownloadConfigFile));
  EXPECT_EQ(queued[0].fileSize, 1234u);
  EXPECT_EQ(queued[0].targetFileName, "target.cfg");
}

TEST_F(ScheduleDownloadTest, StartsAtTheWindowStartAndReportsScheduleDownload) {
  TestHttpServer server(testing::serving(kConfig));
  makeManager();
  ASSERT_TRUE(
      manager->scheduleDownload(request(server.url("/c"), {window(1, 3600), window(7200, 9000)}))
          .ok());
  drain();
  EXPECT_TRUE(server.requests().empty());
  ASSERT_EQ(manager->allQueued().size(), 1u);
  EXPECT_EQ(manager->allQueued()[0].state, QueueState::kNotYetStarted);
  ASSERT_TRUE(runUntil([&] { return !results.empty(); }));
  EXPECT_EQ(results[0].kind, TransferKind::kScheduleDownload);
  EXPECT_EQ(results[0].faultCode, FaultCode::kNone) << results[0].faultString;
  EXPECT_EQ(device.appliedConfigs.size(), 1u);
}

TEST_F(ScheduleDownloadTest, ADownloadStillRunningAtTheWindowEndIs9020) {
  TestHttpServer server(testing::serving(kConfig, std::chrono::seconds(20)));
  makeManager();
  ASSERT_TRUE(manager->scheduleDownload(request(server.url("/c"), {window(0, 1)})).ok());
  ASSERT_TRUE(runUntil([&] { return !results.empty(); }));
  EXPECT_EQ(results[0].faultCode, FaultCode::kTimeWindowFailure);
  EXPECT_FALSE(results[0].faultString.empty());
  EXPECT_TRUE(std::filesystem::is_empty(dir / "transfers"));
  EXPECT_TRUE(device.appliedConfigs.empty());
  server.stop();
}

TEST_F(ScheduleDownloadTest, OnlyConfirmationWindowsEndWith9020) {
  makeManager();
  ASSERT_TRUE(manager
                  ->scheduleDownload(
                      request("http://127.0.0.1:1/c", {window(0, 3600, kWindowConfirmationNeeded)}))
                  .ok());
  ASSERT_TRUE(runUntil([&] { return !results.empty(); }));
  EXPECT_EQ(results[0].faultCode, FaultCode::kTimeWindowFailure);
}

TEST_F(ScheduleDownloadTest, AFailureInsideTheLastWindowReportsItsOwnFault) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse response;
    response.status = 404;
    return response;
  });
  makeManager();
  TimeWindow only = window(0, 3600);
  only.maxRetries = 0;
  ASSERT_TRUE(manager->scheduleDownload(request(server.url("/c"), {only})).ok());
  ASSERT_TRUE(runUntil([&] { return !results.empty(); }));
  EXPECT_EQ(results[0].faultCode, FaultCode::kAccessFileFailure);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(ScheduleDownloadTest, WindowsSurviveARestart) {
  makeManager();
  ASSERT_TRUE(
      manager->scheduleDownload(request("http://127.0.0.1:1/c", {window(3600, 7200)})).ok());
  makeManager();
  drain();
  ASSERT_EQ(manager->allQueued().size(), 1u);
  EXPECT_EQ(manager->allQueued()[0].commandKey, "sched");
  EXPECT_TRUE(results.empty());
}

}  // namespace
}  // namespace tr69::transfer
