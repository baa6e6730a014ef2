// UDP connection requests end to end on loopback: a datagram sent to the shared UDP port goes
// through the demultiplexer, the parser, the verifier and the persistent replay state to the
// gate and the sink.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "connreq/test_support.h"
#include "tr69/base/log.h"
#include "tr69/connreq/gate.h"
#include "tr69/connreq/udp_endpoint.h"
#include "tr69/connreq/udp_handler.h"

namespace tr69::connreq {
namespace {

using namespace std::chrono_literals;
using testing::RecordingSink;
using testing::runUntil;

std::string datagram(std::uint64_t ts, const std::string& id, const std::string& un = "acs",
                     const std::string& password = "udp-secret", const std::string& cn = "c0ffee") {
  const std::string t = std::to_string(ts);
  return "GET http://127.0.0.1:7547?ts=" + t + "&id=" + id + "&un=" + un + "&cn=" + cn +
         "&sig=" + udpConnectionRequestSignature(password, t, id, un, cn) +
         " HTTP/1.1\r\nHost: 127.0.0.1:7547\r\n\r\n";
}

class UdpConnectionRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("tr69-udpcr-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<UdpReplayStore>(dir / UdpReplayStore::kFileName);
    gate = std::make_unique<ConnectionRequestGate>(loop, sink, log);
    restart();
    UdpEndpoint::Options options;
    options.bindAddress = "127.0.0.1";
    ASSERT_TRUE(client.open(options).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  // A fresh endpoint and handler, as after a daemon restart (same state directory).
  void restart() {
    endpoint.reset();
    handler.reset();
    handler = std::make_unique<UdpConnectionRequestHandler>(*gate, log, store.get());
    handler->setCredentials("acs", "udp-secret");
    endpoint = std::make_unique<UdpEndpoint>(loop, log);
    UdpEndpoint::Options options;
    options.bindAddress = "127.0.0.1";
    ASSERT_TRUE(endpoint->open(options).ok());
    endpoint->setRequestHandler(
        [this](std::string_view data, const SocketAddress& from) { handler->handle(data, from); });
    endpoint->setStunHandler([this](std::string_view, const SocketAddress&) { ++stunSeen; });
  }

  // Sends and waits until the handler has looked at it.
  void send(const std::string& bytes) {
    const auto& s = handler->stats();
    const unsigned before = s.accepted + s.rateLimited + s.malformed + s.refused;
    ASSERT_TRUE(client.send(bytes, *SocketAddress::fromNumeric("127.0.0.1", endpoint->port())));
    ASSERT_TRUE(runUntil(
        loop, [&] { return s.accepted + s.rateLimited + s.malformed + s.refused > before; }));
    loop.runOnce(0ms);  // posted sink calls
  }

  std::filesystem::path dir;
  EventLoop loop;
  LogCapture capture;
  Logger log = capture.logger();
  RecordingSink sink;
  std::unique_ptr<UdpReplayStore> store;
  std::unique_ptr<ConnectionRequestGate> gate;
  std::unique_ptr<UdpConnectionRequestHandler> handler;
  std::unique_ptr<UdpEndpoint> endpoint;
  UdpEndpoint client{loop, log};
  int stunSeen = 0;
};

TEST_F(UdpConnectionRequestTest, ValidRequestOpensASession) {
  send(datagram(1700000000, "1"));
  EXPECT_EQ(handler->stats().accepted, 1u);
  ASSERT_EQ(sink.calls.size(), 1u);
  EXPECT_EQ(sink.calls[0], ConnectionRequestSource::kUdp);
}

TEST_F(UdpConnectionRequestTest, DeferredPersistenceWritesAfterTheSessionIsAskedFor) {
  handler->deferPersistence(loop, 50ms);
  send(datagram(1700000000, "1"));
  ASSERT_EQ(sink.calls.size(), 1u);  // the session was asked for before the durable write
  EXPECT_FALSE(std::filesystem::exists(store->file()));
  send(datagram(1700000000, "1"));  // a replay is refused from memory at once
  EXPECT_EQ(handler->stats().refused, 1u);
  send(datagram(1700000001, "2"));
  ASSERT_TRUE(runUntil(loop, [&] { return std::filesystem::exists(store->file()); }));
  auto saved = store->load();
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->lastId, "2") << "one write for the requests accepted within the delay";
  EXPECT_EQ(saved->lastTimestamp, 1700000001u);
}

TEST_F(UdpConnectionRequestTest, DeferredPersistenceIsFlushedOnDestruction) {
  handler->deferPersistence(loop, std::chrono::hours(1));
  send(datagram(1700000005, "9"));
  EXPECT_FALSE(std::filesystem::exists(store->file()));
  restart();  // the old handler writes its pending state; the new one loads it
  send(datagram(1700000005, "9"));
  EXPECT_EQ(handler->stats().refused, 1u);
  EXPECT_EQ(handler->stats().accepted, 0u);
}

TEST_F(UdpConnectionRequestTest, RetransmissionsOfOneRequestCountOnce) {
  const std::string bytes = datagram(1700000000, "77");
  send(bytes);
  send(bytes);
  send(bytes);  // the ACS sends every request three times
  EXPECT_EQ(handler->stats().accepted, 1u);
  EXPECT_EQ(handler->stats().refused, 2u);
  EXPECT_EQ(sink.calls.size(), 1u);
}

TEST_F(UdpConnectionRequestTest, ForgedRequestsAreIgnoredWithALogLine) {
  send(datagram(1700000000, "1", "acs", "guessed-password"));
  send(datagram(1700000001, "2", "intruder", "udp-secret"));
  std::string tampered = datagram(1700000002, "3");
  tampered.replace(tampered.find("cn=c0ffee"), 9, "cn=c0ffef");
  send(tampered);
  send("GET http://127.0.0.1:7547?ts=1&id=1 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(handler->stats().accepted, 0u);
  EXPECT_EQ(handler->stats().refused, 3u);
  EXPECT_EQ(handler->stats().malformed, 1u);
  EXPECT_TRUE(sink.calls.empty());
  EXPECT_TRUE(capture.contains("bad signature"));
  EXPECT_TRUE(capture.contains("wrong username"));
  // Never the password, never a signature.
  EXPECT_FALSE(capture.contains("udp-secret"));
  EXPECT_FALSE(capture.contains(
      udpConnectionRequestSignature("udp-secret", "1700000000", "1", "acs", "c0ffee")));
}

TEST_F(UdpConnectionRequestTest, StaleTimestampAndRepeatedIdAreRefused) {
  send(datagram(1700000100, "10"));
  send(datagram(1700000099, "11"));  // older
  send(datagram(1700000100, "12"));  // not newer
  send(datagram(1700000200, "10"));  // same id as the last accepted
  send(datagram(1700000101, "13"));  // fine
  EXPECT_EQ(handler->stats().accepted, 2u);
  EXPECT_EQ(handler->stats().refused, 3u);
  EXPECT_EQ(handler->replayState().lastTimestamp, 1700000101u);
  EXPECT_EQ(handler->replayState().lastId, "13");
}

TEST_F(UdpConnectionRequestTest, ReplayProtectionSurvivesARestart) {
  const std::string captured = datagram(1700000500, "500");
  send(captured);
  ASSERT_EQ(handler->stats().accepted, 1u);
  restart();
  EXPECT_EQ(handler->replayState().lastTimestamp, 1700000500u);
  send(captured);  // replayed after the restart
  EXPECT_EQ(handler->stats().accepted, 0u);
  EXPECT_EQ(handler->stats().refused, 1u);
  send(datagram(1700000501, "501"));
  EXPECT_EQ(handler->stats().accepted, 1u);
}

TEST_F(UdpConnectionRequestTest, UnconfiguredCredentialsRefuseEverything) {
  handler->setCredentials("", "");
  send(datagram(1700000000, "1", "", ""));
  EXPECT_EQ(handler->stats().accepted, 0u);
  EXPECT_TRUE(capture.contains("no connection-request username/password"));
}

TEST_F(UdpConnectionRequestTest, DemultiplexesStunAndDropsOtherDatagrams) {
  const auto to = *SocketAddress::fromNumeric("127.0.0.1", endpoint->port());
  client.send(std::string("\x01\x01\x00\x00", 4) + std::string(16, 'x'), to);
  client.send("HELLO", to);
  client.send(std::string("\x00\x01\x00\x00", 4) + std::string(16, 'y'), to);
  client.send("GET " + std::string(3000, 'x'), to);  // larger than any valid request
  ASSERT_TRUE(runUntil(loop, [&] { return stunSeen == 2 && endpoint->droppedDatagrams() == 2; }));
  EXPECT_EQ(handler->stats().malformed, 0u);
}

TEST_F(UdpConnectionRequestTest, FloodOfValidRequestsIsRateLimited) {
  // The engine starts each requested session and keeps it running.
  sink.onCall = [&](ConnectionRequestSource) {
    gate->sessionStarted();
    gate->informSent();
  };
  for (int i = 0; i < 40; ++i)
    send(datagram(1700001000 + i, std::to_string(1000 + i)));
  EXPECT_GE(handler->stats().rateLimited, 10u);
  EXPECT_EQ(handler->stats().accepted + handler->stats().rateLimited, 40u);
  EXPECT_EQ(sink.calls.size(), 1u);
}

TEST_F(UdpConnectionRequestTest, LogLinesAboutRefusalsAreThrottled) {
  for (int i = 0; i < 30; ++i)
    send(datagram(1700000000 + i, std::to_string(i), "acs", "bad"));
  EXPECT_EQ(handler->stats().refused, 30u);
  EXPECT_LE(capture.lines().size(), 12u);
}

}  // namespace
}  // namespace tr69::connreq
