#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "commands.h"
#include "tr69/base/crypto.h"
#include "tr69/base/file_util.h"
#include "tr69/connreq/option125.h"
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

class CtlOption125Test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tr69-ctl-o125-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string writeIdentity(const std::string& content) {
    const std::string path = (dir_ / "identity").string();
    EXPECT_TRUE(writeFileAtomic(path, content).ok());
    return path;
  }
  int run(std::vector<std::string_view> args) {
    out_.str("");
    err_.str("");
    return runCtl(args, out_, err_);
  }

  // enterprise 3561 | data-len | 1 "00085D" | 2 serial | 3 product class, built by hand.
  static std::string expectedPayloadHex(const std::string& oui, const std::string& serial,
                                        const std::string& productClass) {
    std::string data;
    for (const auto& [code, value] :
         {std::pair<char, std::string>{1, oui}, {2, serial}, {3, productClass}}) {
      data += code;
      data += static_cast<char>(value.size());
      data += value;
    }
    return "00000de9" + toHex(std::string(1, static_cast<char>(data.size())) + data);
  }

  fs::path dir_;
  std::ostringstream out_, err_;
};

TEST_F(CtlOption125Test, PrintsThePayloadTheDecodedFieldsAndHowToSendIt) {
  const std::string identity =
      writeIdentity("model: 6757i\nmac: 00:08:5d:0a:0b:0c\nserial: SN12345\n");
  ASSERT_EQ(run({"--identity", identity, "option125"}), 0) << err_.str();
  const std::string hex = expectedPayloadHex("00085D", "SN12345", "6757i");
  const std::string text = out_.str();
  EXPECT_NE(text.find(hex), std::string::npos) << text;
  EXPECT_NE(text.find("enterprise 3561"), std::string::npos) << text;
  EXPECT_NE(text.find("DeviceManufacturerOUI (6): \"00085D\""), std::string::npos) << text;
  EXPECT_NE(text.find("DeviceSerialNumber (7): \"SN12345\""), std::string::npos) << text;
  EXPECT_NE(text.find("DeviceProductClass (5): \"6757i\""), std::string::npos) << text;
  EXPECT_NE(text.find("udhcpc ... -x 0x7d:" + hex), std::string::npos) << text;
  EXPECT_NE(text.find("send vivso 00:00:0d:e9:"), std::string::npos) << text;
  // The full option: code 125 (0x7d), then the payload length.
  const std::size_t length = hex.size() / 2;
  EXPECT_NE(text.find("7d" + toHex(std::string(1, static_cast<char>(length))) + hex),
            std::string::npos)
      << text;
}

TEST_F(CtlOption125Test, JsonCarriesTheFieldsAndAPayloadThatDecodes) {
  const std::string identity = writeIdentity(
      "model: 6867i\nmac: 00085D112233\nserial: A1B2\noui: 001122\nproduct class: AastraSIP\n");
  ASSERT_EQ(run({"--json", "--identity", identity, "option125"}), 0) << err_.str();
  const std::string hex = expectedPayloadHex("001122", "A1B2", "AastraSIP");
  EXPECT_EQ(out_.str(), "{\"identity\":" + jsonString(identity) +
                            ",\"enterprise\":\"3561\",\"manufacturer-oui\":\"001122\","
                            "\"serial-number\":\"A1B2\",\"product-class\":\"AastraSIP\","
                            "\"payload\":\"" +
                            hex + "\",\"option\":\"7d" +
                            toHex(std::string(1, static_cast<char>(hex.size() / 2))) + hex +
                            "\"}\n");
  auto blocks = connreq::decodeOption125Payload(*fromHex(hex));
  ASSERT_TRUE(blocks.ok());
  const auto decoded = *blocks;
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].subOptions.at(2), "A1B2");
}

TEST_F(CtlOption125Test, MissingIdentityFileIsExitOneNamingTheFile) {
  const std::string missing = (dir_ / "no-such-identity").string();
  EXPECT_EQ(run({"--identity", missing, "option125"}), 1);
  EXPECT_NE(err_.str().find("no-such-identity"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CtlOption125Test, IdentityWithoutMacIsRejected) {
  const std::string identity = writeIdentity("model: 6757i\nserial: SN1\n");
  EXPECT_EQ(run({"--identity", identity, "option125"}), 1);
  EXPECT_NE(err_.str().find("mac"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CtlOption125Test, IdentityWithoutSerialCannotBuildTheOption) {
  const std::string identity = writeIdentity("model: 6757i\nmac: 00085D0A0B0C\n");
  EXPECT_EQ(run({"--identity", identity, "option125"}), 1);
  EXPECT_NE(err_.str().find("tr69ctl option125"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CtlOption125Test, ExtraArgumentsAreExitTwo) {
  EXPECT_EQ(run({"option125", "extra"}), 2);
  EXPECT_NE(err_.str().find("takes no arguments"), std::string::npos);
}

}  // namespace
}  // namespace tr69::ctl
