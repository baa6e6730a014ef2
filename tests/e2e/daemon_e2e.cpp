// End to end: the real tr69d process against tr69-test-acs on loopback (label e2e). Every wait is
// bounded; the fixture stops both by pid and prints the transcript and the daemon's log on failure.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "acs/agent_fixture.h"
#include "acs/connreq_client.h"
#include "acs/file_server.h"
#include "tr69/base/file_util.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;

class DaemonE2e : public AgentTest {
 protected:
  void expectNoAcsFailures() {
    for (const std::string& failure : acs().failures())
      ADD_FAILURE() << failure;
  }
  std::string localCfg() {
    auto text = readFile(environment().configDir() + "/local.cfg");
    return text ? *text : std::string();
  }
};

TEST_F(DaemonE2e, DigestCookieAndOneConnectionForTheWholeSession) {
  Scenario scenario;
  SessionScript first;
  first.auth = AuthMode::kDigestAuthInt;  // offers qop="auth,auth-int"
  first.expectEvents.push_back({"0 BOOTSTRAP", std::nullopt});
  first.expectEvents.push_back({"1 BOOT", std::nullopt});
  first.steps.push_back(Step::rpc(getParameterNames("Device.ManagementServer.", true)));
  first.steps.push_back(Step::rpc(getParameterValues({"Device.DeviceInfo."})));
  scenario.sessions.push_back(first);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  const auto sessions = acs().sessions();
  EXPECT_GE(sessions[0].authChallenges, 1);
  EXPECT_EQ(sessions[0].exchanges.size(), 2u);
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, ProvisioningWritesLocalCfgAndSurvivesARestart) {
  Scenario scenario;
  SessionScript first;
  const std::string line1 = "Device.Services.VoiceService.1.VoiceProfile.1.";
  first.steps.push_back(
      Step::rpc(setParameterValues({{line1 + "SIP.ProxyServer", "pbx.example.com", "xsd:string"},
                                    {line1 + "Line.1.SIP.AuthUserName", "2001", "xsd:string"}},
                                   "key-7")));
  scenario.sessions.push_back(first);
  SessionScript second;
  second.forbidEvents.push_back("0 BOOTSTRAP");
  second.expectEvents.push_back({"1 BOOT", std::nullopt});
  second.expectParameters.push_back({"Device.ManagementServer.ParameterKey", "key-7"});
  scenario.sessions.push_back(second);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  EXPECT_NE(localCfg().find("sip line1 proxy ip: pbx.example.com"), std::string::npos);
  EXPECT_NE(localCfg().find("sip line1 auth name: 2001"), std::string::npos);
  const auto exit = stopAgent();
  EXPECT_FALSE(exit.killed) << "tr69d did not stop on SIGTERM";
  startAgent();
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 30s));
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, KillDuringTheInformKeepsBootstrapPending) {
  Scenario scenario;
  SessionScript slow;
  slow.informDelayMs = 3000;  // the daemon dies while waiting for the InformResponse
  scenario.sessions.push_back(slow);
  SessionScript after;
  after.expectEvents.push_back({"0 BOOTSTRAP", std::nullopt});
  after.expectEvents.push_back({"1 BOOT", std::nullopt});
  scenario.sessions.push_back(after);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForPosts(1, 20s));
  ASSERT_TRUE(agent().signal(SIGKILL));
  (void)stopAgent(2s);
  startAgent();
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 40s));
  const auto sessions = acs().sessions();
  ASSERT_GE(sessions.size(), 2u);
  EXPECT_TRUE(sessions.back().inform.hasEvent("0 BOOTSTRAP"));
}

TEST_F(DaemonE2e, FailedInformIsRetriedWithRetryCount) {
  Scenario scenario;
  SessionScript refused;
  refused.informHttpStatus = 500;
  scenario.sessions.push_back(refused);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  // The first retry waits 5-10 s (CWMPRetryMinimumWaitInterval 5, multiplier 2000).
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 40s));
  const auto sessions = acs().sessions();
  ASSERT_GE(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].inform.retryCount, "0");
  EXPECT_EQ(sessions[1].inform.retryCount, "1");
  EXPECT_TRUE(sessions[1].inform.hasEvent("0 BOOTSTRAP"));
  const auto gap = sessions[1].informAt - sessions[0].informAt;
  EXPECT_GE(gap, 4s);
  EXPECT_LE(gap, 20s);
}

