// Connection-request latency through the real tr69d process on loopback (issue #7): from the
// moment the ACS side starts a valid connection request (HTTP with the full digest exchange, or
// one signed UDP datagram) to the first byte of the Inform POST that the daemon sends to the ACS.
//
// The benchmark plays the ACS: a minimal CWMP endpoint (InformResponse, then 204 to the empty
// POST) on a loopback port, and starts tr69d with a temporary config dir, state dir and system
// root. Requests are paced at 550 ms so that the daemon's rate limit (10 tokens, one more every
// 500 ms) never answers 503 and every request opens a fresh session.
#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tr69/base/crypto.h"

#ifndef TR69D_BINARY
#define TR69D_BINARY ""
#endif

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr auto kPacing = 550ms;

// The ACS: accepts the daemon's connections, answers the Inform and the empty POST, and records
// when the first byte of each Inform POST arrived.
class MiniAcs {
 public:
  MiniAcs() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~MiniAcs() {
    stop_ = true;
    thread_.join();
    for (auto& [fd, connection] : connections_)
      ::close(fd);
    ::close(listener_);
  }

  std::uint16_t port() const { return port_; }

  // Waits (bounded) for Inform number `n` (1-based); returns when its first byte arrived.
  std::optional<Clock::time_point> waitForInform(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return informs_.size() >= n; })) return {};
    return informs_[n - 1];
  }
  // Waits (bounded) until `n` sessions ended with the 204 to the empty POST.
  bool waitForSessionsEnded(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return ended_ >= n; });
  }
  std::size_t informs() {
    std::lock_guard lock(mutex_);
    return informs_.size();
  }

 private:
  struct Connection {
    std::string in;
    std::optional<Clock::time_point> requestStart;
  };

  void run() {
    while (!stop_) {
      std::vector<pollfd> fds{{listener_, POLLIN, 0}};
      for (auto& [fd, connection] : connections_)
        fds.push_back({fd, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
      const auto now = Clock::now();
      if (fds[0].revents & POLLIN) {
        const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) connections_[fd] = Connection{};
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        if (!onReadable(fds[i].fd, now)) {
          ::close(fds[i].fd);
          connections_.erase(fds[i].fd);
        }
      }
    }
  }

  bool onReadable(int fd, Clock::time_point now) {
    char buffer[16384];
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    Connection& connection = connections_[fd];
    if (connection.in.empty()) connection.requestStart = now;
    connection.in.append(buffer, static_cast<std::size_t>(n));
    for (;;) {
      const auto headEnd = connection.in.find("\r\n\r\n");
      if (headEnd == std::string::npos) return true;
      std::size_t contentLength = 0;
      const std::string head = connection.in.substr(0, headEnd);
      for (const char* name : {"Content-Length:", "content-length:", "Content-length:"}) {
        if (auto at = head.find(name); at != std::string::npos) {
          contentLength = std::strtoul(head.c_str() + at + std::strlen(name), nullptr, 10);
        }
      }
      if (connection.in.size() < headEnd + 4 + contentLength) return true;
      const std::string body = connection.in.substr(headEnd + 4, contentLength);
      const auto started = connection.requestStart.value_or(now);
      connection.in.erase(0, headEnd + 4 + contentLength);
      connection.requestStart = connection.in.empty() ? std::nullopt : std::optional(now);
      if (!answer(fd, body, started)) return false;
    }
  }

  static std::string between(const std::string& text, const std::string& open,
                             const std::string& close) {
    const auto a = text.find(open);
    if (a == std::string::npos) return {};
    const auto b = text.find(close, a + open.size());
    return b == std::string::npos ? std::string()
                                  : text.substr(a + open.size(), b - a - open.size());
  }

  bool answer(int fd, const std::string& body, Clock::time_point started) {
    std::string response;
    if (body.empty()) {
      response = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";
      std::lock_guard lock(mutex_);
      ++ended_;
      changed_.notify_all();
    } else if (body.find("Inform>") != std::string::npos ||
               body.find("Inform ") != std::string::npos) {
      {
        std::lock_guard lock(mutex_);
        informs_.push_back(started);
        changed_.notify_all();
      }
      std::string ns = "urn:dslforum-org:cwmp-1-" + between(body, "urn:dslforum-org:cwmp-1-", "\"");
      const auto idTag = body.find(":ID ");
      std::string id;
      if (idTag != std::string::npos) {
        const auto gt = body.find('>', idTag);
        id = body.substr(gt + 1, body.find('<', gt) - gt - 1);
      }
      const std::string xml =
          "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
          "xmlns:cwmp=\"" +
          ns + "\"><soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">" + id +
          "</cwmp:ID></soap-env:Header><soap-env:Body><cwmp:InformResponse><MaxEnvelopes>1"
          "</MaxEnvelopes></cwmp:InformResponse></soap-env:Body></soap-env:Envelope>";
      response =
          "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nContent-Length: " +
          std::to_string(xml.size()) + "\r\n\r\n" + xml;
    } else {
      response = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";
    }
    return ::send(fd, response.data(), response.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(response.size());
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::map<int, Connection> connections_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Clock::time_point> informs_;
  std::size_t ended_ = 0;
};

std::uint16_t freeTcpPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// tr69d in a temporary tree, against the MiniAcs; stopped by pid (SIGTERM, then SIGKILL).
class Daemon {
 public:
  Daemon() {
    root_ = fs::temp_directory_path() / ("tr69-daemon-bench-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "config");
    fs::create_directories(root_ / "state");
    fs::create_directories(root_ / "sysroot/run/tr69d");
    fs::create_directories(root_ / "sysroot/proc");
    std::ofstream(root_ / "sysroot/run/tr69d/ipaddress") << "127.0.0.1\n";
    std::ofstream(root_ / "sysroot/proc/uptime") << "42.00 10.00\n";
    std::ofstream(root_ / "identity") << "model: 6757i\nmac: 00085D0A0B0C\nserial: 00085D0A0B0C\n"
                                         "software version: 3.3.1.4322\n"
                                         "hardware version: 6757i rev 2\n";
    port_ = freeTcpPort();
    std::ofstream(root_ / "config/aastra.cfg")
        << "tr69: 1\ntr69 server: http://127.0.0.1:" << acs_.port()
        << "/acs\ntr69 username: acs\ntr69 password: acs-pw\n"
           "tr69 connection request username: cr\ntr69 connection request password: cr-pw\n"
           "tr69 connection request port: "
        << port_ << "\n";
    const std::vector<std::string> argv = {TR69D_BINARY,
                                           "--config-dir",
                                           (root_ / "config").string(),
                                           "--state-dir",
                                           (root_ / "state").string(),
                                           "--identity",
                                           (root_ / "identity").string(),
                                           "--foreground",
                                           "--listen-address",
                                           "127.0.0.1",
                                           "--system-root",
                                           (root_ / "sysroot").string()};
    const std::string logPath = (root_ / "tr69d.log").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(out, 1);
      ::dup2(out, 2);
      std::vector<char*> args;
      for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    // Ready once the boot session is over.
    ready_ = acs_.waitForSessionsEnded(1, 30s);
  }
  ~Daemon() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      bool reaped = false;
      for (int i = 0; i < 250 && !reaped; ++i) {
        reaped = ::waitpid(pid_, nullptr, WNOHANG) == pid_;
        if (!reaped) std::this_thread::sleep_for(20ms);
      }
      if (!reaped) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
      }
    }
    if (std::getenv("TR69_KEEP_TEST_DIRS") == nullptr) {
      std::error_code ignored;
      fs::remove_all(root_, ignored);
    }
  }

  bool ready() const { return ready_; }
  std::uint16_t port() const { return port_; }
  MiniAcs& acs() { return acs_; }

  // Keeps the rate limit out of the measurement and lets the previous session end.
  void pace() {
    const auto due = lastRequest_ + kPacing;
    if (Clock::now() < due) std::this_thread::sleep_until(due);
    lastRequest_ = Clock::now();
  }

 private:
  MiniAcs acs_;
  fs::path root_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool ready_ = false;
  Clock::time_point lastRequest_{};
};

