// The session engine against a scripted ACS on loopback (tests/transport's TestHttpServer): real
// codec, real libcurl transport, real tree over MemoryStorage, real state journal in a temp dir.
#include "tr69/session/engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <mutex>
#include <regex>

#include "tr69/datamodel/descriptor.h"
#include "tr69/datamodel/dm.h"
#include "tr69/model/memory_storage.h"
#include "tr69/session/parameter_rpcs.h"
#include "transport/test_http_server.h"

namespace tr69::session {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using transport::testing::TestHttpServer;
using transport::testing::TestRequest;
using transport::testing::TestResponse;

constexpr const char* kEnvelopeHead =
    R"(<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" )"
    R"(xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" )"
    R"(xmlns:xsd="http://www.w3.org/2001/XMLSchema" )"
    R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
    R"(xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Header>)";

std::string envelope(const std::string& id, const std::string& body) {
  return std::string(kEnvelopeHead) + "<cwmp:ID soap-env:mustUnderstand=\"1\">" + id +
         "</cwmp:ID></soap-env:Header><soap-env:Body>" + body +
         "</soap-env:Body></soap-env:Envelope>";
}

std::string idOf(const std::string& body) {
  static const std::regex re(R"(<[A-Za-z-]*:?ID[^>]*>([^<]*)</)");
  std::smatch m;
  return std::regex_search(body, m, re) ? m[1].str() : std::string();
}

bool has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

// A scripted ACS: answers the Inform and TransferComplete itself, then hands out the queued
// requests one per empty POST / CPE response, and finally 204.
class ScriptedAcs {
 public:
  ScriptedAcs() : server_([this](const TestRequest& r) { return handle(r); }) {}

  std::string url() const { return server_.url("/acs"); }
  void queueRequest(std::string soapBody) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(std::move(soapBody));
  }
  void faultNextTransferComplete(int code) { tcFaults_ = code; }
  void failNextInforms(int count) { informFailures_ = count; }
  void holdRequestsInNextInformResponse() { holdNext_ = true; }

  std::vector<std::string> informs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return informs_;
  }
  std::vector<std::string> bodies() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bodies_;
  }
  int sessionsEnded() const { return ended_.load(); }
  int transferCompletes() const { return transferCompletes_.load(); }
  TestHttpServer& server() { return server_; }

 private:
  TestResponse handle(const TestRequest& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    bodies_.push_back(request.body);
    const std::string& body = request.body;
    if (has(body, "cwmp:Inform>") || has(body, ":Inform ") || has(body, ":Inform>")) {
      informs_.push_back(body);
      if (informFailures_ > 0) {
        --informFailures_;
        return response(500, "busy");
      }
      std::string reply = envelope(idOf(body),
                                   "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes>"
                                   "</cwmp:InformResponse>");
      if (holdNext_.exchange(false)) {
        reply.insert(reply.find("</soap-env:Header>"),
                     "<cwmp:HoldRequests soap-env:mustUnderstand=\"1\">true</cwmp:HoldRequests>");
      }
      return soap(reply);
    }
    if (has(body, "TransferComplete>") || has(body, "TransferComplete ")) {
      ++transferCompletes_;
      if (tcFaults_ > 0) {
        const int code = tcFaults_;
        tcFaults_ = 0;
        return soap(
            envelope(idOf(body),
                     "<soap-env:Fault><faultcode>Server</faultcode><faultstring>CWMP fault"
                     "</faultstring><detail><cwmp:Fault><FaultCode>" +
                         std::to_string(code) +
                         "</FaultCode><FaultString>retry</FaultString></cwmp:Fault></detail>"
                         "</soap-env:Fault>"));
      }
      return soap(envelope(idOf(body), "<cwmp:TransferCompleteResponse/>"));
    }
    if (!script_.empty()) {
      std::string next = envelope("acs-" + std::to_string(++requestId_), script_.front());
      script_.pop_front();
      return soap(next);
    }
    ++ended_;
    return response(204, "");
  }
  static TestResponse response(int status, std::string body) {
    TestResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static TestResponse soap(std::string body) {
    TestResponse r = response(200, std::move(body));
    r.headers = {{"Content-Type", "text/xml; charset=\"utf-8\""}};
    return r;
  }

  mutable std::mutex mutex_;
  std::deque<std::string> script_;
  std::vector<std::string> informs_;
  std::vector<std::string> bodies_;
  int requestId_ = 0;
  std::atomic<int> tcFaults_{0};
  std::atomic<int> informFailures_{0};
  std::atomic<bool> holdNext_{false};
  std::atomic<int> ended_{0};
  std::atomic<int> transferCompletes_{0};
  TestHttpServer server_;
};

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tr69-engine-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    makeAgent();
  }
  void TearDown() override {
    agent_.reset();
    fs::remove_all(dir_);
  }

  struct Agent {
    Agent(EventLoop& loop, const Logger& log, const fs::path& dir, const std::string& url,
          std::vector<SessionReport>& reports, std::vector<std::string>& acked)
        : storage(datamodel::aastraModel(), 9),
          tree(datamodel::aastraModel(), storage, 9),
          parameters(tree, [] {}),
          handler(parameters, actions),
          http(loop, log),
          store(dir, log) {
      EngineHooks hooks;
      hooks.connectionSettings = [url] {
        transport::ConnectionSettings s;
        s.url = url;
        s.requestTimeout = 5s;
        return s;
      };
      hooks.sessionEnded = [&reports](const SessionReport& r) { reports.push_back(r); };
      hooks.transferAcknowledged = [&acked](const std::string& key) { acked.push_back(key); };
      EngineOptions options;
      options.retry.minimumWaitSeconds = 1;
      options.followUpDelay = 50ms;
      options.valueChangePoll = 100ms;
      // Deterministic back-off: always the lower bound.
      engine = std::make_unique<Engine>(loop, log, tree, handler, http, store, hooks, options,
                                        [](std::uint64_t low, std::uint64_t) { return low; });
    }
    model::MemoryStorage storage;
    model::Tree tree;
    ModelParameterRpcs parameters;
    cwmp::RejectingActions actions;
    cwmp::CombinedRpcHandler handler;
    transport::HttpClient http;
    StateStore store;
    std::unique_ptr<Engine> engine;
  };

  void makeAgent() {
    agent_.reset();
    agent_ = std::make_unique<Agent>(loop_, log_, dir_, acs_.url(), reports_, acked_);
  }

  // Runs the loop until `done` or the bound.
  bool runUntil(const std::function<bool()>& done, std::chrono::seconds limit = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline)
      loop_.runOnce(20ms);
    return done();
  }
  bool waitSessions(std::size_t n) {
    return runUntil([&] { return reports_.size() >= n; });
  }

  fs::path dir_;
  EventLoop loop_;
  LogCapture logs_;
  Logger log_ = logs_.logger();
  ScriptedAcs acs_;
  std::vector<SessionReport> reports_;
  std::vector<std::string> acked_;
  std::unique_ptr<Agent> agent_;
};

