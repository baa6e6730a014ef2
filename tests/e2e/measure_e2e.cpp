// Soak (label e2e): many sessions of the real tr69d against the test ACS on loopback, with the
// daemon's resident memory and open file descriptors sampled from /proc/<pid>/ as it goes.
//
// Sessions are asked for the way a soak needs them, quickly and without the connection-request
// rate limit (10 requests, then one per 500 ms): through the control socket ("inform", what
// `tr69ctl inform` sends), which enters the engine exactly like an accepted connection request.
// Every 100th session is asked for with a real HTTP Digest connection request instead, so the
// connection-request listener is soaked too. Each session (Digest auth, cookie, one connection)
// reads Device.DeviceInfo. and Device.ManagementServer.; every 100th reads the whole tree and
// every 100th (offset 50) writes a SIP line setting through to local.cfg.
//
// TR69_SOAK_SESSIONS (default 300) sets the number of sessions; bench/soak.sh runs 10,000. The
// table of samples goes to stdout. The test asserts what is not timing: every session completed
// without an ACS failure and the descriptor count did not grow. RSS is printed, never asserted.
#include <dirent.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "acs/agent_fixture.h"
#include "acs/connreq_client.h"
#include "tr69/base/unique_fd.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;

struct ProcSample {
  std::size_t sessions = 0;
  long rssKiB = -1;   // VmRSS
  long anonKiB = -1;  // RssAnon
  long hwmKiB = -1;   // VmHWM (peak RSS so far)
  int fds = -1;       // entries of /proc/<pid>/fd
};

long statusField(const std::string& status, const std::string& key) {
  const auto at = status.find("\n" + key + ":");
  if (at == std::string::npos) return -1;
  return std::strtol(status.c_str() + at + key.size() + 2, nullptr, 10);
}

ProcSample sampleProcess(pid_t pid, std::size_t sessions) {
  ProcSample sample;
  sample.sessions = sessions;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  const std::string status =
      "\n" + std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  sample.rssKiB = statusField(status, "VmRSS");
  sample.anonKiB = statusField(status, "RssAnon");
  sample.hwmKiB = statusField(status, "VmHWM");
  if (DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str())) {
    int count = 0;
    while (const dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(dir);
    sample.fds = count;
  }
  return sample;
}

// One request on the daemon's control socket (fields already joined with TAB); the raw reply
// ("ok\n" or "error\t...", key/value lines, an empty line), or "" when there was none.
std::string controlRequest(const std::string& socketPath, const std::string& request) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (!fd || socketPath.size() >= sizeof address.sun_path) return {};
  socketPath.copy(address.sun_path, socketPath.size());
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return {};
  const std::string line = request + "\n";
  if (::send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(line.size())) {
    return {};
  }
  std::string reply;
  char buffer[1024];
  for (int rounds = 0; rounds < 100 && reply.find("\n\n") == std::string::npos; ++rounds) {
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n <= 0) break;
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  return reply;
}

