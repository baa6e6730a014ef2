// Tests of the test ACS itself, driven by a libcurl CPE posting hand-written SOAP: a conforming
// CPE leaves no failure, and each kind of broken CPE behaviour is detected.
#include "acs/test_acs.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "acs/fake_cpe.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;

bool anyContains(const std::vector<std::string>& failures, const std::string& needle) {
  return std::any_of(failures.begin(), failures.end(),
                     [&](const std::string& f) { return f.find(needle) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& failures) {
  std::string out;
  for (const auto& f : failures)
    out += f + "\n";
  return out;
}

class TestAcsTest : public ::testing::Test {
 protected:
  void startAcs(Scenario scenario = {}) {
    AcsOptions options;
    options.scenario = std::move(scenario);
    ASSERT_TRUE(acs_.start(std::move(options)).ok());
  }

  // Inform + empty POST, returning the reply to the empty POST.
  FakeCpe::Reply informAndEmptyPost(const InformSpec& spec = {}) {
    FakeCpe::Reply inform = cpe_.post(acs_.url(), informXml(spec));
    EXPECT_EQ(inform.status, 200) << inform.error;
    return cpe_.post(url(inform), "");
  }

  std::string url(const FakeCpe::Reply& reply) const {
    return reply.effectiveUrl.empty() ? acs_.url() : reply.effectiveUrl;
  }

  // The cwmp:ID of an ACS request body.
  static std::string idOf(const std::string& body) {
    auto envelope = parseEnvelope(body);
    return envelope && envelope->id ? *envelope->id : std::string();
  }

  TestAcs acs_;
  FakeCpe cpe_;
};

TEST_F(TestAcsTest, ConformingSessionEndsCleanlyWithoutFailures) {
  startAcs();
  FakeCpe::Reply inform = cpe_.post(acs_.url(), informXml({}));
  ASSERT_EQ(inform.status, 200) << inform.error;
  EXPECT_NE(inform.headers["set-cookie"].find("session="), std::string::npos);
  auto envelope = parseEnvelope(inform.body);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->methodName, "InformResponse");
  EXPECT_EQ(envelope->id.value_or(""), "cpe-1");
  EXPECT_EQ(childText(envelope->method, "MaxEnvelopes").value_or(""), "1");
  FakeCpe::Reply end = cpe_.post(acs_.url(), "");
  EXPECT_EQ(end.status, 204);
  ASSERT_TRUE(acs_.waitForCompletedSessions(1, 5s));
  EXPECT_TRUE(acs_.failures().empty()) << joined(acs_.failures());
  const auto sessions = acs_.sessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_TRUE(sessions[0].inform.hasEvent("1 BOOT"));
  EXPECT_EQ(sessions[0].inform.serialNumber, "00085D0A0B0C");
  EXPECT_EQ(sessions[0].cwmpNamespace, kCwmp12Ns);
  EXPECT_LE(sessions[0].informAt, std::chrono::steady_clock::now());
}

TEST_F(TestAcsTest, AnswersInTheNamespaceAndAcceptsAnyPrefixTheCpeUses) {
  startAcs();
  InformSpec spec;
  spec.cwmpNamespace = std::string(kCwmp10Ns);
  spec.envelopePrefix = "SOAP-ENV";
  FakeCpe::Reply inform = cpe_.post(acs_.url(), informXml(spec));
  ASSERT_EQ(inform.status, 200);
  auto envelope = parseEnvelope(inform.body);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->cwmpNamespace, kCwmp10Ns);
  EXPECT_EQ(cpe_.post(acs_.url(), "").status, 204);
  EXPECT_TRUE(acs_.failures().empty()) << joined(acs_.failures());
}

