#include "tr69/connreq/service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "connreq/fake_stun_server.h"
#include "connreq/test_support.h"

namespace tr69::connreq {
namespace {

using namespace std::chrono_literals;
using testing::RecordingSink;
using testing::runUntil;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("tr69-service-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    ConnectionRequestService::Callbacks callbacks;
    callbacks.connectionRequestUrlChanged = [this](const std::string& url) { urls.push_back(url); };
    callbacks.udpAddressChanged = [this](const StunStatus& s) { udpAddresses.push_back(s); };
    service = std::make_unique<ConnectionRequestService>(loop, log, sink, dir, callbacks);
    settings.bindAddress = "127.0.0.1";
    settings.httpPort = 0;
    settings.path = "aastra/tr69";
    settings.username = "acs";
    settings.password = "pw";
  }
  void TearDown() override {
    service.reset();
    std::filesystem::remove_all(dir);
  }

  EventLoop loop;
  LogCapture capture;
  Logger log = capture.logger();
  RecordingSink sink;
  std::filesystem::path dir;
  ConnectionRequestSettings settings;
  std::unique_ptr<ConnectionRequestService> service;
  std::vector<std::string> urls;
  std::vector<StunStatus> udpAddresses;
};

TEST_F(ServiceTest, ReportsTheUrlAndReReportsItWhenTheAddressChanges) {
  ASSERT_TRUE(service->apply(settings).ok());
  service->setLocalAddress("127.0.0.1");
  const std::string port = std::to_string(service->httpPort());
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0], "http://127.0.0.1:" + port + "/aastra/tr69");
  service->setLocalAddress("127.0.0.1");
  service->setLocalAddress("::1");
  ASSERT_EQ(urls.size(), 2u);
  EXPECT_EQ(urls[1], "http://[::1]:" + port + "/aastra/tr69");
  EXPECT_EQ(service->udpConnectionRequestAddress(), "[::1]:" + std::to_string(service->udpPort()));
}

TEST_F(ServiceTest, HttpAndUdpRequestsReachTheSinkOnce) {
  ASSERT_TRUE(service->apply(settings).ok());
  const std::string url =
      "http://127.0.0.1:" + std::to_string(service->httpPort()) + "/aastra/tr69";
  testing::HttpOptions good;
  good.digest = true;
  good.username = "acs";
  good.password = "pw";
  EXPECT_EQ(testing::whileLooping(loop, [&] { return testing::httpRequest(url, good); }).status,
            200);
  // The same request also arrives by UDP: merged into the pending session.
  UdpEndpoint client(loop, log);
  UdpEndpoint::Options options;
  options.bindAddress = "127.0.0.1";
  ASSERT_TRUE(client.open(options).ok());
  const std::string sig = udpConnectionRequestSignature("pw", "1700000000", "9", "acs", "x");
  client.send("GET http://127.0.0.1?ts=1700000000&id=9&un=acs&cn=x&sig=" + sig + " HTTP/1.1\r\n",
              *SocketAddress::fromNumeric("127.0.0.1", service->udpPort()));
  runUntil(loop, [&] { return capture.contains("UDP connection request from"); });
  runUntil(
      loop, [] { return false; }, 50ms);
  ASSERT_EQ(sink.calls.size(), 1u);
  EXPECT_EQ(sink.calls[0], ConnectionRequestSource::kHttp);
  EXPECT_TRUE(capture.contains("merged"));
  // Written shortly after the session was asked for (deferred persistence).
  EXPECT_TRUE(runUntil(
      loop, [&] { return std::filesystem::exists(dir / UdpReplayStore::kFileName); }, 2s));
}

TEST_F(ServiceTest, StunReportsThePublicBindingOfTheUdpPort) {
  testing::FakeStunServer stunServer(loop);
  stunServer.setMappedAddress(stun::StunAddress{"198.51.100.20", 31000});
  settings.stun.enable = true;
  settings.stun.serverAddress = "127.0.0.1";
  settings.stun.serverPort = stunServer.port();
  ASSERT_TRUE(service->apply(settings).ok());
  ASSERT_TRUE(runUntil(loop, [&] { return !udpAddresses.empty(); }));
  EXPECT_TRUE(service->natDetected());
  EXPECT_EQ(service->udpConnectionRequestAddress(), "198.51.100.20:31000");
}

TEST_F(ServiceTest, DisabledCwmpClosesTheListeners) {
  ASSERT_TRUE(service->apply(settings).ok());
  service->setLocalAddress("127.0.0.1");
  EXPECT_NE(service->httpPort(), 0);
  settings.enabled = false;
  ASSERT_TRUE(service->apply(settings).ok());
  EXPECT_EQ(service->httpPort(), 0);
  EXPECT_EQ(service->udpPort(), 0);
  EXPECT_EQ(service->connectionRequestUrl(), "");
  ASSERT_FALSE(urls.empty());
  EXPECT_EQ(urls.back(), "");
}

TEST_F(ServiceTest, CredentialChangeNeedsNoRestart) {
  ASSERT_TRUE(service->apply(settings).ok());
  const auto port = service->httpPort();
  settings.password = "new";
  ASSERT_TRUE(service->apply(settings).ok());
  EXPECT_EQ(service->httpPort(), port);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/aastra/tr69";
  testing::HttpOptions updated;
  updated.digest = true;
  updated.username = "acs";
  updated.password = "new";
  EXPECT_EQ(testing::whileLooping(loop, [&] { return testing::httpRequest(url, updated); }).status,
            200);
}

}  // namespace
}  // namespace tr69::connreq