TEST_F(DaemonE2e, RedirectedSessionCompletes) {
  Scenario scenario;
  SessionScript redirected;
  redirected.redirects = 2;
  redirected.redirectCode = 307;
  redirected.steps.push_back(Step::rpc(getParameterValues({"Device.DeviceInfo.SerialNumber"})));
  scenario.sessions.push_back(redirected);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  EXPECT_EQ(acs().sessions()[0].redirectsSent, 2);
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, ConnectionRequestOpensASession) {
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  const auto wrong = sendHttpConnectionRequest(connectionRequestUrl(), "cr-user", "wrong");
  EXPECT_EQ(wrong.status, 401);
  const auto good = sendHttpConnectionRequest(connectionRequestUrl(), "cr-user", "cr-secret");
  EXPECT_EQ(good.status, 200) << good.error;
  ASSERT_TRUE(acs().waitForInformWithEvent("6 CONNECTION REQUEST", 30s));
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 30s));
  EXPECT_EQ(acs().sessionCount(), 2u) << "the wrong password opened a session";
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, RebootRpcComesBackWithBootAndMReboot) {
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(simpleRequest("Reboot").with("CommandKey", "reboot-1")));
  scenario.sessions.push_back(first);
  SessionScript after;
  after.expectEvents.push_back({"1 BOOT", std::nullopt});
  after.expectEvents.push_back({"M Reboot", std::string("reboot-1")});
  after.forbidEvents.push_back("0 BOOTSTRAP");
  scenario.sessions.push_back(after);
  acs().setScenario(scenario);
  startAgent();  // without --reboot-command, a reboot re-executes tr69d
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 40s));
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, FactoryResetBootstrapsAgainWithEmptyParameterKey) {
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(setParameterValues(
      {{"Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer", "pbx", "xsd:string"}},
      "before-reset")));
  first.steps.push_back(Step::rpc(simpleRequest("FactoryReset")));
  scenario.sessions.push_back(first);
  SessionScript after;
  after.expectEvents.push_back({"0 BOOTSTRAP", std::nullopt});
  after.expectParameters.push_back({"Device.ManagementServer.ParameterKey", ""});
  scenario.sessions.push_back(after);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 40s));
  EXPECT_EQ(localCfg().find("pbx"), std::string::npos);
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, ScheduleInformArrivesWithItsCommandKey) {
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(
      simpleRequest("ScheduleInform").with("DelaySeconds", "1").with("CommandKey", "sched-1")));
  scenario.sessions.push_back(first);
  SessionScript scheduled;
  scheduled.expectEvents.push_back({"3 SCHEDULED", std::nullopt});
  scheduled.expectEvents.push_back({"M ScheduleInform", std::string("sched-1")});
  scenario.sessions.push_back(scheduled);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 30s));
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, PeriodicInformsFollowTheInterval) {
  config().extraLines = {"tr69 periodic inform enable: 1", "tr69 periodic inform interval: 2"};
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(3, 30s));
  const auto sessions = acs().sessions();
  EXPECT_TRUE(sessions[1].inform.hasEvent("2 PERIODIC"));
  EXPECT_TRUE(sessions[2].inform.hasEvent("2 PERIODIC"));
  const auto gap = sessions[2].informAt - sessions[1].informAt;
  EXPECT_GE(gap, 1s);
  EXPECT_LE(gap, 6s);
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, ConfigBackupUploadArrivesByteForByte) {
  FileServer files;
  FileServerOptions fileOptions;
  ASSERT_TRUE(files.start(fileOptions).ok());
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(
      setParameterValues({{"Device.Services.VoiceService.1.VoiceProfile.2.SIP.ProxyServer",
                           "backup.example", "xsd:string"}},
                         "k")));
  first.steps.push_back(Step::rpc(simpleRequest("Upload")
                                      .with("CommandKey", "up-1")
                                      .with("FileType", "1 Vendor Configuration File")
                                      .with("URL", files.url(""))));
  scenario.sessions.push_back(first);
  SessionScript done;
  done.expectEvents.push_back({"7 TRANSFER COMPLETE", std::nullopt});
  done.expectEvents.push_back({"M Upload", std::string("up-1")});
  scenario.sessions.push_back(done);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  const std::string name = identity().mac + "_local.cfg";
  ASSERT_TRUE(files.waitForUpload(name, 30s));
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 30s));
  EXPECT_EQ(files.upload(name).value_or(""), localCfg());
  const auto tc = acs().sessions()[1].transferCompletes;
  ASSERT_EQ(tc.size(), 1u);
  EXPECT_EQ(tc[0].commandKey, "up-1");
  EXPECT_EQ(tc[0].faultCode, 0u);
  expectNoAcsFailures();
}

TEST_F(DaemonE2e, SigtermStopsPromptlyAndRemovesThePidFile) {
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  const auto exit = stopAgent(5s);
  EXPECT_FALSE(exit.killed);
  std::ifstream pid(environment().stateDir() + "/tr69d.pid");
  EXPECT_FALSE(pid.good());
}

}  // namespace
}  // namespace tr69::testacs
