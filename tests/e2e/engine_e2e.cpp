// End to end, the session engine through the real tr69d process against tr69-test-acs (label e2e):
// kill -9 at several points of a session, every way the ACS can fail, notifications, periodic
// informs, TLS and damaged state files. Retries use --retry-minimum-wait 1 so that they come within
// seconds; every wait is bounded and only order and generous bounds are asserted.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "acs/agent_fixture.h"
#include "acs/connreq_client.h"
#include "acs/file_server.h"
#include "acs/tls_certs.h"
#include "tr69/base/file_util.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;

const std::string kLine1 = "Device.Services.VoiceService.1.VoiceProfile.1.";
const std::string kProxy1 = kLine1 + "SIP.ProxyServer";
const std::string kRegistrar1 = kLine1 + "SIP.RegistrarServer";
const std::string kParameterKey = "Device.ManagementServer.ParameterKey";

RpcRequest setAttributes(std::vector<std::pair<std::string, int>> notifications) {
  RpcRequest request;
  request.method = "SetParameterAttributes";
  for (const auto& [name, notification] : notifications) {
    AttributeChange change;
    change.name = name;
    change.notificationChange = true;
    change.notification = notification;
    request.attributes.push_back(change);
  }
  return request;
}

Step delayed(Step step, int delayMs) {
  step.delayMs = delayMs;
  return step;
}

class EngineE2e : public AgentTest {
 protected:
  // Retries within seconds: 1-2 s, 2-4 s, ... (CWMPRetryMinimumWaitInterval 1).
  static std::vector<std::string> fastRetry() { return {"--retry-minimum-wait", "1"}; }

  std::string log() {
    auto text = readFile(environment().logFile(), 8 * 1024 * 1024);
    return text ? *text : std::string();
  }
  std::size_t countInLog(const std::string& needle) {
    const std::string text = log();
    std::size_t count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + needle.size())) {
      ++count;
    }
    return count;
  }
  bool waitForLog(const std::string& needle, std::size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (countInLog(needle) >= count) return true;
      std::this_thread::sleep_for(50ms);
    }
    return countInLog(needle) >= count;
  }
  std::string localCfg() {
    auto text = readFile(environment().configDir() + "/local.cfg");
    return text ? *text : std::string();
  }
  void appendToAastraCfg(const std::string& line) {
    std::ofstream out(environment().configDir() + "/aastra.cfg", std::ios::app);
    out << line << "\n";
  }
  void replaceInAastraCfg(const std::string& from, const std::string& to) {
    const std::string path = environment().configDir() + "/aastra.cfg";
    auto read = readFile(path);
    ASSERT_TRUE(read.ok());
    std::string text = *read;
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    ASSERT_TRUE(writeFileAtomic(path, text, 0600).ok());
  }
  void killAgent() {
    ASSERT_TRUE(agent().signal(SIGKILL));
    (void)stopAgent(2s);
  }
  void connectionRequest() {
    const auto result = sendHttpConnectionRequest(connectionRequestUrl(), "cr-user", "cr-secret");
    EXPECT_EQ(result.status, 200) << result.error;
  }
  bool waitForCompleted(std::size_t index, std::chrono::milliseconds timeout) {
    return acs().waitUntil(
        [index](const auto& s) { return s.size() > index && s[index].completed; }, timeout);
  }
  // The ACS failures, except those of sessions the test broke on purpose (a killed daemon leaves
  // its session unfinished).
  void expectNoAcsFailuresExcept(std::vector<std::size_t> brokenSessions = {}) {
    for (const std::string& failure : acs().failures()) {
      bool expected = false;
      for (std::size_t index : brokenSessions) {
        expected = expected || failure.rfind("session " + std::to_string(index) + ":", 0) == 0;
      }
      if (!expected) ADD_FAILURE() << failure;
    }
  }
  // Waits until the ACS got the CPE's empty POST of session `index` (the InformResponse went out
  // and, with no CPE request due, the next POST is the empty one).
  bool waitForEmptyPostOf(std::size_t index, std::chrono::milliseconds timeout) {
    return acs().waitUntil(
        [index](const auto& s) { return s.size() > index && s[index].emptyPosts > 0; }, timeout);
  }
  // Session 0 runs `first`, whose RPC makes the next Inform carry `events` (session 1 with
  // `firstEvents`). tr69d is killed in session 1 before its InformResponse, so session 2 (after a
  // restart: 1 BOOT) carries `events` again; it is killed after the InformResponse, so session 3
  // must not carry them, and no session repeats 0 BOOTSTRAP.
  void killBeforeAndAfterTheInformResponse(SessionScript first,
                                           std::vector<ExpectedEvent> firstEvents,
                                           const std::vector<ExpectedEvent>& events) {
    Scenario scenario;
    scenario.sessions.push_back(std::move(first));
    SessionScript unanswered;
    unanswered.expectEvents = std::move(firstEvents);
    unanswered.informDelayMs = 5000;
    scenario.sessions.push_back(unanswered);
    SessionScript answered;
    answered.expectEvents = {{"1 BOOT", std::nullopt}};
    answered.expectEvents.insert(answered.expectEvents.end(), events.begin(), events.end());
    answered.forbidEvents = {"0 BOOTSTRAP"};
    answered.steps.push_back(delayed(Step::rpc(getParameterValues({kProxy1})), 5000));
    scenario.sessions.push_back(answered);
    SessionScript last;
    last.expectEvents = {{"1 BOOT", std::nullopt}};
    last.forbidEvents = {"0 BOOTSTRAP"};
    for (const ExpectedEvent& event : events)
      last.forbidEvents.push_back(event.code);
    scenario.sessions.push_back(last);
    acs().setScenario(scenario);
    startAgent(fastRetry());
    if (IsSkipped()) return;
    ASSERT_TRUE(acs().waitForSessions(2, 40s));  // session 1's Inform is waiting
    killAgent();
    startAgent(fastRetry());
    ASSERT_TRUE(waitForEmptyPostOf(2, 30s));
    killAgent();
    startAgent(fastRetry());
    ASSERT_TRUE(waitForCompleted(3, 30s));
    expectNoAcsFailuresExcept({1, 2});
  }
};