// Waits (bounded) until the daemon's previous session has ended: a request during a session
// would be answered by a follow-up session one second after it (the engine's followUpDelay).
bool waitSessionIdle(const std::string& socketPath) {
  for (int attempt = 0; attempt < 5000; ++attempt) {
    if (controlRequest(socketPath, "status").find("\nsession-active\tno\n") != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

std::size_t sessionsWanted() {
  const char* text = std::getenv("TR69_SOAK_SESSIONS");
  const long n = text != nullptr ? std::strtol(text, nullptr, 10) : 0;
  return n > 0 ? static_cast<std::size_t>(n) : 300;
}

constexpr const char* kLine1 = "Device.Services.VoiceService.1.VoiceProfile.1.";

SessionScript soakSession(std::size_t index) {
  SessionScript script;
  script.auth = AuthMode::kDigest;
  if (index % 100 == 0) {
    script.steps.push_back(Step::rpc(getParameterValues({"Device."})));
  } else if (index % 100 == 50) {
    const std::string proxy = "pbx-" + std::to_string(index % 7) + ".example.com";
    script.steps.push_back(Step::rpc(
        setParameterValues({{std::string(kLine1) + "SIP.ProxyServer", proxy, "xsd:string"}},
                           "soak-" + std::to_string(index))));
  } else {
    script.steps.push_back(
        Step::rpc(getParameterValues({"Device.DeviceInfo.", "Device.ManagementServer."})));
  }
  return script;
}

std::string row(const char* label, const ProcSample& s) {
  char line[160];
  std::snprintf(line, sizeof line,
                "soak: %-7s session %6zu  VmRSS %6ld KiB  RssAnon %6ld KiB  "
                "VmHWM %6ld KiB  fds %3d\n",
                label, s.sessions, s.rssKiB, s.anonKiB, s.hwmKiB, s.fds);
  return line;
}

class SoakE2e : public AgentTest {};

TEST_F(SoakE2e, ManySessionsKeepDescriptorsFlat) {
  const std::size_t total = sessionsWanted();
  // Samples every `every` sessions, a multiple of 100 (all at the same point of the session mix:
  // right after a whole-tree read), the first after 100 sessions of warm-up.
  const std::size_t every = std::max<std::size_t>(1, (total / 20 + 99) / 100) * 100;
  Scenario scenario;
  for (std::size_t i = 0; i <= total; ++i)
    scenario.sessions.push_back(soakSession(i));
  acs().setScenario(scenario);
  // Periodic informs off: every session is one the soak asked for.
  config().extraLines.push_back("tr69 periodic inform enable: 0");
  const char* logLevel = std::getenv("TR69_SOAK_LOG_LEVEL");
  startAgent({"--log-level", logLevel != nullptr ? logLevel : "warning"});
  if (IsSkipped()) return;
  const pid_t pid = agent().pid();
  const std::string socketPath = environment().stateDir() + "/tr69d.sock";
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 60s)) << "no first (BOOTSTRAP) session";

  std::vector<ProcSample> samples;
  std::size_t httpRequests = 0;
  for (std::size_t done = 1; done <= total; ++done) {
    ASSERT_TRUE(waitSessionIdle(socketPath)) << "session " << done - 1 << " did not end";
    bool asked = false;
    if (done % 100 == 0) {
      const auto cr = sendHttpConnectionRequest(connectionRequestUrl("/"), "cr-user", "cr-secret");
      asked = cr.status == 200;
      if (asked) ++httpRequests;
    }
    for (int attempt = 0; !asked && attempt < 50; ++attempt) {
      asked = controlRequest(socketPath, "inform").rfind("ok\n", 0) == 0;
      if (!asked) std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(asked) << "the control socket refused session " << done;
    ASSERT_TRUE(acs().waitForCompletedSessions(done + 1, 60s)) << "session " << done;
    if (done % every == 0 || done == total) {
      samples.push_back(sampleProcess(pid, done));
    }
  }
  ASSERT_FALSE(samples.empty());
  // Descriptors: the largest and the last count versus the first sample (taken after the warm-up,
  // when the listeners, the control socket and libcurl's cache exist). A sample can catch a
  // connection still closing, hence the allowance of 1.
  const ProcSample& first = samples.front();
  const ProcSample& middle = samples[samples.size() / 2];
  const ProcSample& last = samples.back();
  int maxFds = first.fds;
  long maxRss = first.rssKiB, maxAnon = first.anonKiB;
  for (const auto& s : samples) {
    maxFds = std::max(maxFds, s.fds);
    maxRss = std::max(maxRss, s.rssKiB);
    maxAnon = std::max(maxAnon, s.anonKiB);
  }
  std::string report = "soak: " + std::to_string(total) + " sessions after the BOOTSTRAP one (" +
                       std::to_string(httpRequests) + " by HTTP connection request), " +
                       std::to_string(samples.size()) + " samples\n";
  for (const auto& s : samples)
    report += row("sample", s);
  report += row("first", first) + row("middle", middle) + row("last", last);
  report += "soak: drift last-first: VmRSS " + std::to_string(last.rssKiB - first.rssKiB) +
            " KiB, RssAnon " + std::to_string(last.anonKiB - first.anonKiB) + " KiB, fds " +
            std::to_string(last.fds - first.fds) + "\n";
  report += "soak: max drift above first: VmRSS " + std::to_string(maxRss - first.rssKiB) +
            " KiB, RssAnon " + std::to_string(maxAnon - first.anonKiB) + " KiB, fds " +
            std::to_string(maxFds - first.fds) + "\n";
  std::fputs(report.c_str(), stdout);
  std::fflush(stdout);

  EXPECT_GT(first.fds, 0);
  EXPECT_LE(maxFds, first.fds + 1) << report;
  EXPECT_LE(last.fds, first.fds + 1) << report;
  for (const std::string& failure : acs().failures())
    ADD_FAILURE() << failure;
}

}  // namespace
}  // namespace tr69::testacs
