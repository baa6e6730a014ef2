// Connection-request latency on loopback: from the moment the ACS side starts a valid request
// (HTTP with the full digest exchange, or one UDP datagram) to the ConnectionRequestSink call
// that asks the engine for a session. The session engine extends this to the first byte of the
// Inform POST. Plus the cost of the parsers on the hot path.
//
// The daemon's event loop runs on its own thread here (all connreq objects live on it); the
// benchmark thread plays the ACS.
#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "tr69/base/event_loop.h"
#include "tr69/base/log.h"
#include "tr69/connreq/gate.h"
#include "tr69/connreq/http_server.h"
#include "tr69/connreq/stun_message.h"
#include "tr69/connreq/udp_endpoint.h"
#include "tr69/connreq/udp_handler.h"

namespace {

using namespace tr69;
using namespace tr69::connreq;
using Clock = std::chrono::steady_clock;

// The daemon side: loop thread with the HTTP listener, the UDP endpoint and the gate. The sink
// records when it was called and immediately plays a whole session, so every request starts one.
class Daemon : public ConnectionRequestSink {
 public:
  explicit Daemon(bool persistUdp = true)
      : log_([](LogLevel, std::string_view) {}, LogLevel::kError) {
    stateDir_ =
        std::filesystem::temp_directory_path() / ("tr69-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(stateDir_);
    ConnectionRequestPolicyOptions policy;
    policy.burst = 1'000'000'000;  // measure latency, not the flood guard
    gate_ = std::make_unique<ConnectionRequestGate>(loop_, *this, log_, policy);
    http_ = std::make_unique<HttpConnectionRequestServer>(loop_, log_, *gate_);
    HttpConnectionRequestServer::Options options;
    options.bindAddress = "127.0.0.1";
    options.port = 0;
    options.path = "/cr";
    options.username = "acs";
    options.password = "pw";
    (void)http_->start(options);
    store_ = std::make_unique<UdpReplayStore>(stateDir_ / UdpReplayStore::kFileName);
    udpHandler_ = std::make_unique<UdpConnectionRequestHandler>(
        *gate_, log_, persistUdp ? store_.get() : nullptr);
    udpHandler_->setCredentials("acs", "pw");
    udp_ = std::make_unique<UdpEndpoint>(loop_, log_);
    UdpEndpoint::Options udpOptions;
    udpOptions.bindAddress = "127.0.0.1";
    (void)udp_->open(udpOptions);
    udp_->setRequestHandler(
        [this](std::string_view d, const SocketAddress& from) { udpHandler_->handle(d, from); });
    thread_ = std::thread([this] {
      while (!stop_)
        loop_.runOnce(std::chrono::milliseconds(10));
    });
  }
  ~Daemon() override {
    stop_ = true;
    thread_.join();
    udp_.reset();
    udpHandler_.reset();
    http_.reset();
    gate_.reset();
    std::filesystem::remove_all(stateDir_);
  }

  void onConnectionRequest(ConnectionRequestSource) override {
    signalled_.store(Clock::now().time_since_epoch().count());
    count_.fetch_add(1);
    gate_->sessionStarted();
    gate_->informSent();
    gate_->sessionEnded();
  }

  // Waits for the sink call number `n` and returns when it happened.
  Clock::time_point waitFor(long n) const {
    const auto end = Clock::now() + std::chrono::seconds(10);
    while (count_.load() < n && Clock::now() < end)
      std::this_thread::yield();
    return Clock::time_point(Clock::duration(signalled_.load()));
  }
  long count() const { return count_.load(); }
  std::uint16_t httpPort() const { return http_->port(); }
  std::uint16_t udpPort() const { return udp_->port(); }

 private:
  Logger log_;
  EventLoop loop_;
  std::filesystem::path stateDir_;
  std::unique_ptr<ConnectionRequestGate> gate_;
  std::unique_ptr<HttpConnectionRequestServer> http_;
  std::unique_ptr<UdpReplayStore> store_;
  std::unique_ptr<UdpConnectionRequestHandler> udpHandler_;
  std::unique_ptr<UdpEndpoint> udp_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<long> count_{0};
  std::atomic<Clock::rep> signalled_{0};
};

std::size_t discard(char*, std::size_t size, std::size_t n, void*) {
  return size * n;
}

void BM_HttpConnectionRequestToSessionSignal(benchmark::State& state) {
  Daemon daemon;
  const std::string url = "http://127.0.0.1:" + std::to_string(daemon.httpPort()) + "/cr";
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
  curl_easy_setopt(curl, CURLOPT_USERNAME, "acs");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, "pw");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &discard);
  for (auto _ : state) {
    const long before = daemon.count();
    const auto start = Clock::now();
    // Each request is a fresh digest exchange (401 challenge, then the authenticated GET).
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
    if (curl_easy_perform(curl) != CURLE_OK) {
      state.SkipWithError("request failed");
      break;
    }
    const auto signalled = daemon.waitFor(before + 1);
    state.SetIterationTime(std::chrono::duration<double>(signalled - start).count());
  }
  curl_easy_cleanup(curl);
}
BENCHMARK(BM_HttpConnectionRequestToSessionSignal)->UseManualTime()->Unit(benchmark::kMicrosecond);