// ---- kill -9 at several points of a session ------------------------------------------------

TEST_F(EngineE2e, KillAfterSetParameterValuesLeavesLocalCfgAndParameterKeyConsistent) {
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(
      Step::rpc(setParameterValues({{kProxy1, "pbx-new.example", "xsd:string"}}, "spv-key")));
  // The ACS delays its next step: the daemon is killed while the session is still open.
  first.steps.push_back(delayed(Step::rpc(getParameterValues({kRegistrar1})), 5000));
  scenario.sessions.push_back(first);
  SessionScript after;
  after.forbidEvents.push_back("0 BOOTSTRAP");  // acknowledged by the first InformResponse
  after.expectEvents.push_back({"1 BOOT", std::nullopt});
  scenario.sessions.push_back(after);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(
      acs().waitUntil([](const auto& s) { return !s.empty() && !s[0].exchanges.empty(); }, 30s));
  killAgent();
  const bool newValue = localCfg().find("pbx-new.example") != std::string::npos;
  startAgent(fastRetry());
  ASSERT_TRUE(waitForCompleted(1, 30s));
  const auto sessions = acs().sessions();
  const ParameterValue* key = sessions[1].inform.parameter(kParameterKey);
  ASSERT_NE(key, nullptr);
  // Either the whole SetParameterValues survived (value and ParameterKey) or none of it.
  EXPECT_EQ(key->value, newValue ? "spv-key" : "") << "local.cfg has the new value: " << newValue;
  expectNoAcsFailuresExcept({0});
}

TEST_F(EngineE2e, MRebootIsRetainedUntilAnInformResponseAndNeverResent) {
  SessionScript first;
  first.steps.push_back(Step::rpc(simpleRequest("Reboot").with("CommandKey", "rb-1")));
  // The Inform after the reboot carries 1 BOOT in every session that follows.
  killBeforeAndAfterTheInformResponse(first,
                                      {{"1 BOOT", std::nullopt}, {"M Reboot", std::string("rb-1")}},
                                      {{"M Reboot", std::string("rb-1")}});
}

TEST_F(EngineE2e, ScheduleInformEventsSurviveAKillUntilAcknowledged) {
  SessionScript first;
  first.steps.push_back(Step::rpc(
      simpleRequest("ScheduleInform").with("DelaySeconds", "1").with("CommandKey", "si-1")));
  killBeforeAndAfterTheInformResponse(
      first, {{"3 SCHEDULED", std::nullopt}, {"M ScheduleInform", std::string("si-1")}},
      {{"3 SCHEDULED", std::nullopt}, {"M ScheduleInform", std::string("si-1")}});
}

