#include "tr69/connreq/stun_client.h"

#include <gtest/gtest.h>

#include <memory>

#include "connreq/fake_stun_server.h"
#include "connreq/test_support.h"
#include "tr69/base/log.h"
#include "tr69/connreq/udp_endpoint.h"

namespace tr69::connreq {
namespace {

using namespace std::chrono_literals;
using testing::FakeStunServer;
using testing::runUntil;

TEST(StunKeepAliveTest, PeriodStaysWithinMinimumAndMaximum) {
  EXPECT_EQ(stunKeepAlivePeriod(-1, 0), 30s);
  EXPECT_EQ(stunKeepAlivePeriod(-1, 120), 120s);
  EXPECT_EQ(stunKeepAlivePeriod(10, 0), 10s);
  EXPECT_EQ(stunKeepAlivePeriod(60, 45), 45s);
  EXPECT_EQ(stunKeepAlivePeriod(20, 40), 20s);  // conflict: the maximum keeps the binding open
  EXPECT_EQ(stunKeepAlivePeriod(0, 0), 1s);     // never a busy loop
}

class StunClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    UdpEndpoint::Options options;
    options.bindAddress = "127.0.0.1";
    ASSERT_TRUE(endpoint.open(options).ok());
    StunTiming timing;
    timing.initialRetransmit = 20ms;
    timing.maxRetransmit = 40ms;
    timing.maxSends = 4;
    timing.finalWait = 40ms;
    client = std::make_unique<StunClient>(
        loop, log,
        [this](std::string_view data, const SocketAddress& to) { return endpoint.send(data, to); },
        endpoint.port(), [this](const StunStatus& s) { reports.push_back(s); }, timing);
    endpoint.setStunHandler([this](std::string_view data, const SocketAddress& from) {
      client->handleDatagram(data, from);
    });
  }

  StunConfig config() const {
    StunConfig c;
    c.enable = true;
    c.serverAddress = "127.0.0.1";
    c.serverPort = server.port();
    c.minimumKeepAlivePeriod = 1;
    c.maximumKeepAlivePeriod = 1;
    return c;
  }

  EventLoop loop;
  LogCapture capture;
  Logger log = capture.logger();
  UdpEndpoint endpoint{loop, log};
  FakeStunServer server{loop};
  std::unique_ptr<StunClient> client;
  std::vector<StunStatus> reports;
};

TEST_F(StunClientTest, DiscoversTheBindingFromTheConnectionRequestPort) {
  client->configure(config());
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bound; }));
  const auto& status = client->status();
  EXPECT_FALSE(status.natDetected);  // loopback: mapped == local
  EXPECT_EQ(status.udpConnectionRequestAddress, "127.0.0.1:" + std::to_string(endpoint.port()));
  ASSERT_FALSE(server.received().empty());
  const auto& first = server.received()[0].message;
  EXPECT_TRUE(first.connectionRequestBinding);
  EXPECT_FALSE(first.bindingChange);
  EXPECT_FALSE(first.username);
  EXPECT_FALSE(first.integrityOffset);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].udpConnectionRequestAddress, status.udpConnectionRequestAddress);
}

TEST_F(StunClientTest, KeepAliveRequestsFollowTheBinding) {
  client->configure(config());
  ASSERT_TRUE(runUntil(loop, [&] { return server.received().size() >= 3; }));
  for (const auto& r : server.received()) {
    EXPECT_TRUE(r.message.connectionRequestBinding);
    EXPECT_FALSE(r.message.bindingChange);
  }
  EXPECT_EQ(reports.size(), 1u);  // the binding did not change
}

TEST_F(StunClientTest, DetectsNatFromAForeignMappedAddress) {
  server.setMappedAddress(stun::StunAddress{"203.0.113.9", 40000});
  client->configure(config());
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bound; }));
  EXPECT_TRUE(client->status().natDetected);
  EXPECT_EQ(client->status().udpConnectionRequestAddress, "203.0.113.9:40000");
}

TEST_F(StunClientTest, BindingChangeIsSignalledAtOnceAndReported) {
  server.setMappedAddress(stun::StunAddress{"203.0.113.9", 40000});
  client->configure(config());
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bound; }));
  const std::size_t before = server.received().size();
  server.setMappedAddress(stun::StunAddress{"203.0.113.9", 40001});  // the NAT re-mapped us
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bindingChanges == 1; }));
  EXPECT_EQ(client->status().udpConnectionRequestAddress, "203.0.113.9:40001");
  // The request right after the change carries BINDING-CHANGE and CONNECTION-REQUEST-BINDING.
  ASSERT_TRUE(runUntil(loop, [&] {
    for (std::size_t i = before; i < server.received().size(); ++i) {
      if (server.received()[i].message.bindingChange) return true;
    }
    return false;
  }));
  for (std::size_t i = before; i < server.received().size(); ++i) {
    if (server.received()[i].message.bindingChange) {
      EXPECT_TRUE(server.received()[i].message.connectionRequestBinding);
    }
  }
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].udpConnectionRequestAddress, "203.0.113.9:40001");
  // Once acknowledged, keep-alives go back to plain requests.
  const std::size_t afterChange = server.received().size();
  ASSERT_TRUE(runUntil(loop, [&] { return server.received().size() >= afterChange + 1; }));
  EXPECT_FALSE(server.received().back().message.bindingChange);
}

