// The gtest fixture of the end-to-end suites: a test ACS on a free loopback port and a tr69d
// process with its own temporary config dir, state dir and identity file. The daemon binary comes
// from the environment variable TR69D_BINARY, else from the CMake cache variable TR69D_BINARY
// (compiled in as TR69D_BINARY_DEFAULT); without one the test is skipped.
//
//   class SessionE2e : public tr69::testacs::AgentTest {};
//   TEST_F(SessionE2e, FirstBoot) {
//     Scenario scenario; ...;  acs().setScenario(scenario);
//     startAgent();
//     ASSERT_TRUE(acs().waitForInformWithEvent("0 BOOTSTRAP", 30s));
//     EXPECT_TRUE(acs().failures().empty());
//   }
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "acs/agent_process.h"
#include "acs/test_acs.h"
#include "tr69/base/file_util.h"

#ifndef TR69D_BINARY_DEFAULT
#define TR69D_BINARY_DEFAULT ""
#endif

namespace tr69::testacs {

class AgentTest : public ::testing::Test {
 public:
  // The tr69d binary to run, or "" when none is configured.
  static std::string agentBinary() {
    const char* fromEnvironment = std::getenv("TR69D_BINARY");
    if (fromEnvironment != nullptr && *fromEnvironment != '\0') return fromEnvironment;
    return TR69D_BINARY_DEFAULT;
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(environment_.valid());
    AcsOptions options;
    options.transcriptPath = environment_.root() + "/acs-transcript.txt";
    ASSERT_TRUE(acs_.start(std::move(options)).ok());
    config_.acsUrl = acs_.url();
  }

  void TearDown() override {
    if (agent_.pid() > 0) agent_.stop(std::chrono::seconds(5));
    acs_.stop();
    if (HasFailure()) {
      std::cerr << "---- ACS transcript ----\n" << acs_.transcript();
      auto log = readFile(environment_.logFile(), 1024 * 1024);
      if (log) std::cerr << "---- tr69d output ----\n" << *log;
    }
  }

  // Writes identity and config and starts `binary` (default agentBinary()); skips the test when
  // no binary is configured.
  void startAgent(const std::vector<std::string>& extraArgs = {}, std::string binary = "") {
    if (binary.empty()) binary = agentBinary();
    if (binary.empty()) GTEST_SKIP() << "no tr69d binary (set TR69D_BINARY)";
    ASSERT_TRUE(environment_.writeIdentity(identity_).ok());
    auto port = environment_.writeConfig(config_);
    ASSERT_TRUE(port.ok());
    connectionRequestPort_ = *port;
    ASSERT_TRUE(
        agent_.start(environment_.commandLine(binary, extraArgs), environment_.logFile()).ok());
  }

  // Stops the agent (SIGTERM, SIGKILL after `grace`).
  ProcessExit stopAgent(std::chrono::milliseconds grace = std::chrono::seconds(5)) {
    return agent_.stop(grace);
  }

  std::string connectionRequestUrl(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(connectionRequestPort_) + path;
  }

  TestAcs& acs() { return acs_; }
  ChildProcess& agent() { return agent_; }
  AgentEnvironment& environment() { return environment_; }
  AgentConfig& config() { return config_; }
  PhoneIdentity& identity() { return identity_; }

 private:
  AgentEnvironment environment_;
  TestAcs acs_;
  ChildProcess agent_;
  AgentConfig config_;
  PhoneIdentity identity_;
  std::uint16_t connectionRequestPort_ = 0;
};

}  // namespace tr69::testacs