TEST_F(EngineE2e, KillBeforeTheTransferCompleteResponseSendsItAgainOnceAndSurvives8005) {
  FileServer files;
  ASSERT_TRUE(files.start(FileServerOptions{}).ok());
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(simpleRequest("Upload")
                                      .with("CommandKey", "up-1")
                                      .with("FileType", "1 Vendor Configuration File")
                                      .with("URL", files.url(""))));
  scenario.sessions.push_back(first);
  SessionScript unanswered;  // the TransferCompleteResponse never comes: killed while waiting
  unanswered.expectEvents = {{"7 TRANSFER COMPLETE", std::nullopt},
                             {"M Upload", std::string("up-1")}};
  unanswered.cpeRequestDelayMs = 5000;
  scenario.sessions.push_back(unanswered);
  SessionScript again;  // after the restart; the ACS asks twice to retry the request (8005)
  again.expectEvents = {{"1 BOOT", std::nullopt},
                        {"7 TRANSFER COMPLETE", std::nullopt},
                        {"M Upload", std::string("up-1")}};
  again.cpeRequestFaults = 2;
  again.cpeRequestFault = 8005;
  scenario.sessions.push_back(again);
  SessionScript done;
  done.forbidEvents = {"7 TRANSFER COMPLETE", "M Upload"};
  scenario.sessions.push_back(done);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitUntil(
      [](const auto& s) { return s.size() > 1 && !s[1].cpeRequests.empty(); }, 40s));
  killAgent();
  startAgent(fastRetry());
  ASSERT_TRUE(waitForCompleted(2, 30s));
  connectionRequest();
  ASSERT_TRUE(waitForCompleted(3, 30s));
  const auto sessions = acs().sessions();
  EXPECT_EQ(sessions[2].cpeRequests,
            (std::vector<std::string>{"TransferComplete", "TransferComplete", "TransferComplete"}));
  ASSERT_EQ(sessions[2].transferCompletes.size(), 1u);
  EXPECT_EQ(sessions[2].transferCompletes[0].commandKey, "up-1");
  EXPECT_TRUE(sessions[3].cpeRequests.empty());
  expectNoAcsFailuresExcept({1});
}

// ---- the ACS failing -------------------------------------------------------------------------

TEST_F(EngineE2e, AcsDownIsRetriedWithGrowingWaitsAndRetryCountResetsAfterSuccess) {
  config().connectionRequestPort = findFreeTcpPort();
  const std::uint16_t acsPort = acs().port();
  acs().stop();
  startAgent({"--retry-minimum-wait", "1", "--retry-multiplier", "1500"});
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForLog("session: retry 3 in", 1, 30s));
  AcsOptions options;
  options.http.port = acsPort;
  options.transcriptPath = environment().root() + "/acs-transcript-2.txt";
  ASSERT_TRUE(acs().start(options).ok());
  ASSERT_TRUE(waitForCompleted(0, 30s));
  const std::string text = log();
  const auto retry1 = text.find("session: retry 1 in");
  const auto retry2 = text.find("session: retry 2 in");
  const auto retry3 = text.find("session: retry 3 in");
  ASSERT_NE(retry3, std::string::npos);
  EXPECT_LT(retry1, retry2);
  EXPECT_LT(retry2, retry3);
  auto sessions = acs().sessions();
  EXPECT_GE(std::stoi(sessions[0].inform.retryCount), 3);
  EXPECT_TRUE(sessions[0].inform.hasEvent("0 BOOTSTRAP"));
  connectionRequest();
  ASSERT_TRUE(waitForCompleted(1, 30s));
  sessions = acs().sessions();
  EXPECT_EQ(sessions[1].inform.retryCount, "0");
  EXPECT_FALSE(sessions[1].inform.hasEvent("0 BOOTSTRAP"));
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, SlowAcsWithinTheTimeoutCompletesAndBeyondItFailsAndIsRetried) {
  Scenario scenario;
  SessionScript tooSlow;
  tooSlow.informDelayMs = 6000;  // beyond --acs-timeout 3
  scenario.sessions.push_back(tooSlow);
  SessionScript slow;
  slow.expectEvents = {{"0 BOOTSTRAP", std::nullopt}};
  slow.informDelayMs = 1000;
  slow.steps.push_back(delayed(Step::rpc(getParameterValues({kProxy1})), 1000));
  scenario.sessions.push_back(slow);
  acs().setScenario(scenario);
  startAgent({"--retry-minimum-wait", "1", "--acs-timeout", "3"});
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(1, 40s));
  EXPECT_EQ(acs().sessions()[1].inform.retryCount, "1");
  EXPECT_GE(countInLog("timed out"), 1u);
  expectNoAcsFailuresExcept({0});
}