TEST_F(EngineTest, FirstContactBootstrapsThenARestartOnlyBoots) {
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1)) << logs_.joined();
  EXPECT_EQ(reports_[0].outcome, SessionOutcome::kSucceeded) << reports_[0].reason;
  ASSERT_EQ(acs_.informs().size(), 1u);
  const std::string first = acs_.informs()[0];
  EXPECT_TRUE(has(first, "0 BOOTSTRAP"));
  EXPECT_TRUE(has(first, "1 BOOT"));
  EXPECT_TRUE(has(first, "Device.ManagementServer.ParameterKey"));  // forced inform
  EXPECT_TRUE(has(first, "<RetryCount>0</RetryCount>"));
  // Inform, empty POST, end.
  ASSERT_EQ(acs_.bodies().size(), 2u);
  EXPECT_TRUE(acs_.bodies()[1].empty());
  EXPECT_EQ(agent_->engine->state().bootstrappedAcsUrl, acs_.url());

  makeAgent();  // a reboot of the agent
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(2));
  ASSERT_EQ(acs_.informs().size(), 2u);
  EXPECT_FALSE(has(acs_.informs()[1], "0 BOOTSTRAP"));
  EXPECT_TRUE(has(acs_.informs()[1], "1 BOOT"));
}

TEST_F(EngineTest, AnswersAcsRequestsAndKeepsParameterKey) {
  acs_.queueRequest(
      "<cwmp:SetParameterValues><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\">"
      "<ParameterValueStruct><Name>Device.ManagementServer.PeriodicInformInterval</Name>"
      "<Value xsi:type=\"xsd:unsignedInt\">600</Value></ParameterValueStruct></ParameterList>"
      "<ParameterKey>key-1</ParameterKey></cwmp:SetParameterValues>");
  acs_.queueRequest(
      "<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[1]\">"
      "<string>Device.ManagementServer.PeriodicInformInterval</string></ParameterNames>"
      "</cwmp:GetParameterValues>");
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1)) << logs_.joined();
  EXPECT_EQ(reports_[0].outcome, SessionOutcome::kSucceeded) << reports_[0].reason;
  const auto bodies = acs_.bodies();
  ASSERT_EQ(bodies.size(), 4u);  // Inform, empty, SPV response, GPV response
  EXPECT_TRUE(has(bodies[2], "SetParameterValuesResponse"));
  EXPECT_TRUE(has(bodies[2], "acs-1"));  // the ID is echoed
  EXPECT_TRUE(has(bodies[3], "GetParameterValuesResponse"));
  EXPECT_TRUE(has(bodies[3], ">600<"));
  EXPECT_EQ(agent_->engine->state().parameterKey, "key-1");
  EXPECT_EQ(*agent_->tree.get(dm::ManagementServer::PeriodicInformInterval), 600u);
}

