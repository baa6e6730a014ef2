#include "tr69/tr69d/options.h"

#include <gtest/gtest.h>

namespace tr69::daemon {
namespace {

Result<Options> parse(std::vector<std::string> args) {
  args.insert(args.begin(), "tr69d");
  return parseOptions(args);
}

TEST(OptionsTest, DefaultsSuitTheDeviceAndDeriveFromDirectories) {
  auto o = parse({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->configDir, kDefaultConfigDir);
  EXPECT_EQ(o->stateDir, kDefaultStateDir);
  EXPECT_EQ(o->identityFile, std::filesystem::path(kDefaultConfigDir) / "identity");
  EXPECT_EQ(o->pidFile, std::filesystem::path(kDefaultStateDir) / "tr69d.pid");
  EXPECT_FALSE(o->foreground);
  EXPECT_EQ(o->logLevel, LogLevel::kInfo);
}

TEST(OptionsTest, EveryFlagIsParsedInBothForms) {
  auto o = parse({"--config-dir", "/c", "--state-dir=/s", "--identity", "/i", "--foreground",
                  "--log-level=debug", "--apply-command", "apply.sh", "--reboot-command=reboot.sh",
                  "--firmware-command", "fw.sh", "--pid-file", "/p.pid", "--control-socket",
                  "/s.sock", "--listen-address", "127.0.0.1", "--system-root=/fake"});
  ASSERT_TRUE(o.ok()) << o.fault().message;
  EXPECT_EQ(o->configDir, "/c");
  EXPECT_EQ(o->stateDir, "/s");
  EXPECT_EQ(o->identityFile, "/i");
  EXPECT_TRUE(o->foreground);
  EXPECT_TRUE(o->logToStderr);
  EXPECT_EQ(o->logLevel, LogLevel::kDebug);
  EXPECT_EQ(o->applyCommand, "apply.sh");
  EXPECT_EQ(o->rebootCommand, "reboot.sh");
  EXPECT_EQ(o->firmwareCommand, "fw.sh");
  EXPECT_EQ(o->pidFile, "/p.pid");
  EXPECT_EQ(o->controlSocket, "/s.sock");
  EXPECT_EQ(o->listenAddress, "127.0.0.1");
  EXPECT_EQ(o->systemRoot, "/fake");
}

TEST(OptionsTest, RetryPolicyAndAcsTimeoutDefaultToTheStandardAndAreRangeChecked) {
  auto defaults = parse({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->retry.minimumWaitSeconds, 5u);
  EXPECT_EQ(defaults->retry.intervalMultiplier, 2000u);
  EXPECT_EQ(defaults->acsTimeout, std::chrono::seconds(30));

  auto set = parse({"--retry-minimum-wait", "1", "--retry-multiplier=1500", "--acs-timeout", "4"});
  ASSERT_TRUE(set.ok()) << set.fault().message;
  EXPECT_EQ(set->retry.minimumWaitSeconds, 1u);
  EXPECT_EQ(set->retry.intervalMultiplier, 1500u);
  EXPECT_EQ(set->acsTimeout, std::chrono::seconds(4));

  for (const auto& bad : std::vector<std::vector<std::string>>{{"--retry-minimum-wait", "0"},
                                                               {"--retry-minimum-wait", "65536"},
                                                               {"--retry-multiplier", "999"},
                                                               {"--retry-multiplier", "2x"},
                                                               {"--acs-timeout", "0"},
                                                               {"--acs-timeout", "-1"},
                                                               {"--acs-timeout", "99999999999"}}) {
    auto result = parse(bad);
    ASSERT_FALSE(result.ok()) << bad[0] << " " << bad[1];
    EXPECT_NE(result.fault().message.find(bad[0]), std::string::npos);
  }
}

TEST(OptionsTest, ListenAddressMustBeNumeric) {
  EXPECT_EQ(parse({"--listen-address", "::1"})->listenAddress, "::1");
  EXPECT_EQ(parse({"--listen-address=0.0.0.0"})->listenAddress, "0.0.0.0");
  for (const char* bad : {"localhost", "127.0.0.256", "1.2.3", "::g", "127.0.0.1:80"}) {
    auto o = parse({"--listen-address", bad});
    ASSERT_FALSE(o.ok()) << bad;
    EXPECT_NE(o.fault().message.find("--listen-address: expected a numeric IPv4 or IPv6"),
              std::string::npos);
  }
}

TEST(OptionsTest, HelpAndVersion) {
  EXPECT_TRUE(parse({"--help"})->showHelp);
  EXPECT_TRUE(parse({"-h"})->showHelp);
  EXPECT_TRUE(parse({"--version"})->showVersion);
  EXPECT_NE(usage("tr69d").find("--config-dir"), std::string::npos);
}

TEST(OptionsTest, ErrorsAreClear) {
  auto unknown = parse({"--bogus"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.fault().code, FaultCode::kInvalidArguments);
  EXPECT_NE(unknown.fault().message.find("--bogus"), std::string::npos);

  auto missing = parse({"--config-dir"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.fault().message.find("needs a value"), std::string::npos);

  auto empty = parse({"--state-dir="});
  ASSERT_FALSE(empty.ok());

  auto level = parse({"--log-level", "loud"});
  ASSERT_FALSE(level.ok());
  EXPECT_NE(level.fault().message.find("loud"), std::string::npos);

  auto valueOnSwitch = parse({"--foreground=yes"});
  ASSERT_FALSE(valueOnSwitch.ok());
  EXPECT_NE(valueOnSwitch.fault().message.find("takes no value"), std::string::npos);
}

}  // namespace
}  // namespace tr69::daemon
