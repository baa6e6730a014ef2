// Fault injection (issue 11 item 4): SIGKILL the real tr69d at many points across sessions,
// parameter writes and transfers, restart it, and check after every kill that
//   * local.cfg is exactly the old or the new version (never a mix, never damaged),
//   * the state files load: the daemon starts again and completes a session,
// and at the end, over the whole run, that no TransferComplete or pending event was lost and none
// was repeated beyond what the standard allows: a TransferComplete (or an event delivered by the
// InformResponse) may come again only when the CPE never processed the ACS's answer, i.e. it was
// killed before its next POST in that session.
// Kill points are random with a fixed seed (TR69_FAULT_SEED overrides it, TR69_FAULT_RUNS the
// number of runs); the summary lists the kill points hit by phase.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "acs/agent_fixture.h"
#include "acs/connreq_client.h"
#include "acs/file_server.h"
#include "xfer_e2e_util.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;
using namespace xfer;

constexpr const char* kLine = "Device.Services.VoiceService.1.VoiceProfile.1.";
constexpr const char* kProxyKey = "sip line1 proxy ip: ";
constexpr const char* kAuthKey = "sip line1 auth name: ";

enum class Work { kSetValues, kConfigDownload, kFirmware, kUpload, kReboot };
const char* workName(Work w) {
  switch (w) {
    case Work::kSetValues:
      return "parameter write";
    case Work::kConfigDownload:
      return "config download";
    case Work::kFirmware:
      return "firmware download";
    case Work::kUpload:
      return "upload";
    case Work::kReboot:
      return "reboot";
  }
  return "?";
}

std::vector<std::string> linesWithout(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(kProxyKey, 0) == 0 || line.rfind(kAuthKey, 0) == 0) continue;
    out.push_back(line);
  }
  return out;
}

unsigned envNumber(const char* name, unsigned fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? static_cast<unsigned>(std::strtoul(text, nullptr, 10))
                                          : fallback;
}