TEST_F(TestAcsTest, ScriptedRequestIsSentAndItsAnswerChecked) {
  Scenario scenario;
  SessionScript session;
  Expectation expect;
  expect.values.push_back({"Device.DeviceInfo.ModelName", "6757i", "xsd:string"});
  session.steps.push_back(Step::rpc(getParameterValues({"Device.DeviceInfo.ModelName"}), expect));
  scenario.sessions.push_back(session);
  startAcs(scenario);

  FakeCpe::Reply request = informAndEmptyPost();
  ASSERT_EQ(request.status, 200);
  auto envelope = parseEnvelope(request.body);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->methodName, "GetParameterValues");
  const std::string id = idOf(request.body);
  const std::string answer = cpeResponseXml(
      std::string(kCwmp12Ns), id, "GetParameterValuesResponse",
      "<ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\"><ParameterValueStruct>"
      "<Name>Device.DeviceInfo.ModelName</Name><Value xsi:type=\"xsd:string\">6757i</Value>"
      "</ParameterValueStruct></ParameterList>");
  // The CPE already sent its empty POST, so the 204 ends the session.
  EXPECT_EQ(cpe_.post(acs_.url(), answer).status, 204);
  ASSERT_TRUE(acs_.waitForCompletedSessions(1, 5s));
  EXPECT_TRUE(acs_.failures().empty()) << joined(acs_.failures());
  const auto sessions = acs_.sessions();
  ASSERT_EQ(sessions[0].exchanges.size(), 1u);
  EXPECT_EQ(sessions[0].exchanges[0].response.values[0].value, "6757i");
}

TEST_F(TestAcsTest, DetectsWrongValueWrongIdAndMissingXsiType) {
  Scenario scenario;
  SessionScript session;
  Expectation expect;
  expect.values.push_back({"Device.DeviceInfo.ModelName", "6757i", ""});
  session.steps.push_back(Step::rpc(getParameterValues({"Device.DeviceInfo.ModelName"}), expect));
  scenario.sessions.push_back(session);
  startAcs(scenario);
  ASSERT_EQ(informAndEmptyPost().status, 200);
  const std::string answer = cpeResponseXml(
      std::string(kCwmp12Ns), "not-the-id", "GetParameterValuesResponse",
      "<ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\"><ParameterValueStruct>"
      "<Name>Device.DeviceInfo.ModelName</Name><Value>6731i</Value>"
      "</ParameterValueStruct></ParameterList>");
  cpe_.post(acs_.url(), answer);
  const auto failures = acs_.failures();
  EXPECT_TRUE(anyContains(failures, "C7:")) << joined(failures);
  EXPECT_TRUE(anyContains(failures, "C28:")) << joined(failures);
  EXPECT_TRUE(anyContains(failures, "is '6731i', expected '6757i'")) << joined(failures);
}

TEST_F(TestAcsTest, ExpectedFaultThatDoesNotComeIsAFailure) {
  Scenario scenario;
  SessionScript session;
  session.steps.push_back(
      Step::rpc(getParameterValues({"Device.Nonexistent."}), Expectation::fault(9005)));
  scenario.sessions.push_back(session);
  startAcs(scenario);
  FakeCpe::Reply request = informAndEmptyPost();
  cpe_.post(acs_.url(), cpeFaultXml(std::string(kCwmp12Ns), idOf(request.body), 9002));
  EXPECT_TRUE(anyContains(acs_.failures(), "expected fault 9005, got fault 9002"))
      << joined(acs_.failures());
}

TEST_F(TestAcsTest, RejectsBadInform) {
  startAcs();
  InformSpec spec;
  spec.maxEnvelopes = "2";
  spec.oui = "00085d";
  spec.currentTime = "2026-01-01T12:00:00";
  spec.events = {{"1 BOOT", ""}, {"1 BOOT", ""}, {"4 VALUE CHANGED", ""}, {"M Reboot", "k"}};
  spec.parameters = {{"Device.DeviceInfo.SoftwareVersion", "1.0", "xsd:string"}};
  cpe_.post(acs_.url(), informXml(spec));
  const auto failures = acs_.failures();
  for (const char* item : {"C4:", "C69:", "C71:", "C62:", "§4.1:", "C70:"}) {
    EXPECT_TRUE(anyContains(failures, item)) << item << "\n" << joined(failures);
  }
  EXPECT_FALSE(anyContains(failures, "§4.2:")) << joined(failures);
}

TEST_F(TestAcsTest, DetectsMissingCookie) {
  startAcs();
  cpe_.setCookies(false);
  ASSERT_EQ(cpe_.post(acs_.url(), informXml({})).status, 200);
  FakeCpe::Reply end = cpe_.post(acs_.url(), "");
  EXPECT_EQ(end.status, 400);
  EXPECT_TRUE(anyContains(acs_.failures(), "C17: POST without the session cookie"))
      << joined(acs_.failures());
  EXPECT_EQ(acs_.completedSessionCount(), 0u);
}