TEST_F(EngineE2e, Http500MidSessionEndsItAndDeliveredEventsStayDelivered) {
  Scenario scenario;
  SessionScript failing;
  failing.steps.push_back(Step::rpc(getParameterValues({kProxy1})));
  failing.steps.push_back(Step::httpError(500));
  scenario.sessions.push_back(failing);
  SessionScript next;
  next.expectEvents = {{"6 CONNECTION REQUEST", std::nullopt}};
  next.forbidEvents = {"0 BOOTSTRAP", "1 BOOT"};
  scenario.sessions.push_back(next);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForLog("session: failed", 1, 30s));
  connectionRequest();
  ASSERT_TRUE(waitForCompleted(1, 30s));
  EXPECT_EQ(acs().sessions()[0].exchanges.size(), 1u);
  expectNoAcsFailuresExcept();
}

// The ACS closes the session's connection without answering. libcurl would silently send the
// same POST again on a new connection (a retransmission within the session, cwmp.md 1.5); the
// agent refuses to open a second connection in the middle of a session, so the session fails
// cleanly and the ACS sees no further POST of it.
TEST_F(EngineE2e, DroppedConnectionMidSessionFailsWithoutASilentResend) {
  Scenario scenario;
  SessionScript dropped;
  dropped.steps.push_back(Step::rpc(getParameterValues({kProxy1})));
  dropped.steps.push_back(Step::closeConnection());
  scenario.sessions.push_back(dropped);
  SessionScript next;
  next.expectEvents = {{"6 CONNECTION REQUEST", std::nullopt}};
  next.forbidEvents = {"0 BOOTSTRAP"};
  scenario.sessions.push_back(next);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForLog("session: failed", 1, 30s));
  connectionRequest();
  ASSERT_TRUE(waitForCompleted(1, 30s));
  const auto sessions = acs().sessions();
  EXPECT_EQ(sessions[0].connectionsSeen.size(), 1u) << "the POST was resent on a new connection";
  EXPECT_NE(log().find("closed the connection"), std::string::npos);
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, SessionCookieWithAForeignPathIsStillSentOnEveryPost) {
  Scenario scenario;
  SessionScript strict;  // requireCookie (the default): a POST without it gets 400
  strict.cookiePath = "/somewhere-else";
  strict.steps.push_back(Step::rpc(getParameterValues({kProxy1})));
  strict.steps.push_back(Step::rpc(getParameterNames("Device.ManagementServer.", true)));
  scenario.sessions.push_back(strict);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));
  EXPECT_EQ(acs().sessions()[0].exchanges.size(), 2u);
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, RedirectTargetsAreKeptForTheirSessionOnly) {
  Scenario scenario;
  for (int code : {301, 302, 307}) {
    SessionScript redirected;
    redirected.redirects = 1;
    redirected.redirectCode = code;
    redirected.steps.push_back(Step::rpc(getParameterValues({kProxy1})));
    scenario.sessions.push_back(redirected);
  }
  scenario.sessions.push_back(SessionScript{});
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i > 0) connectionRequest();
    ASSERT_TRUE(waitForCompleted(i, 30s)) << "session " << i;
  }
  const auto sessions = acs().sessions();
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(sessions[i].redirectsSent, 1) << i;
    EXPECT_EQ(sessions[i].informPath, "/acs/redirect-1") << i;  // later POSTs: checked by C20
  }
  EXPECT_EQ(sessions[3].informPath, "/acs") << "the next session starts at the configured URL";
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, MoreThanFiveRedirectsFailTheSessionAndItIsRetried) {
  Scenario scenario;
  SessionScript looping;
  looping.redirects = 6;  // the seventh attempt (the retry) is accepted
  scenario.sessions.push_back(looping);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));
  const auto sessions = acs().sessions();
  EXPECT_EQ(sessions[0].redirectsSent, 6);
  EXPECT_EQ(sessions[0].inform.retryCount, "1");
  EXPECT_NE(log().find("redirected more than 5 times"), std::string::npos);
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, Fault8005OnTheInformFailsTheSessionAndItIsRetried) {
  Scenario scenario;
  SessionScript busy;
  busy.informFault = 8005;  // 8005 is "retry the request" for other requests, not for the Inform
  scenario.sessions.push_back(busy);
  SessionScript retry;
  retry.expectEvents = {{"0 BOOTSTRAP", std::nullopt}, {"1 BOOT", std::nullopt}};
  scenario.sessions.push_back(retry);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(1, 30s));
  EXPECT_EQ(acs().sessions()[1].inform.retryCount, "1");
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, HoldRequestsDefersTheTransferCompleteWithinTheSession) {
  FileServer files;
  ASSERT_TRUE(files.start(FileServerOptions{}).ok());
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(simpleRequest("Upload")
                                      .with("CommandKey", "up-hold")
                                      .with("FileType", "1 Vendor Configuration File")
                                      .with("URL", files.url(""))));
  scenario.sessions.push_back(first);
  SessionScript held;
  held.expectEvents = {{"7 TRANSFER COMPLETE", std::nullopt}};
  held.holdRequests = true;  // the CPE must answer with an empty POST first (C12)
  Step hold = Step::rpc(getParameterValues({kProxy1}));
  hold.holdRequests = true;
  held.steps.push_back(hold);
  held.steps.push_back(Step::rpc(getParameterValues({kRegistrar1})));
  scenario.sessions.push_back(held);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(1, 40s));
  const auto sessions = acs().sessions();
  ASSERT_EQ(sessions[1].transferCompletes.size(), 1u);
  EXPECT_EQ(sessions[1].transferCompletes[0].commandKey, "up-hold");
  EXPECT_EQ(sessions[1].exchanges.size(), 2u);
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, Http200WithAnEmptyBodyEndsTheSessionLikeA204) {
  Scenario scenario;
  SessionScript plain;
  plain.finalStatus = 200;
  plain.steps.push_back(Step::rpc(getParameterValues({kProxy1})));
  scenario.sessions.push_back(plain);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));
  ASSERT_TRUE(waitForLog("session: ended successfully", 1, 10s));
  EXPECT_EQ(acs().sessionCount(), 1u);
  expectNoAcsFailuresExcept();  // no POST after the end (C14)
}