// Arg 1: with the durable ts/id write (fsync) before the session is asked for, as the daemon
// runs; arg 0: without it, to show the module's own share.
void BM_UdpConnectionRequestToSessionSignal(benchmark::State& state) {
  Daemon daemon(state.range(0) != 0);
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(daemon.udpPort());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::uint64_t ts = 1700000000;
  for (auto _ : state) {
    ++ts;
    const std::string t = std::to_string(ts);
    const std::string id = std::to_string(ts * 7);
    const std::string datagram =
        "GET http://127.0.0.1:" + std::to_string(daemon.udpPort()) + "?ts=" + t + "&id=" + id +
        "&un=acs&cn=abc&sig=" + udpConnectionRequestSignature("pw", t, id, "acs", "abc") +
        " HTTP/1.1\r\n\r\n";
    const long before = daemon.count();
    const auto start = Clock::now();
    ::sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    const auto signalled = daemon.waitFor(before + 1);
    if (daemon.count() == before) {
      state.SkipWithError("datagram not accepted");
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(signalled - start).count());
  }
  ::close(fd);
}
BENCHMARK(BM_UdpConnectionRequestToSessionSignal)
    ->Arg(1)
    ->Arg(0)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

void BM_UdpConnectionRequestParseAndVerify(benchmark::State& state) {
  const std::string datagram =
      "GET http://203.0.113.7:7547?ts=1700000001&id=42&un=acs&cn=abc&sig=" +
      udpConnectionRequestSignature("pw", "1700000001", "42", "acs", "abc") +
      " HTTP/1.1\r\nHost: 203.0.113.7:7547\r\n\r\n";
  const UdpReplayState replay{1700000000, "41", true};
  for (auto _ : state) {
    auto request = parseUdpConnectionRequest(datagram);
    benchmark::DoNotOptimize(verifyUdpConnectionRequest(*request, "acs", "pw", replay));
  }
}
BENCHMARK(BM_UdpConnectionRequestParseAndVerify);

void BM_StunBindingRequestWithIntegrity(benchmark::State& state) {
  stun::Message request;
  request.connectionRequestBinding = true;
  request.username = "cpe-user";
  for (auto _ : state) {
    request.transactionId[0]++;
    benchmark::DoNotOptimize(stun::encode(request, "stun-password"));
  }
}
BENCHMARK(BM_StunBindingRequestWithIntegrity);

void BM_StunDecodeResponse(benchmark::State& state) {
  stun::Message response;
  response.type = stun::kBindingResponse;
  response.mappedAddress = stun::StunAddress{"203.0.113.7", 40000};
  response.sourceAddress = stun::StunAddress{"198.51.100.1", 3478};
  response.changedAddress = stun::StunAddress{"198.51.100.2", 3479};
  const std::string bytes = stun::encode(response);
  for (auto _ : state)
    benchmark::DoNotOptimize(stun::decode(bytes));
}
BENCHMARK(BM_StunDecodeResponse);

}  // namespace

BENCHMARK_MAIN();
