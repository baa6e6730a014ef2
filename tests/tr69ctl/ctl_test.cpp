#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "commands.h"
#include "tr69/tr69d/control.h"

namespace tr69::ctl {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(CtlOutputTest, JsonStringsAreEscaped) {
  EXPECT_EQ(jsonString("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST(CtlOutputTest, PairsAsTextAndJson) {
  std::ostringstream text, json;
  printPairs({{"acs-url", "http://x/"}, {"retry-count", "0"}}, false, text);
  printPairs({{"acs-url", "http://x/"}, {"retry-count", "0"}}, true, json);
  EXPECT_EQ(text.str(), "acs-url:     http://x/\nretry-count: 0\n");
  EXPECT_EQ(json.str(), "{\"acs-url\":\"http://x/\",\"retry-count\":\"0\"}\n");
}

TEST(CtlArgsTest, BadUsageIsExitTwo) {
  std::ostringstream out, err;
  EXPECT_EQ(runCtl(std::vector<std::string_view>{"set", "OnlyAName"}, out, err), 2);
  EXPECT_EQ(runCtl(std::vector<std::string_view>{"get"}, out, err), 2);
  EXPECT_EQ(runCtl(std::vector<std::string_view>{"status", "extra"}, out, err), 2);
  EXPECT_EQ(runCtl(std::vector<std::string_view>{"--socket"}, out, err), 2);
  EXPECT_EQ(runCtl(std::vector<std::string_view>{"--bogus", "x", "status"}, out, err), 2);
}

TEST(CtlArgsTest, NoDaemonIsExitOneWithAMessage) {
  std::ostringstream out, err;
  EXPECT_EQ(runCtl(std::vector<std::string_view>{"--socket", "/nonexistent/tr69d.sock", "status"},
                   out, err),
            1);
  EXPECT_NE(err.str().find("not running"), std::string::npos);
}

TEST(CtlDaemonTest, CommandsReachTheDaemonAndPrintItsReply) {
  const fs::path dir = fs::temp_directory_path() / ("tr69-ctl-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  EventLoop loop;
  LogCapture logs;
  Logger log = logs.logger();
  std::vector<daemon::ControlFields> seen;
  auto server = daemon::ControlServer::start(
      loop, log, dir / "tr69d.sock", [&](const daemon::ControlFields& request) {
        seen.push_back(request);
        return Result<daemon::ControlReply>(daemon::ControlReply{{"status", "0"}});
      });
  ASSERT_TRUE(server.ok());
  std::ostringstream out, err;
  std::atomic<int> rc{-1};
  std::thread client([&] {
    const std::string stateDir = dir.string();
    rc = runCtl(
        std::vector<std::string_view>{"--state-dir", stateDir, "--json", "set", "Device.X", "1"},
        out, err);
  });
  for (int i = 0; i < 500 && rc < 0; ++i)
    loop.runOnce(10ms);
  client.join();
  EXPECT_EQ(rc, 0) << err.str();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (daemon::ControlFields{"set", "Device.X", "1"}));
  EXPECT_EQ(out.str(), "{\"status\":\"0\"}\n");
  server.value().reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tr69::ctl