TEST_F(TestAcsTest, DetectsCookieOfEarlierSessionInNewInform) {
  startAcs();
  ASSERT_EQ(informAndEmptyPost().status, 204);
  ASSERT_EQ(cpe_.post(acs_.url(), informXml({})).status, 200);
  EXPECT_TRUE(anyContains(acs_.failures(), "C17: Inform carries the cookie of an earlier"))
      << joined(acs_.failures());
}

TEST_F(TestAcsTest, DetectsSecondTcpConnectionInOneSession) {
  startAcs();
  ASSERT_EQ(cpe_.post(acs_.url(), informXml({})).status, 200);
  cpe_.forceNewConnection();
  cpe_.post(acs_.url(), "");
  EXPECT_TRUE(anyContains(acs_.failures(), "second TCP connection")) << joined(acs_.failures());
}

TEST_F(TestAcsTest, DetectsPostAfterSessionEnded) {
  startAcs();
  ASSERT_EQ(informAndEmptyPost().status, 204);
  cpe_.post(acs_.url(), "");
  EXPECT_TRUE(anyContains(acs_.failures(), "C14: extra empty POST")) << joined(acs_.failures());
}

TEST_F(TestAcsTest, DetectsWrongHeadersOnSoapPost) {
  startAcs();
  cpe_.setContentType("text/html");
  cpe_.setSoapAction(std::nullopt);
  cpe_.post(acs_.url(), informXml({}));
  const auto failures = acs_.failures();
  EXPECT_TRUE(anyContains(failures, "C5: SOAP POST has Content-Type 'text/html'"))
      << joined(failures);
  EXPECT_TRUE(anyContains(failures, "C5: SOAP POST has no SOAPAction")) << joined(failures);
}

TEST_F(TestAcsTest, DetectsPostWithoutInform) {
  startAcs();
  cpe_.post(acs_.url(), "");
  EXPECT_TRUE(anyContains(acs_.failures(), "C1:")) << joined(acs_.failures());
}

TEST_F(TestAcsTest, DigestAuthenticationChallengesThenAccepts) {
  for (AuthMode mode : {AuthMode::kDigest, AuthMode::kDigestAuthInt, AuthMode::kBasic}) {
    SCOPED_TRACE(std::string(authModeName(mode)));
    TestAcs acs;
    Scenario scenario;
    scenario.defaultSession.auth = mode;
    AcsOptions options;
    options.scenario = scenario;
    ASSERT_TRUE(acs.start(options).ok());
    FakeCpe cpe;
    cpe.setCredentials("acs-user", "acs-secret");
    FakeCpe::Reply inform = cpe.post(acs.url(), informXml({}));
    EXPECT_EQ(inform.status, 200) << inform.error;
    EXPECT_EQ(cpe.post(acs.url(), "").status, 204);
    ASSERT_EQ(acs.sessionCount(), 1u);
    EXPECT_EQ(acs.sessions()[0].authChallenges, 1);
    EXPECT_TRUE(acs.failures().empty()) << joined(acs.failures());
  }
}

TEST_F(TestAcsTest, DigestChallengeOffersTheConfiguredQop) {
  Scenario scenario;
  scenario.defaultSession.auth = AuthMode::kDigestAuthInt;
  startAcs(scenario);
  FakeCpe::Reply challenge = cpe_.post(acs_.url(), informXml({}));
  EXPECT_EQ(challenge.status, 401);
  EXPECT_NE(challenge.headers["www-authenticate"].find("qop=\"auth,auth-int\""), std::string::npos);
  EXPECT_EQ(acs_.sessionCount(), 0u);
}

TEST_F(TestAcsTest, WrongPasswordNeverOpensASession) {
  Scenario scenario;
  scenario.defaultSession.auth = AuthMode::kDigest;
  startAcs(scenario);
  cpe_.setCredentials("acs-user", "wrong");
  EXPECT_EQ(cpe_.post(acs_.url(), informXml({})).status, 401);
  EXPECT_EQ(acs_.sessionCount(), 0u);
  EXPECT_NE(acs_.transcript().find("authentication failed: wrong digest response"),
            std::string::npos);
}