TEST_F(EngineTest, UnknownMethodGets9000AndTheSessionGoesOn) {
  acs_.queueRequest("<cwmp:X_ACME_Frob><Arg>1</Arg></cwmp:X_ACME_Frob>");
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  EXPECT_EQ(reports_[0].outcome, SessionOutcome::kSucceeded) << reports_[0].reason;
  ASSERT_EQ(acs_.bodies().size(), 3u);
  EXPECT_TRUE(has(acs_.bodies()[2], "<FaultCode>9000</FaultCode>"));
}

TEST_F(EngineTest, FailedSessionIsRetriedWithRetryCountAndEventsKept) {
  acs_.failNextInforms(1);
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(2)) << logs_.joined();
  EXPECT_EQ(reports_[0].outcome, SessionOutcome::kFailed);
  EXPECT_NE(reports_[0].reason.find("500"), std::string::npos) << reports_[0].reason;
  EXPECT_EQ(reports_[1].outcome, SessionOutcome::kSucceeded);
  const auto informs = acs_.informs();
  ASSERT_EQ(informs.size(), 2u);
  EXPECT_TRUE(has(informs[1], "<RetryCount>1</RetryCount>"));
  EXPECT_TRUE(has(informs[1], "0 BOOTSTRAP"));  // not delivered by the failed session
  EXPECT_EQ(agent_->engine->retryCount(), 0u);  // reset after success
}

TEST_F(EngineTest, ConnectionRequestAloneIsNotRetried) {
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  acs_.failNextInforms(1);
  agent_->engine->connectionRequest();
  ASSERT_TRUE(waitSessions(2));
  EXPECT_EQ(reports_[1].outcome, SessionOutcome::kFailed);
  EXPECT_TRUE(has(acs_.informs()[1], "6 CONNECTION REQUEST"));
  // No retry follows: run a while longer than the first retry window.
  runUntil([] { return false; }, 3s);
  EXPECT_EQ(reports_.size(), 2u);
  EXPECT_EQ(acs_.informs().size(), 2u);
}

TEST_F(EngineTest, TransferCompleteIsSentAfterInformAndResentOn8005) {
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  acs_.faultNextTransferComplete(8005);
  agent_->engine->transferCompleted(
      EventCode::kMDownload, {"fw-1", 0, "", "2026-11-27T05:00:00Z", "2026-11-27T05:01:00Z"});
  ASSERT_TRUE(waitSessions(2)) << logs_.joined();
  EXPECT_EQ(reports_[1].outcome, SessionOutcome::kSucceeded) << reports_[1].reason;
  const auto inform = acs_.informs()[1];
  EXPECT_TRUE(has(inform, "7 TRANSFER COMPLETE"));
  EXPECT_TRUE(has(inform, "M Download"));
  EXPECT_TRUE(has(inform, "fw-1"));
  EXPECT_EQ(acs_.transferCompletes(), 2);  // 8005, then again
  EXPECT_EQ(acked_, std::vector<std::string>{"fw-1"});
  EXPECT_TRUE(agent_->engine->state().transferResults.empty());
}

TEST_F(EngineTest, TransferCompleteHeldByHoldRequestsGoesOutAfterTheEmptyAnswer) {
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  const std::size_t before = acs_.bodies().size();
  acs_.holdRequestsInNextInformResponse();
  agent_->engine->transferCompleted(
      EventCode::kMDownload, {"fw-h", 0, "", "2026-11-27T05:00:00Z", "2026-11-27T05:01:00Z"});
  ASSERT_TRUE(waitSessions(2)) << logs_.joined();
  EXPECT_EQ(reports_[1].outcome, SessionOutcome::kSucceeded) << reports_[1].reason;
  const auto bodies = acs_.bodies();
  ASSERT_EQ(bodies.size(), before + 4) << logs_.joined();
  EXPECT_TRUE(has(bodies[before], "Inform>"));
  EXPECT_TRUE(bodies[before + 1].empty()) << "HoldRequests: the next POST must not be a request";
  EXPECT_TRUE(has(bodies[before + 2], "TransferComplete>"));
  EXPECT_TRUE(bodies[before + 3].empty());
  EXPECT_EQ(acked_, std::vector<std::string>{"fw-h"});  // in the same session
  EXPECT_TRUE(agent_->engine->pendingEvents().empty());
}