// ---- notifications ---------------------------------------------------------------------------

TEST_F(EngineE2e, ActiveChangesOpenASessionPassiveOnesWaitAndAcsWritesAreNotNotified) {
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(setAttributes({{kProxy1, 2}, {kRegistrar1, 1}})));
  // The ACS itself writes an actively notified parameter: never notified back.
  first.steps.push_back(
      Step::rpc(setParameterValues({{kProxy1, "by-the-acs.example", "xsd:string"}}, "n-1")));
  scenario.sessions.push_back(first);
  SessionScript quiet;  // a connection request: nothing changed locally yet
  quiet.expectEvents = {{"6 CONNECTION REQUEST", std::nullopt}};
  quiet.forbidEvents = {"4 VALUE CHANGE"};
  scenario.sessions.push_back(quiet);
  SessionScript notified;  // opened by the active change, carrying the passive one too
  notified.expectEvents = {{"4 VALUE CHANGE", std::nullopt}};
  notified.forbidEvents = {"6 CONNECTION REQUEST"};
  notified.expectParameters = {{kProxy1, "local-proxy.example"},
                               {kRegistrar1, "local-registrar.example"}};
  scenario.sessions.push_back(notified);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));
  connectionRequest();
  ASSERT_TRUE(waitForCompleted(1, 30s));
  EXPECT_EQ(acs().sessions()[1].inform.parameter(kProxy1), nullptr);

  // Passive: the daemon notices the change (SIGHUP reload) but opens no session for it.
  appendToAastraCfg("sip line1 registrar ip: local-registrar.example");
  ASSERT_TRUE(agent().signal(SIGHUP));
  ASSERT_TRUE(waitForLog("value change (passive): " + kRegistrar1, 1, 10s));
  EXPECT_EQ(acs().sessionCount(), 2u);

  // Active: a prompt session with 4 VALUE CHANGE and both new values. local.cfg holds the ACS's
  // value of the proxy, so the local edit goes there (as the phone's UI would write it).
  const std::string cfg = environment().configDir() + "/local.cfg";
  std::string local = localCfg();
  const auto at = local.find("by-the-acs.example");
  ASSERT_NE(at, std::string::npos) << local;
  local.replace(at, std::string("by-the-acs.example").size(), "local-proxy.example");
  ASSERT_TRUE(writeFileAtomic(cfg, local, 0600).ok());
  ASSERT_TRUE(agent().signal(SIGHUP));
  ASSERT_TRUE(waitForCompleted(2, 30s));
  expectNoAcsFailuresExcept();
}

