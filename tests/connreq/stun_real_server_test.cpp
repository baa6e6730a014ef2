// Smoke test of the STUN client against a real classic-STUN server from Debian: stund (package
// stun-server), else coturn's turnserver in --stun-only mode, on loopback high ports. Skipped
// with a message when neither is installed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "connreq/test_support.h"
#include "tr69/base/log.h"
#include "tr69/base/unique_fd.h"
#include "tr69/connreq/stun_client.h"
#include "tr69/connreq/udp_endpoint.h"

namespace tr69::connreq {
namespace {

using namespace std::chrono_literals;
using testing::runUntil;

std::string findProgram(const std::vector<std::string>& candidates) {
  for (const auto& path : candidates) {
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return {};
}

// A UDP port that was free on `ip` a moment ago.
std::uint16_t freeUdpPort(const std::string& ip) {
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM, 0));
  auto addr = SocketAddress::fromNumeric(ip, 0);
  if (!addr || ::bind(fd.get(), addr->get(), addr->length) != 0) return 0;
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &length);
  return SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&bound), length).port();
}

class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      std::vector<char*> args;
      for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~ChildProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      ::usleep(20'000);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

TEST(StunRealServerTest, BindsAgainstADebianStunServer) {
  const std::string stund = findProgram({"/usr/sbin/stund", "/usr/bin/stund"});
  const std::string turnserver = findProgram({"/usr/bin/turnserver", "/usr/sbin/turnserver"});
  if (stund.empty() && turnserver.empty()) {
    GTEST_SKIP() << "neither stund (package stun-server) nor turnserver (coturn) is installed";
  }
  const std::uint16_t port = freeUdpPort("127.0.0.1");
  ASSERT_NE(port, 0);
  std::unique_ptr<ChildProcess> server;
  const auto scratch =
      std::filesystem::temp_directory_path() / ("tr69-turndb-" + std::to_string(::getpid()));
  if (!stund.empty()) {
    const std::uint16_t alternate = freeUdpPort("127.0.0.2");
    ASSERT_NE(alternate, 0);
    server = std::make_unique<ChildProcess>(
        std::vector<std::string>{stund, "-h", "127.0.0.1", "-a", "127.0.0.2", "-p",
                                 std::to_string(port), "-o", std::to_string(alternate)});
  } else {
    server = std::make_unique<ChildProcess>(std::vector<std::string>{
        turnserver, "-n", "--stun-only", "-L", "127.0.0.1", "-p", std::to_string(port), "--no-cli",
        "--no-tls", "--no-dtls", "--log-file=stdout", "--userdb", scratch.string()});
  }
  ASSERT_TRUE(server->started());

  EventLoop loop;
  LogCapture capture;
  Logger log = capture.logger();
  UdpEndpoint endpoint(loop, log);
  UdpEndpoint::Options options;
  options.bindAddress = "127.0.0.1";
  ASSERT_TRUE(endpoint.open(options).ok());
  StunClient client(
      loop, log, [&](std::string_view d, const SocketAddress& to) { return endpoint.send(d, to); },
      endpoint.port(), nullptr);
  endpoint.setStunHandler(
      [&](std::string_view d, const SocketAddress& from) { client.handleDatagram(d, from); });
  StunConfig config;
  config.enable = true;
  config.serverAddress = "127.0.0.1";
  config.serverPort = port;
  config.minimumKeepAlivePeriod = 1;
  config.maximumKeepAlivePeriod = 1;
  // The server may need a moment to bind: the client's retries cover that.
  client.configure(config);
  const bool bound = runUntil(
      loop, [&] { return client.status().bound; }, 30s);
  std::filesystem::remove(scratch);
  ASSERT_TRUE(bound) << capture.joined();
  EXPECT_FALSE(client.status().natDetected);
  EXPECT_EQ(client.status().udpConnectionRequestAddress,
            "127.0.0.1:" + std::to_string(endpoint.port()));
}

}  // namespace
}  // namespace tr69::connreq