TEST_F(StunClientTest, AnswersA401WithUsernameAndMessageIntegrity) {
  server.requireIntegrity("cpe-user", "stun-pw");
  auto c = config();
  c.username = "cpe-user";
  c.password = "stun-pw";
  c.verifyResponseIntegrity = true;
  client->configure(c);
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bound; }));
  ASSERT_GE(server.received().size(), 2u);
  EXPECT_FALSE(server.received()[0].message.integrityOffset);  // first try: no MI
  EXPECT_TRUE(server.received()[1].integrityValid);
  EXPECT_EQ(server.received()[1].message.username, "cpe-user");
  EXPECT_TRUE(server.received()[1].message.connectionRequestBinding);
  EXPECT_FALSE(capture.contains("stun-pw"));
}

TEST_F(StunClientTest, WrongStunPasswordNeverBinds) {
  server.requireIntegrity("cpe-user", "stun-pw");
  auto c = config();
  c.username = "cpe-user";
  c.password = "wrong";
  client->configure(c);
  ASSERT_TRUE(runUntil(loop, [&] { return capture.contains("refused STUNUsername"); }));
  EXPECT_FALSE(client->status().bound);
  EXPECT_FALSE(capture.contains("wrong\""));
}

TEST_F(StunClientTest, EmptyUsernameNeverSendsMessageIntegrity) {
  server.requireIntegrity("cpe-user", "stun-pw");
  auto c = config();
  c.password = "stun-pw";
  client->configure(c);
  ASSERT_TRUE(runUntil(loop, [&] { return capture.contains("STUNUsername is empty"); }));
  EXPECT_FALSE(client->status().bound);
  for (const auto& r : server.received())
    EXPECT_FALSE(r.message.integrityOffset);
}

TEST_F(StunClientTest, SilentServerGetsBoundedRetransmissions) {
  server.setSilent(true);
  auto c = config();
  c.minimumKeepAlivePeriod = 3600;
  c.maximumKeepAlivePeriod = -1;
  client->configure(c);
  ASSERT_TRUE(runUntil(loop, [&] { return capture.contains("no answer"); }));
  runUntil(
      loop, [] { return false; }, 200ms);
  EXPECT_EQ(server.received().size(), 4u);  // maxSends, all with the same transaction id
  for (const auto& r : server.received())
    EXPECT_EQ(r.message.transactionId, server.received()[0].message.transactionId);
  EXPECT_FALSE(client->status().bound);
}

TEST_F(StunClientTest, NotificationLimitDelaysTheAddressReport) {
  server.setMappedAddress(stun::StunAddress{"203.0.113.9", 40000});
  auto c = config();
  c.notificationLimit = 3600;
  client->configure(c);
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bound; }));
  server.setMappedAddress(stun::StunAddress{"203.0.113.9", 40001});
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bindingChanges == 1; }));
  EXPECT_EQ(reports.size(), 1u);  // the change is owed, not reported within the limit
  EXPECT_EQ(client->status().udpConnectionRequestAddress, "203.0.113.9:40001");
}

TEST_F(StunClientTest, EmptyServerAddressMeansTheAcsHost) {
  auto c = config();
  c.serverAddress = "";
  c.acsHost = "127.0.0.1";
  client->configure(c);
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bound; }));
}

TEST_F(StunClientTest, DisablingStopsAndClearsTheBinding) {
  client->configure(config());
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bound; }));
  auto c = config();
  c.enable = false;
  client->configure(c);
  EXPECT_FALSE(client->running());
  EXPECT_FALSE(client->status().bound);
  EXPECT_FALSE(client->status().natDetected);
  EXPECT_EQ(client->status().udpConnectionRequestAddress, "");
  const std::size_t count = server.received().size();
  runUntil(
      loop, [] { return false; }, 1500ms);
  EXPECT_EQ(server.received().size(), count);
}

TEST_F(StunClientTest, IgnoresAnswersFromElsewhereAndGarbage) {
  client->configure(config());
  UdpEndpoint stranger(loop, log);
  UdpEndpoint::Options options;
  options.bindAddress = "127.0.0.1";
  ASSERT_TRUE(stranger.open(options).ok());
  stun::Message fake;
  fake.type = stun::kBindingResponse;
  fake.mappedAddress = stun::StunAddress{"198.51.100.1", 1};
  auto to = SocketAddress::fromNumeric("127.0.0.1", endpoint.port());
  stranger.send(stun::encode(fake), *to);
  stranger.send(std::string("\x01\x01\x00\x04garbage", 11), *to);
  ASSERT_TRUE(runUntil(loop, [&] { return client->status().bound; }));
  EXPECT_EQ(client->status().mappedAddress->ip, "127.0.0.1");
}

}  // namespace
}  // namespace tr69::connreq