Daemon& daemon() {
  static Daemon instance;
  return instance;
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) {
  return size * n;
}

// Measures one request: `send` starts it; the time to the next Inform's first byte is recorded.
template <class Send>
void measure(benchmark::State& state, Send send) {
  Daemon& d = daemon();
  if (!d.ready()) {
    state.SkipWithError("tr69d did not complete its boot session");
    return;
  }
  double requestMs = 0;
  std::vector<double> latenciesMs;
  for (auto _ : state) {
    const std::size_t before = d.acs().informs();
    (void)d.acs().waitForSessionsEnded(before, 10s);
    d.pace();
    const auto start = Clock::now();
    if (!send()) {
      state.SkipWithError("connection request refused");
      break;
    }
    const auto answered = Clock::now();
    const auto inform = d.acs().waitForInform(before + 1, 10s);
    if (!inform) {
      state.SkipWithError("no Inform after the connection request");
      break;
    }
    state.SetIterationTime(std::chrono::duration<double>(*inform - start).count());
    latenciesMs.push_back(std::chrono::duration<double, std::milli>(*inform - start).count());
    requestMs += std::chrono::duration<double, std::milli>(answered - start).count();
  }
  // The ACS side's share: the whole HTTP exchange (digest included) or the sendto(); and the
  // median and worst case, less sensitive to a loaded machine than the mean.
  const double n = static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
  state.counters["request_ms"] = benchmark::Counter(requestMs / n);
  if (!latenciesMs.empty()) {
    std::sort(latenciesMs.begin(), latenciesMs.end());
    state.counters["median_ms"] = benchmark::Counter(latenciesMs[latenciesMs.size() / 2]);
    state.counters["max_ms"] = benchmark::Counter(latenciesMs.back());
  }
}