TEST_F(EngineTest, PendingTransferResultSurvivesARestart) {
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  acs_.failNextInforms(5);
  agent_->engine->transferCompleted(
      EventCode::kMDownload,
      {"fw-2", 9010, "unreachable", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"});
  ASSERT_TRUE(waitSessions(2));
  EXPECT_EQ(reports_[1].outcome, SessionOutcome::kFailed);
  acs_.failNextInforms(0);
  makeAgent();  // crash and restart
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(runUntil([&] { return !acked_.empty(); })) << logs_.joined();
  const auto inform = acs_.informs().back();
  EXPECT_TRUE(has(inform, "1 BOOT"));
  EXPECT_TRUE(has(inform, "7 TRANSFER COMPLETE"));
  EXPECT_TRUE(has(inform, "M Download"));
  EXPECT_EQ(acked_, std::vector<std::string>{"fw-2"});
}

TEST_F(EngineTest, ScheduleInformRaisesScheduledWithItsCommandKey) {
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  agent_->engine->scheduleInform(1s, "sched-a");
  ASSERT_TRUE(waitSessions(2));
  const auto inform = acs_.informs()[1];
  EXPECT_TRUE(has(inform, "3 SCHEDULED"));
  EXPECT_TRUE(has(inform, "M ScheduleInform"));
  EXPECT_TRUE(has(inform, "sched-a"));
}

TEST_F(EngineTest, ActiveNotificationOpensASessionWithTheNewValue) {
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  const model::AttributeChange attr{"Device.DeviceInfo.ProvisioningCode", true, 2, false, {}};
  ASSERT_TRUE(agent_->tree.setAttributes(std::span(&attr, 1)).ok());
  agent_->engine->checkValueChanges();  // baseline now includes the parameter
  ASSERT_TRUE(agent_->tree
                  .set(dm::DeviceInfo::ProvisioningCode, std::string("CHANGED-LOCALLY"), {},
                       model::ChangeCause::kLocalConfig)
                  .ok());
  ASSERT_TRUE(waitSessions(2)) << logs_.joined();
  const auto inform = acs_.informs()[1];
  EXPECT_TRUE(has(inform, "4 VALUE CHANGE"));
  EXPECT_TRUE(has(inform, "CHANGED-LOCALLY"));
}

TEST_F(EngineTest, ChangesMadeByTheAcsAreNotNotified) {
  acs_.queueRequest(
      "<cwmp:SetParameterAttributes><ParameterList><SetParameterAttributesStruct>"
      "<Name>Device.DeviceInfo.ProvisioningCode</Name><NotificationChange>1</NotificationChange>"
      "<Notification>2</Notification><AccessListChange>0</AccessListChange><AccessList/>"
      "</SetParameterAttributesStruct></ParameterList></cwmp:SetParameterAttributes>");
  acs_.queueRequest(
      "<cwmp:SetParameterValues><ParameterList><ParameterValueStruct>"
      "<Name>Device.DeviceInfo.ProvisioningCode</Name><Value>FROM-ACS</Value>"
      "</ParameterValueStruct></ParameterList><ParameterKey>k</ParameterKey>"
      "</cwmp:SetParameterValues>");
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  EXPECT_EQ(reports_[0].outcome, SessionOutcome::kSucceeded) << reports_[0].reason;
  runUntil([] { return false; }, 1s);  // several polls
  EXPECT_EQ(reports_.size(), 1u) << "an ACS change opened a value-change session";
}

TEST_F(EngineTest, ParameterMadeActiveByTheAcsIsNotifiedOnItsFirstChange) {
  acs_.queueRequest(
      "<cwmp:SetParameterAttributes><ParameterList><SetParameterAttributesStruct>"
      "<Name>Device.DeviceInfo.ProvisioningCode</Name><NotificationChange>1</NotificationChange>"
      "<Notification>2</Notification><AccessListChange>0</AccessListChange><AccessList/>"
      "</SetParameterAttributesStruct></ParameterList></cwmp:SetParameterAttributes>");
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  // Changed at once, before any value-change poll ran since the session.
  ASSERT_TRUE(agent_->tree
                  .set(dm::DeviceInfo::ProvisioningCode, std::string("CHANGED-AFTER-SPA"), {},
                       model::ChangeCause::kLive)
                  .ok());
  ASSERT_TRUE(waitSessions(2)) << logs_.joined();
  const auto inform = acs_.informs()[1];
  EXPECT_TRUE(has(inform, "4 VALUE CHANGE"));
  EXPECT_TRUE(has(inform, "CHANGED-AFTER-SPA"));
}

TEST_F(EngineTest, UnreachableAcsFailsCleanly) {
  acs_.server().stop();
  ASSERT_TRUE(agent_->engine->start().ok());
  ASSERT_TRUE(waitSessions(1));
  EXPECT_EQ(reports_[0].outcome, SessionOutcome::kFailed);
  EXPECT_EQ(agent_->engine->retryCount(), 1u);
  EXPECT_FALSE(agent_->engine->sessionActive());
}

}  // namespace
}  // namespace tr69::session