// ---- periodic inform -------------------------------------------------------------------------

TEST_F(EngineE2e, PeriodicIntervalSetByTheAcsTakesEffectWithoutRestart) {
  config().extraLines = {"tr69 periodic inform enable: 1", "tr69 periodic inform interval: 3600"};
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(setParameterValues(
      {{"Device.ManagementServer.PeriodicInformInterval", "2", "xsd:unsignedInt"}}, "p-1")));
  scenario.sessions.push_back(first);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(2, 30s));
  const auto sessions = acs().sessions();
  EXPECT_TRUE(sessions[1].inform.hasEvent("2 PERIODIC"));
  EXPECT_TRUE(sessions[2].inform.hasEvent("2 PERIODIC"));
  EXPECT_LE(sessions[2].informAt - sessions[1].informAt, 10s);
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, PeriodicIntervalFromTheConfigFileTakesEffectOnSighup) {
  config().extraLines = {"tr69 periodic inform enable: 1", "tr69 periodic inform interval: 3600"};
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));
  replaceInAastraCfg("tr69 periodic inform interval: 3600", "tr69 periodic inform interval: 2");
  ASSERT_TRUE(agent().signal(SIGHUP));
  ASSERT_TRUE(waitForCompleted(2, 30s));
  const auto sessions = acs().sessions();
  EXPECT_TRUE(sessions[1].inform.hasEvent("2 PERIODIC"));
  EXPECT_TRUE(sessions[2].inform.hasEvent("2 PERIODIC"));
  EXPECT_LE(sessions[2].informAt - sessions[1].informAt, 10s);
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, PeriodicInformTimeSetsThePhase) {
  Scenario scenario;
  SessionScript first;
  // Informs at 00:00:01 UTC + N * 4 s: whole seconds s with s % 4 == 1 (s since the epoch).
  first.steps.push_back(Step::rpc(setParameterValues(
      {{"Device.ManagementServer.PeriodicInformEnable", "true", "xsd:boolean"},
       {"Device.ManagementServer.PeriodicInformInterval", "4", "xsd:unsignedInt"},
       {"Device.ManagementServer.PeriodicInformTime", "2020-01-01T00:00:01Z", "xsd:dateTime"}},
      "phase")));
  scenario.sessions.push_back(first);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(2, 30s));
  const auto sessions = acs().sessions();
  for (std::size_t i = 1; i <= 2; ++i) {
    EXPECT_TRUE(sessions[i].inform.hasEvent("2 PERIODIC"));
    const auto sinceEpoch = std::chrono::duration_cast<std::chrono::milliseconds>(
                                sessions[i].informWallClock.time_since_epoch())
                                .count();
    // Arrival after the phase point, within a generous 3 s of it.
    const long long offset = ((sinceEpoch - 1000) % 4000 + 4000) % 4000;
    EXPECT_LT(offset, 3000) << "session " << i << " arrived " << offset << " ms after the phase";
  }
  expectNoAcsFailuresExcept();
}

// ---- TLS -------------------------------------------------------------------------------------

class EngineTlsE2e : public EngineE2e {
 protected:
  void SetUp() override {
    EngineE2e::SetUp();
    auto pki = createTestPki();
    ASSERT_TRUE(pki.ok());
    pki_ = std::move(pki).value();
  }
  // Restarts the test ACS on https and points the agent at it.
  void serveHttps(bool requireClientCertificate) {
    acs().stop();
    AcsOptions options;
    options.transcriptPath = environment().root() + "/acs-transcript-tls.txt";
    TlsSettings tls;
    tls.certificatePem = pki_.server.certificate;
    tls.privateKeyPem = pki_.server.privateKey;
    if (requireClientCertificate) {
      tls.trustedClientCaPem = pki_.ca.certificate;
      tls.requireClientCertificate = true;
    }
    options.http.tls = tls;
    ASSERT_TRUE(acs().start(options).ok());
    config().acsUrl = acs().url();
  }
  void writeConfigFile(const std::string& name, const std::string& content) {
    ASSERT_TRUE(writeFileAtomic(environment().configDir() + "/" + name, content, 0600).ok());
  }
  TestPki pki_;
};