void BM_DaemonHttpConnectionRequestToInform(benchmark::State& state) {
  const std::string url = "http://127.0.0.1:" + std::to_string(daemon().port()) + "/";
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_USERNAME, "cr");
  curl_easy_setopt(curl, CURLOPT_PASSWORD, "cr-pw");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &discard);
  measure(state, [&] {
    // A fresh digest exchange each time (401 challenge, then the authenticated GET).
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
    long status = 0;
    const bool ok = curl_easy_perform(curl) == CURLE_OK;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return ok && status == 200;
  });
  curl_easy_cleanup(curl);
}
BENCHMARK(BM_DaemonHttpConnectionRequestToInform)
    ->UseManualTime()
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond);

void BM_DaemonUdpConnectionRequestToInform(benchmark::State& state) {
  const std::uint16_t port = daemon().port();
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  static std::uint64_t ts = static_cast<std::uint64_t>(std::time(nullptr));
  measure(state, [&] {
    ++ts;
    const std::string t = std::to_string(ts);
    const std::string id = std::to_string(ts * 3);
    const std::string text = t + id + "cr" + "cn";
    const std::string datagram =
        "GET http://127.0.0.1:" + std::to_string(port) + "?ts=" + t + "&id=" + id +
        "&un=cr&cn=cn&sig=" + tr69::toHex(tr69::hmacSha1("cr-pw", text)) + " HTTP/1.1\r\n\r\n";
    return ::sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to),
                    sizeof to) == static_cast<ssize_t>(datagram.size());
  });
  ::close(fd);
}
BENCHMARK(BM_DaemonUdpConnectionRequestToInform)
    ->UseManualTime()
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