class FaultInjection : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    ASSERT_TRUE(files_.start(FileServerOptions{}).ok());
    acs().setScriptProvider([this](std::size_t) -> std::optional<SessionScript> {
      std::lock_guard lock(mutex_);
      if (work_.empty()) return std::nullopt;
      SessionScript next = work_.front();
      work_.erase(work_.begin());
      return next;
    });
  }
  void TearDown() override {
    AgentTest::TearDown();
    files_.stop();
  }
  void queueScript(SessionScript script) {
    std::lock_guard lock(mutex_);
    work_.push_back(std::move(script));
  }
  void start() {
    const std::string firmware =
        writeFirmwareScript(environment().root(), environment().stateDir() + "/tr69d.pid");
    startAgent({"--firmware-command", firmware});
  }
  std::string localCfg() { return fileText(environment().configDir() + "/local.cfg"); }

  // Old or new: `previous` exactly, or the version this run's work writes.
  std::string checkLocalCfg(const std::string& previous, Work work, int run) {
    const std::string now = localCfg();
    if (now == previous) return {};
    if (work == Work::kConfigDownload && now == configFor(run)) return {};
    if (work == Work::kSetValues) {
      const bool tagged = now.find(kProxyKey + proxyFor(run) + "\n") != std::string::npos &&
                          now.find(kAuthKey + userFor(run) + "\n") != std::string::npos;
      if (tagged && linesWithout(now) == linesWithout(previous)) return {};
    }
    return "local.cfg is neither the old nor the new version:\n--- old\n" + previous + "--- now\n" +
           now;
  }
  static std::string proxyFor(int run) { return "pbx-" + std::to_string(run) + ".example"; }
  static std::string userFor(int run) { return "user-" + std::to_string(run); }
  static std::string configFor(int run) {
    std::string text = "sip line2 proxy ip: cfg-" + std::to_string(run) + ".example\n";
    while (text.size() < 2048)
      text += "# run " + std::to_string(run) + " padding for a throttled download\n";
    return text;
  }

  // Connection requests until a session shows an empty queue and nothing pending.
  bool quiesce() {
    for (int attempt = 0; attempt < 40; ++attempt) {
      const std::size_t before = acs().sessionCount();
      queueScript([] {
        SessionScript s;
        s.steps.push_back(Step::rpc(simpleRequest("GetAllQueuedTransfers")));
        return s;
      }());
      (void)sendHttpConnectionRequest(connectionRequestUrl(), "cr-user", "cr-secret");
      const bool quiet = acs().waitUntil(
          [&](const std::vector<SessionRecord>& sessions) {
            for (std::size_t i = before; i < sessions.size(); ++i) {
              const SessionRecord& s = sessions[i];
              if (!s.completed || s.exchanges.empty()) continue;
              if (s.exchanges[0].request.method != "GetAllQueuedTransfers") continue;
              return true;
            }
            return false;
          },
          10s);
      {
        std::lock_guard lock(mutex_);
        work_.clear();
      }
      if (!quiet) continue;
      const auto sessions = acs().sessions();
      for (std::size_t i = sessions.size(); i-- > before;) {
        const SessionRecord& s = sessions[i];
        if (!s.completed || s.exchanges.empty() ||
            s.exchanges[0].request.method != "GetAllQueuedTransfers") {
          continue;
        }
        const bool pending = !s.exchanges[0].response.transferList.empty() ||
                             s.inform.hasEvent("7 TRANSFER COMPLETE") ||
                             s.inform.hasEvent("M Reboot");
        if (!pending) return true;
        break;
      }
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  FileServer files_;
  std::mutex mutex_;
  std::vector<SessionScript> work_;
};

TEST_F(FaultInjection, SigkillAtManyPointsLosesAndDuplicatesNothing) {
  const unsigned seed = envNumber("TR69_FAULT_SEED", 20261127);
  const int runs = static_cast<int>(envNumber("TR69_FAULT_RUNS", 110));
  std::mt19937 random(seed);
  auto uniform = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  std::map<std::string, int> hitsByPhase;
  std::map<std::string, int> missedByPhase;  // the process had already gone on / ended
  std::set<std::string> transferKeys;
  std::set<std::string> rebootKeys;
  std::string previous;
  const auto started = std::chrono::steady_clock::now();

  start();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 20s));
  previous = localCfg();

  for (int run = 0; run < runs; ++run) {
    const Work work = static_cast<Work>(uniform(0, 4));
    const std::string key = "r" + std::to_string(run);
    SessionScript script;
    std::string file;
    switch (work) {
      case Work::kSetValues:
        script.steps.push_back(Step::rpc(
            setParameterValues(
                {{std::string(kLine) + "SIP.ProxyServer", proxyFor(run), "xsd:string"},
                 {std::string(kLine) + "Line.1.SIP.AuthUserName", userFor(run), "xsd:string"}},
                key),
            Expectation::anything()));
        break;
      case Work::kConfigDownload:
        file = key + ".cfg";
        files_.addFile(file, configFor(run));
        files_.setBehaviour(file, {FileBehaviour::Kind::kNormal, 0, 10, 256});
        script.steps.push_back(
            Step::rpc(download(key, "3 Vendor Configuration File", files_.url(file)),
                      Expectation::anything()));
        transferKeys.insert(key);
        break;
      case Work::kFirmware:
        file = key + ".img";
        files_.addFile(file, std::string(6 * 1024, static_cast<char>('a' + run % 26)));
        files_.setBehaviour(file, {FileBehaviour::Kind::kNormal, 0, 10, 1024});
        script.steps.push_back(Step::rpc(
            download(key, "1 Firmware Upgrade Image", files_.url(file)), Expectation::anything()));
        transferKeys.insert(key);
        break;
      case Work::kUpload:
        file = key + ".up";
        script.steps.push_back(Step::rpc(
            upload(key, "1 Vendor Configuration File", files_.url(file)), Expectation::anything()));
        transferKeys.insert(key);
        break;
      case Work::kReboot:
        script.steps.push_back(
            Step::rpc(simpleRequest("Reboot").with("CommandKey", key), Expectation::anything()));
        rebootKeys.insert(key);
        break;
    }
    queueScript(script);
    const std::size_t postsBefore = acs().postCount();
    const std::string installed = fileText(environment().root() + "/fw-args");
    const auto installsBefore =
        static_cast<std::size_t>(std::count(installed.begin(), installed.end(), '\n'));
    (void)sendHttpConnectionRequest(connectionRequestUrl(), "cr-user", "cr-secret");

    // Where to kill: a few POSTs into the session, during the transfer, after the install, or
    // at a random moment of the run.
    std::string phase;
    const int choice = uniform(0, 9);
    if (choice < 4) {
      const std::size_t posts = static_cast<std::size_t>(uniform(1, 3));
      (void)acs().waitForPosts(postsBefore + posts, 2s);
      std::this_thread::sleep_for(std::chrono::milliseconds(uniform(0, 15)));
      phase = "session (POST " + std::to_string(posts) + ")/" + workName(work);
    } else if (choice < 7 && !file.empty() && work != Work::kUpload) {
      (void)pollUntil([&] { return files_.requestCount(file) > 0; }, 5s);
      std::this_thread::sleep_for(std::chrono::milliseconds(uniform(0, 120)));
      phase = std::string("transfer/") + workName(work);
    } else if (choice < 8 && work == Work::kFirmware) {
      (void)pollUntil(
          [&] {
            const std::string args = fileText(environment().root() + "/fw-args");
            return static_cast<std::size_t>(std::count(args.begin(), args.end(), '\n')) >
                   installsBefore;
          },
          5s);
      std::this_thread::sleep_for(std::chrono::milliseconds(uniform(0, 10)));
      phase = "after install/firmware download";
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(uniform(0, 250)));
      phase = std::string("random/") + workName(work);
    }
    if (agent().signal(SIGKILL)) {
      ++hitsByPhase[phase];
    } else {
      ++missedByPhase[phase];
    }
    (void)agent().waitExit(5s);
    ASSERT_EQ(checkLocalCfg(previous, work, run), "") << "run " << run << " after the kill";

    start();
    ASSERT_TRUE(
        acs().waitUntil([&](const auto& s) { return !s.empty() && s.back().completed; }, 20s))
        << "run " << run << ": no session completed after the restart (state did not load?)";
    ASSERT_TRUE(quiesce()) << "run " << run << ": work still pending after the restart";
    ASSERT_EQ(checkLocalCfg(previous, work, run), "") << "run " << run << " after recovery";
    previous = localCfg();
  }

  // ---- the whole record: nothing lost, nothing repeated beyond what the standard allows ----
  const auto sessions = acs().sessions();
  std::map<std::string, int> acked;        // TransferCompletes acknowledged
  std::map<std::string, int> unconfirmed;  // acknowledged, then killed before the next POST
  for (const SessionRecord& s : sessions) {
    std::size_t tcSeen = 0;
    for (std::size_t m = 0; m < s.cpeMessages.size(); ++m) {
      if (s.cpeMessages[m] != "TransferComplete") continue;
      const std::string& k = s.transferCompletesSeen[tcSeen++].commandKey;
      ++acked[k];
      if (m + 1 == s.cpeMessages.size()) ++unconfirmed[k];
    }
  }
  std::map<std::string, bool> responseReceived;  // the ACS got the RPC's response
  for (const SessionRecord& s : sessions) {
    for (const RpcExchange& e : s.exchanges) {
      for (const auto& [name, value] : e.request.args) {
        if (name == "CommandKey") responseReceived[value] = !e.response.isFault;
      }
    }
  }
  int transfersChecked = 0;
  for (const std::string& k : transferKeys) {
    const int count = acked[k];
    EXPECT_LE(count, 1 + unconfirmed[k]) << k << ": TransferComplete repeated after its ack";
    if (responseReceived[k]) {
      ++transfersChecked;
      EXPECT_GE(count, 1) << k << ": accepted transfer never reported (TransferComplete lost)";
    }
  }
  int rebootsChecked = 0;
  for (const std::string& k : rebootKeys) {
    int informs = 0;
    int confirmed = 0;
    for (const SessionRecord& s : sessions) {
      if (!s.inform.hasEvent("M Reboot", k)) continue;
      ++informs;
      if (!s.cpeMessages.empty()) ++confirmed;
    }
    EXPECT_LE(confirmed, 1) << k << ": M Reboot delivered more than once";
    if (responseReceived[k]) {
      ++rebootsChecked;
      // An Inform whose session has no later CPE message may still have been delivered: the
      // kill can land after the CPE processed the InformResponse and before its next POST, and
      // then the event is rightly not sent again. Lost means never informed at all.
      EXPECT_GE(informs, 1) << k << ": M Reboot lost (" << confirmed << " confirmed)";
    }
  }
  int bootstraps = 0;
  int bootstrapInforms = 0;
  for (const SessionRecord& s : sessions) {
    if (!s.inform.hasEvent("0 BOOTSTRAP")) continue;
    ++bootstrapInforms;
    if (!s.cpeMessages.empty()) ++bootstraps;
  }
  EXPECT_LE(bootstraps, 1) << "0 BOOTSTRAP delivered more than once";
  EXPECT_GE(bootstrapInforms, 1) << "0 BOOTSTRAP never informed";

  int hits = 0;
  std::ostringstream summary;
  summary << "fault injection: seed " << seed << ", " << runs << " runs, " << sessions.size()
          << " sessions, "
          << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                              started)
                 .count()
          << " s\n  kill points hit by phase:\n";
  for (const auto& [phase, count] : hitsByPhase) {
    summary << "    " << count << "  " << phase << "\n";
    hits += count;
  }
  for (const auto& [phase, count] : missedByPhase)
    summary << "    (" << count << " not hit: process already gone)  " << phase << "\n";
  summary << "  " << hits << " kills; " << transfersChecked << " accepted transfers and "
          << rebootsChecked << " reboots checked for exactly-once delivery\n";
  std::cout << summary.str();
  // The default 110 runs must land at least 100 kills on a live daemon (issue 11 item 4).
  EXPECT_GE(hits, runs >= 110 ? 100 : runs * 9 / 10);
}

}  // namespace
}  // namespace tr69::testacs
