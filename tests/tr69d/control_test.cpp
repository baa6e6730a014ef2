#include "tr69/tr69d/control.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

namespace tr69::daemon {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tr69-ctl-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = dir_ / "tr69d.sock";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the loop on this thread while `client` runs on another; bounded.
  Result<ControlReply> roundTrip(const ControlFields& request) {
    std::atomic<bool> done{false};
    Result<ControlReply> reply = Fault(FaultCode::kInternalError, "not run");
    std::thread client([&] {
      reply = controlRequest(path_, request, 5s);
      done = true;
    });
    for (int i = 0; i < 500 && !done; ++i)
      loop_.runOnce(10ms);
    client.join();
    return reply;
  }

  fs::path dir_;
  fs::path path_;
  EventLoop loop_;
  LogCapture logs_;
  Logger log_ = logs_.logger();
};

TEST_F(ControlTest, RequestAndReplyRoundTripWithEscapes) {
  ControlFields seen;
  auto server = ControlServer::start(loop_, log_, path_, [&](const ControlFields& request) {
    seen = request;
    return Result<ControlReply>(ControlReply{{"value", "a\tb\nc\\d"}, {"type", "xsd:string"}});
  });
  ASSERT_TRUE(server.ok()) << server.fault().message;
  auto reply = roundTrip({"set", "Device.X", "tab\there"});
  ASSERT_TRUE(reply.ok()) << reply.fault().message;
  EXPECT_EQ(seen, (ControlFields{"set", "Device.X", "tab\there"}));
  ASSERT_EQ(reply->size(), 2u);
  EXPECT_EQ((*reply)[0].second, "a\tb\nc\\d");
  EXPECT_EQ((*reply)[1].first, "type");
}

TEST_F(ControlTest, HandlerFaultReachesTheClient) {
  auto server = ControlServer::start(loop_, log_, path_, [](const ControlFields&) {
    return Result<ControlReply>(Fault(FaultCode::kInvalidParameterName, "no such parameter"));
  });
  ASSERT_TRUE(server.ok());
  auto reply = roundTrip({"get", "Device.Nope"});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.fault().code, FaultCode::kInvalidParameterName);
  EXPECT_EQ(reply.fault().message, "no such parameter");
}

TEST_F(ControlTest, SocketIsOwnerOnlyAndRemovedOnStop) {
  {
    auto server = ControlServer::start(loop_, log_, path_, [](const ControlFields&) {
      return Result<ControlReply>(ControlReply{});
    });
    ASSERT_TRUE(server.ok());
    struct stat st {};
    ASSERT_EQ(::stat(path_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(ControlTest, NoDaemonIsAClearError) {
  auto reply = controlRequest(path_, {"status"}, 1s);
  ASSERT_FALSE(reply.ok());
  EXPECT_NE(reply.fault().message.find("not running"), std::string::npos);
}

TEST(ControlEscapeTest, EscapeRoundTrip) {
  const std::string raw = "a\\b\tc\nd\re";
  EXPECT_EQ(unescapeControlField(escapeControlField(raw)), raw);
  EXPECT_EQ(escapeControlField(raw).find('\t'), std::string::npos);
  EXPECT_EQ(unescapeControlField("trailing\\"), "trailing\\");
}

}  // namespace
}  // namespace tr69::daemon
