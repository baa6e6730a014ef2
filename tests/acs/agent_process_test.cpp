// The end-to-end fixture's process and directory handling, tested with stand-in children
// (/bin/sleep, /bin/sh) since the agent is not needed for that.
#include "acs/agent_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>

#include "acs/agent_fixture.h"
#include "tr69/base/file_util.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;

TEST(ChildProcessTest, StopsAChildBySigterm) {
  ChildProcess child;
  ASSERT_TRUE(child.start({"/bin/sleep", "30"}).ok());
  EXPECT_GT(child.pid(), 0);
  EXPECT_TRUE(child.running());
  const ProcessExit exit = child.stop(5s);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.signal, SIGTERM);
  EXPECT_FALSE(exit.killed);
  EXPECT_FALSE(child.running());
}

TEST(ChildProcessTest, EscalatesToSigkillWhenSigtermIsIgnored) {
  TempDirectory dir;
  const std::string ready = dir.path() + "/ready";
  ChildProcess child;
  ASSERT_TRUE(
      child.start({"/bin/sh", "-c", "trap '' TERM; touch " + ready + "; sleep 30 & wait"}).ok());
  for (int i = 0; i < 500 && !std::filesystem::exists(ready); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  const ProcessExit exit = child.stop(300ms);
  EXPECT_TRUE(exit.killed);
  EXPECT_TRUE(exit.signaled);
  EXPECT_EQ(exit.signal, SIGKILL);
}

TEST(ChildProcessTest, CollectsOutputAndExitCode) {
  TempDirectory dir;
  const std::string log = dir.path() + "/out.log";
  ChildProcess child;
  ASSERT_TRUE(child.start({"/bin/sh", "-c", "echo to-stderr >&2; exit 3"}, log).ok());
  auto exit = child.waitExit(10s);
  ASSERT_TRUE(exit);
  EXPECT_TRUE(exit->exited);
  EXPECT_EQ(exit->code, 3);
  EXPECT_EQ(readFile(log).value(), "to-stderr\n");
}

TEST(ChildProcessTest, WaitIsBoundedAndMissingProgramFails) {
  ChildProcess sleeper;
  ASSERT_TRUE(sleeper.start({"/bin/sleep", "30"}).ok());
  EXPECT_FALSE(sleeper.waitExit(100ms));
  sleeper.stop();
  ChildProcess missing;
  ASSERT_TRUE(missing.start({"/nonexistent/tr69d"}).ok());
  auto exit = missing.waitExit(10s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 127);
}

TEST(AgentEnvironmentTest, WritesIdentityConfigAndCommandLine) {
  std::string root;
  {
    AgentEnvironment environment;
    ASSERT_TRUE(environment.valid());
    root = environment.root();
    EXPECT_TRUE(std::filesystem::is_directory(environment.configDir()));
    EXPECT_TRUE(std::filesystem::is_directory(environment.stateDir()));
    ASSERT_TRUE(environment.writeIdentity({}).ok());
    const std::string identity = readFile(environment.identityFile()).value();
    EXPECT_NE(identity.find("model: 6757i\n"), std::string::npos);
    EXPECT_NE(identity.find("mac: 00085D0A0B0C\n"), std::string::npos);
    EXPECT_NE(identity.find("software version: "), std::string::npos);
    AgentConfig config;
    config.acsUrl = "http://127.0.0.1:1234/acs";
    config.extraLines = {"tr69 periodic inform enable: 1"};
    auto port = environment.writeConfig(config);
    ASSERT_TRUE(port.ok());
    EXPECT_GT(*port, 0);
    const std::string cfg = readFile(environment.configDir() + "/aastra.cfg").value();
    EXPECT_NE(cfg.find("tr69 server: http://127.0.0.1:1234/acs\n"), std::string::npos);
    EXPECT_NE(cfg.find("tr69 periodic inform enable: 1\n"), std::string::npos);
    const auto argv = environment.commandLine("/usr/bin/tr69d", {"--reboot-command", "true"});
    const std::vector<std::string> expected = {"/usr/bin/tr69d",
                                               "--config-dir",
                                               environment.configDir(),
                                               "--state-dir",
                                               environment.stateDir(),
                                               "--identity",
                                               environment.identityFile(),
                                               "--foreground",
                                               "--log-level",
                                               "debug",
                                               "--listen-address",
                                               "127.0.0.1",
                                               "--system-root",
                                               environment.systemRoot(),
                                               "--reboot-command",
                                               "true"};
    EXPECT_EQ(argv, expected);
  }
  if (std::getenv("TR69_KEEP_TEST_DIRS") == nullptr) {
    EXPECT_FALSE(std::filesystem::exists(root));
  }
}

// The fixture end to end with a stand-in "agent" that exits at once (bad flags).
class FixtureWithStandIn : public AgentTest {};

TEST_F(FixtureWithStandIn, StartsAndStopsByPid) {
  startAgent({}, "/bin/sleep");  // /bin/sleep rejects the flags and exits: a fast stand-in
  auto exit = agent().waitExit(10s);
  ASSERT_TRUE(exit);
  EXPECT_TRUE(exit->exited);
  EXPECT_NE(exit->code, 0);
  EXPECT_TRUE(std::filesystem::exists(environment().identityFile()));
  EXPECT_NE(config().acsUrl.find(std::to_string(acs().port())), std::string::npos);
  EXPECT_EQ(connectionRequestUrl().rfind("http://127.0.0.1:", 0), 0u);
}

}  // namespace
}  // namespace tr69::testacs
