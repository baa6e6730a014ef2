// The scenario file format and the tr69-test-acs program that reads it.
#include "acs/scenario.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "acs/agent_process.h"
#include "acs/fake_cpe.h"
#include "tr69/base/file_util.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;

TEST(ScenarioTest, ExampleFileParses) {
  auto scenario = loadScenarioFile(TR69_SOURCE_DIR "/tests/acs/scenarios/example.xml");
  ASSERT_TRUE(scenario.ok()) << scenario.fault().message;
  ASSERT_EQ(scenario->sessions.size(), 3u);
  const SessionScript& first = scenario->sessions[0];
  EXPECT_EQ(first.auth, AuthMode::kDigestAuthInt);
  EXPECT_TRUE(first.requireCookie);
  ASSERT_EQ(first.expectEvents.size(), 2u);
  EXPECT_EQ(first.expectEvents[1].code, "1 BOOT");
  ASSERT_EQ(first.steps.size(), 5u);
  EXPECT_EQ(first.steps[0].request.names[0], "Device.ManagementServer.PeriodicInformInterval");
  EXPECT_EQ(first.steps[0].expect.count.value_or(0), 1u);
  EXPECT_EQ(first.steps[1].request.values[0].type, "xsd:unsignedInt");
  EXPECT_EQ(first.steps[1].request.arg("ParameterKey"), "key-1");
  EXPECT_EQ(first.steps[1].expect.fields.at("Status"), "0");
  EXPECT_EQ(first.steps[2].expect.kind, Expectation::Kind::kFault);
  EXPECT_EQ(first.steps[2].expect.faultCode, 9005u);
  EXPECT_TRUE(first.steps[3].request.attributes[0].notificationChange);
  EXPECT_EQ(first.steps[3].request.attributes[0].notification, 2);
  EXPECT_EQ(first.steps[4].delayMs, 100);
  EXPECT_EQ(first.steps[4].expect.kind, Expectation::Kind::kAnything);
  const SessionScript& second = scenario->sessions[1];
  EXPECT_EQ(second.redirects, 2);
  EXPECT_EQ(second.redirectCode, 307);
  EXPECT_EQ(second.cpeRequestFaults, 1);
  EXPECT_EQ(second.expectEvents[1].commandKey.value_or(""), "dl-1");
  EXPECT_EQ(scenario->sessions[2].steps[1].action, Step::Action::kHttpError);
  EXPECT_TRUE(scenario->sessions[2].failsOnPurpose());
  EXPECT_EQ(scenario->defaultSession.auth, AuthMode::kDigest);
  EXPECT_EQ(&scenario->script(7), &scenario->defaultSession);
}

TEST(ScenarioTest, RejectsBadInputWithAClearMessage) {
  struct Case {
    const char* xml;
    const char* message;
  };
  const Case cases[] = {
      {"", "not well formed"},
      {"<scenario><session", "not well formed"},
      {"<other/>", "root element must be <scenario>"},
      {"<scenario><bogus/></scenario>", "<bogus>"},
      {"<scenario><session auth='ntlm'/></scenario>", "auth must be"},
      {"<scenario><session redirect-code='303'/></scenario>", "redirect-code"},
      {"<scenario><session redirects='x'/></scenario>", "redirects"},
      {"<scenario><session redirects='999999999999999999999'/></scenario>", "redirects"},
      {"<scenario><session cookie='maybe'/></scenario>", "cookie"},
      {"<scenario><session><rpc/></session></scenario>", "method"},
      {"<scenario><session><rpc method='X'><expect result='x'/></rpc></session></scenario>",
       "result"},
      {"<scenario><session><rpc method='X'><expect><spv-fault code='1'/></expect></rpc>"
       "</session></scenario>",
       "code"},
      {"<scenario><session hold-requests='yes'/></scenario>", "true or false"},
      {"<scenario><session><http-error status='99'/></session></scenario>", "status"},
  };
  for (const Case& c : cases) {
    auto scenario = parseScenario(c.xml);
    ASSERT_FALSE(scenario.ok()) << c.xml;
    EXPECT_NE(scenario.fault().message.find(c.message), std::string::npos)
        << c.xml << " -> " << scenario.fault().message;
  }
  EXPECT_FALSE(loadScenarioFile("/nonexistent/scenario.xml").ok());
}

TEST(ScenarioTest, ForcedParameterList) {
  auto none = parseScenario("<scenario forced-parameters='none'/>");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->forcedParameters.empty());
  auto listed = parseScenario("<scenario forced-parameters='A.B,C.D'/>");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->forcedParameters, (std::vector<std::string>{"A.B", "C.D"}));
  auto byDefault = parseScenario("<scenario/>");
  ASSERT_TRUE(byDefault.ok());
  EXPECT_EQ(byDefault->forcedParameters.size(), 6u);
}

TEST(ScenarioTest, RawArgumentsKeepTheirXml) {
  auto scenario = parseScenario(
      "<scenario><session><rpc method='GetParameterNames'><raw><ParameterPath/><NextLevel>maybe"
      "</NextLevel></raw></rpc></session></scenario>");
  ASSERT_TRUE(scenario.ok());
  EXPECT_EQ(scenario->sessions[0].steps[0].request.rawArguments.value_or(""),
            "<ParameterPath/><NextLevel>maybe</NextLevel>");
}

// The program: start it with --print-port, run a session against it, stop it by pid.
TEST(TestAcsProgramTest, RunsAScenarioAndReportsFailures) {
  TempDirectory dir;
  const std::string scenarioFile = dir.path() + "/s.xml";
  ASSERT_TRUE(writeFileAtomic(scenarioFile,
                              "<scenario><session><expect-event code='M Reboot'/></session>"
                              "</scenario>")
                  .ok());
  const std::string output = dir.path() + "/out.txt";
  const std::string transcript = dir.path() + "/transcript.txt";
  ChildProcess program;
  ASSERT_TRUE(program
                  .start({TR69_TEST_ACS_BINARY, "--port", "0", "--scenario", scenarioFile,
                          "--transcript", transcript, "--print-port"},
                         output)
                  .ok());
  std::string port;
  for (int i = 0; i < 500 && port.empty(); ++i) {
    auto text = readFile(output);
    if (text && text->find('\n') != std::string::npos) port = text->substr(0, text->find('\n'));
    if (port.empty()) std::this_thread::sleep_for(10ms);
  }
  ASSERT_FALSE(port.empty());
  FakeCpe cpe;
  const std::string url = "http://127.0.0.1:" + port + "/acs";
  EXPECT_EQ(cpe.post(url, informXml({})).status, 200);
  EXPECT_EQ(cpe.post(url, "").status, 204);
  const ProcessExit exit = program.stop(10s);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 1);  // the Inform lacked the expected M Reboot
  const std::string report = readFile(output).value();
  EXPECT_NE(report.find("1 session(s), 1 completed, 1 failure(s)"), std::string::npos) << report;
  EXPECT_NE(report.find("lacks event 'M Reboot'"), std::string::npos) << report;
  EXPECT_NE(readFile(transcript).value().find("cwmp:InformResponse"), std::string::npos);
}

TEST(TestAcsProgramTest, BadScenarioIsAUsageError) {
  ChildProcess program;
  ASSERT_TRUE(program.start({TR69_TEST_ACS_BINARY, "--scenario", "/nonexistent.xml"}).ok());
  auto exit = program.waitExit(10s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 2);
}

}  // namespace
}  // namespace tr69::testacs