TEST_F(TestAcsTest, RedirectsTheInformAndChecksTheSessionStaysThere) {
  Scenario scenario;
  scenario.defaultSession.redirects = 2;
  scenario.defaultSession.redirectCode = 307;
  startAcs(scenario);
  FakeCpe::Reply inform = cpe_.post(acs_.url(), informXml({}));
  ASSERT_EQ(inform.status, 200);
  EXPECT_NE(inform.effectiveUrl.find("/acs/redirect-2"), std::string::npos);
  EXPECT_EQ(acs_.sessions()[0].redirectsSent, 2);
  EXPECT_EQ(cpe_.post(inform.effectiveUrl, "").status, 204);
  EXPECT_TRUE(acs_.failures().empty()) << joined(acs_.failures());
}

TEST_F(TestAcsTest, DetectsSessionThatLeavesTheRedirectTarget) {
  Scenario scenario;
  SessionScript session;
  session.redirects = 1;
  scenario.sessions.push_back(session);
  startAcs(scenario);
  cpe_.setFollowRedirects(true);
  FakeCpe::Reply inform = cpe_.post(acs_.url(), informXml({}));
  ASSERT_EQ(inform.status, 200);
  cpe_.post(acs_.url(), "");
  EXPECT_TRUE(anyContains(acs_.failures(), "C20:")) << joined(acs_.failures());
}

TEST_F(TestAcsTest, MisbehavesOnPurpose) {
  Scenario scenario;
  SessionScript error;
  error.steps.push_back(Step::httpError(500));
  SessionScript close;
  close.steps.push_back(Step::closeConnection());
  SessionScript informStatus;
  informStatus.informHttpStatus = 503;
  SessionScript informFault;
  informFault.informFault = 8002;
  scenario.sessions = {error, close, informStatus, informFault};
  startAcs(scenario);
  EXPECT_EQ(informAndEmptyPost().status, 500);
  cpe_.reset();
  // libcurl silently resends a request once on a new connection when a reused connection closes
  // without an answer; the ACS reports that retransmission as continuing a failed session.
  FakeCpe::Reply closed = informAndEmptyPost();
  EXPECT_TRUE(!closed.error.empty() || closed.status == 400);
  cpe_.reset();
  EXPECT_EQ(cpe_.post(acs_.url(), informXml({})).status, 503);
  cpe_.reset();
  FakeCpe::Reply fault = cpe_.post(acs_.url(), informXml({}));
  auto envelope = parseEnvelope(fault.body);
  ASSERT_TRUE(envelope.ok());
  EXPECT_TRUE(envelope->isFault());
  EXPECT_EQ(parseResponse(*envelope).faultCode, 8002u);
  EXPECT_EQ(acs_.sessionCount(), 4u);
  for (const std::string& failure : acs_.failures()) {
    EXPECT_NE(failure.find("session 1: §1.6: POST continues a session that already failed"),
              std::string::npos)
        << failure;
  }
}

TEST_F(TestAcsTest, SlowAnswerIsDelayed) {
  Scenario scenario;
  scenario.defaultSession.informDelayMs = 300;
  startAcs(scenario);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(cpe_.post(acs_.url(), informXml({})).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
}

TEST_F(TestAcsTest, Fault8005OnTransferCompleteIsRetriedInTheSameSession) {
  Scenario scenario;
  scenario.defaultSession.cpeRequestFaults = 1;
  startAcs(scenario);
  InformSpec spec;
  spec.events = {{"7 TRANSFER COMPLETE", ""}, {"M Download", "dl-1"}};
  ASSERT_EQ(cpe_.post(acs_.url(), informXml(spec)).status, 200);
  const std::string ns(kCwmp12Ns);
  FakeCpe::Reply first = cpe_.post(acs_.url(), transferCompleteXml(ns, "tc-1", "dl-1", 0));
  auto fault = parseEnvelope(first.body);
  ASSERT_TRUE(fault.ok());
  EXPECT_EQ(parseResponse(*fault).faultCode, 8005u);
  FakeCpe::Reply second = cpe_.post(acs_.url(), transferCompleteXml(ns, "tc-2", "dl-1", 0));
  auto ok = parseEnvelope(second.body);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->methodName, "TransferCompleteResponse");
  EXPECT_EQ(ok->id.value_or(""), "tc-2");
  EXPECT_EQ(cpe_.post(acs_.url(), "").status, 204);
  ASSERT_TRUE(acs_.waitForCompletedSessions(1, 5s));
  EXPECT_EQ(acs_.sessions()[0].cpeRequests.size(), 2u);
  EXPECT_EQ(acs_.sessions()[0].transferCompletes.size(), 1u);
  EXPECT_TRUE(acs_.failures().empty()) << joined(acs_.failures());
}