TEST_F(EngineTlsE2e, TrustedAcsCertificateIsVerifiedAndTheSessionCompletes) {
  serveHttps(false);
  writeConfigFile("acs-ca.pem", pki_.ca.certificate);
  config().extraLines = {"tr69 trusted certificates: acs-ca.pem",
                         "tr69 server authentication required: 1"};
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));
  EXPECT_EQ(countInLog("TLS failure"), 0u);
  expectNoAcsFailuresExcept();
}

TEST_F(EngineTlsE2e, UntrustedAcsCertificateFailsWithAClearLogLineAndIsRetried) {
  serveHttps(false);
  auto other = createTestPki();
  ASSERT_TRUE(other.ok());
  writeConfigFile("acs-ca.pem", other->ca.certificate);  // not the CA of the ACS's certificate
  config().extraLines = {"tr69 trusted certificates: acs-ca.pem",
                         "tr69 server authentication required: 1"};
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForLog("session: failed: tls: TLS failure with ACS", 2, 30s));
  EXPECT_NE(log().find("session: retry 1 in"), std::string::npos);
  EXPECT_EQ(acs().sessionCount(), 0u);
}

TEST_F(EngineTlsE2e, ClientCertificateIsPresentedWhenAPrivateKeyIsConfigured) {
  serveHttps(true);
  writeConfigFile("acs-ca.pem", pki_.ca.certificate);
  // The key file also holds the certificate (no `tr69 local certificate` key, guide 5).
  writeConfigFile("client.pem", pki_.client.privateKey + pki_.client.certificate);
  config().extraLines = {"tr69 trusted certificates: acs-ca.pem",
                         "tr69 server authentication required: 1", "tr69 private key: client.pem"};
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));  // the ACS closes connections without a valid one
  expectNoAcsFailuresExcept();
}

// ---- persistence -----------------------------------------------------------------------------

TEST_F(EngineE2e, TruncatedStateFileIsReportedAndRecoveredFromTheBackup) {
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(
      Step::rpc(setParameterValues({{kProxy1, "kept.example", "xsd:string"}}, "pk-1")));
  scenario.sessions.push_back(first);
  SessionScript after;
  after.forbidEvents = {"0 BOOTSTRAP"};
  after.expectEvents = {{"1 BOOT", std::nullopt}};
  after.expectParameters = {{kParameterKey, "pk-1"}};
  scenario.sessions.push_back(after);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));
  EXPECT_FALSE(stopAgent().killed);
  const std::string state = environment().stateDir() + "/state.xml";
  auto read = readFile(state);
  ASSERT_TRUE(read.ok());
  const std::string content = *read;
  ASSERT_GT(content.size(), 40u);
  ASSERT_TRUE(writeFileAtomic(state, content.substr(0, content.size() / 2), 0600).ok());
  startAgent(fastRetry());
  ASSERT_TRUE(waitForCompleted(1, 30s));
  EXPECT_TRUE(std::filesystem::exists(state + ".corrupt"));
  EXPECT_NE(log().find("state.xml is damaged"), std::string::npos);
  EXPECT_NE(localCfg().find("kept.example"), std::string::npos);
  expectNoAcsFailuresExcept();
}

TEST_F(EngineE2e, GarbageStateAndBackupStillStartWithDefaultsAndBootstrap) {
  Scenario scenario;
  scenario.sessions.push_back(SessionScript{});
  SessionScript again;
  again.expectEvents = {{"0 BOOTSTRAP", std::nullopt}, {"1 BOOT", std::nullopt}};
  scenario.sessions.push_back(again);
  acs().setScenario(scenario);
  startAgent(fastRetry());
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForCompleted(0, 30s));
  EXPECT_FALSE(stopAgent().killed);
  const std::string state = environment().stateDir() + "/state.xml";
  ASSERT_TRUE(writeFileAtomic(state, std::string("\x01\x02<state><garbage", 17), 0600).ok());
  ASSERT_TRUE(writeFileAtomic(state + ".bak", "not xml at all", 0600).ok());
  startAgent(fastRetry());
  ASSERT_TRUE(waitForCompleted(1, 30s));
  EXPECT_TRUE(agent().running());
  EXPECT_NE(log().find("state.xml is damaged"), std::string::npos);
  expectNoAcsFailuresExcept();
}

}  // namespace
}  // namespace tr69::testacs