TEST_F(TestAcsTest, DetectsEmptyPostBeforePendingTransferComplete) {
  startAcs();
  InformSpec spec;
  spec.events = {{"7 TRANSFER COMPLETE", ""}, {"M Download", "dl-1"}};
  ASSERT_EQ(cpe_.post(acs_.url(), informXml(spec)).status, 200);
  cpe_.post(acs_.url(), "");
  EXPECT_TRUE(anyContains(acs_.failures(), "C11:")) << joined(acs_.failures());
}

TEST_F(TestAcsTest, DetectsTransferCompleteWithoutItsEvents) {
  startAcs();
  ASSERT_EQ(cpe_.post(acs_.url(), informXml({})).status, 200);
  cpe_.post(acs_.url(), transferCompleteXml(std::string(kCwmp12Ns), "tc", "dl-9", 9010));
  const auto failures = acs_.failures();
  EXPECT_TRUE(anyContains(failures, "lacks '7 TRANSFER COMPLETE'")) << joined(failures);
  EXPECT_TRUE(anyContains(failures, "C57:")) << joined(failures);
}

TEST_F(TestAcsTest, HoldRequestsForbidsACpeRequestInTheNextPost) {
  Scenario scenario;
  scenario.defaultSession.holdRequests = true;
  startAcs(scenario);
  InformSpec spec;
  spec.events = {{"7 TRANSFER COMPLETE", ""}, {"M Download", "dl-1"}};
  FakeCpe::Reply inform = cpe_.post(acs_.url(), informXml(spec));
  auto envelope = parseEnvelope(inform.body);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->holdRequests.value_or(""), "true");
  cpe_.post(acs_.url(), transferCompleteXml(std::string(kCwmp12Ns), "tc", "dl-1", 0));
  EXPECT_TRUE(anyContains(acs_.failures(), "C12:")) << joined(acs_.failures());
}

TEST_F(TestAcsTest, DetectsMissingExpectedEvent) {
  Scenario scenario;
  scenario.defaultSession.expectEvents.push_back({"M Reboot", std::string("rb-1")});
  scenario.defaultSession.forbidEvents.push_back("1 BOOT");
  startAcs(scenario);
  cpe_.post(acs_.url(), informXml({}));
  EXPECT_TRUE(anyContains(acs_.failures(), "lacks event 'M Reboot' with CommandKey 'rb-1'"))
      << joined(acs_.failures());
  EXPECT_TRUE(anyContains(acs_.failures(), "forbidden event '1 BOOT'"));
}

TEST_F(TestAcsTest, WaitsAreBounded) {
  startAcs();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(acs_.waitForSessions(1, 200ms));
  EXPECT_FALSE(acs_.waitForInformWithEvent("6 CONNECTION REQUEST", 200ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST_F(TestAcsTest, TranscriptShowsTheExchange) {
  startAcs();
  informAndEmptyPost();
  const std::string transcript = acs_.transcript();
  EXPECT_NE(transcript.find("CPE -> ACS  POST /acs"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("ACS -> CPE  HTTP 204"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("cwmp:InformResponse"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("set-cookie: session="), std::string::npos) << transcript;
}

TEST_F(TestAcsTest, RefusesNonLoopbackBind) {
  AcsOptions options;
  options.http.bindAddress = "0.0.0.0";
  TestAcs acs;
  EXPECT_FALSE(acs.start(options).ok());
}

}  // namespace
}  // namespace tr69::testacs
