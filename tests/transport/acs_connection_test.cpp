#include "tr69/transport/acs_connection.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>

#include "test_http_server.h"
#include "transport_test_util.h"

namespace tr69::transport {
namespace {

using testing::digestResponse;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::parseDigestHeader;
using testing::postAndWait;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

const std::string kInform = "<soap-env:Envelope>inform</soap-env:Envelope>";

class AcsConnectionTest : public ::testing::Test {
 protected:
  std::unique_ptr<AcsConnection> open(ConnectionSettings settings) {
    auto connection = client.openSession(std::move(settings));
    EXPECT_TRUE(connection.ok()) << (connection.ok() ? "" : connection.fault().message);
    return connection.ok() ? std::move(connection.value()) : nullptr;
  }
  std::unique_ptr<AcsConnection> open(const std::string& url) {
    ConnectionSettings settings;
    settings.url = url;
    return open(settings);
  }
  // The ACS credentials of the digest tests ("cpe" / `password`).
  static ConnectionSettings withCredentials(std::string url, std::string password = "pa55word") {
    ConnectionSettings settings;
    settings.url = std::move(url);
    settings.username = "cpe";
    settings.password = std::move(password);
    return settings;
  }

  EventLoop loop;
  LogCapture capture;
  Logger logger = capture.logger();
  HttpClient client{loop, logger};
};

TestResponse soap(std::string body) {
  TestResponse r;
  r.headers.emplace_back("Content-Type", "text/xml; charset=utf-8");
  r.body = std::move(body);
  return r;
}

TEST_F(AcsConnectionTest, FourPostsShareOneKeepAliveConnection) {
  TestHttpServer server([](const TestRequest& request) {
    if (request.body.empty()) return soap("<GetParameterValues/>");
    return soap("<Response to=\"" + request.body + "\"/>");
  });
  auto connection = open(server.url());
  const std::vector<std::string> bodies = {kInform, "", "<GPVResponse/>", "<SPVResponse/>"};
  std::vector<long> localPorts;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    auto result = postAndWait(loop, *connection, bodies[i]);
    ASSERT_TRUE(result && result->ok()) << i;
    EXPECT_EQ(result->reply().status, 200);
    EXPECT_EQ(result->reply().newConnections, i == 0 ? 1 : 0) << i;
    EXPECT_FALSE(result->reply().redirected);
    EXPECT_EQ(result->reply().contentType, "text/xml; charset=utf-8");
    localPorts.push_back(result->reply().localPort);
  }
  EXPECT_EQ(server.connections(), 1u);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].connectionIndex, 0u);
    EXPECT_EQ(requests[i].clientPort, requests[0].clientPort);
    EXPECT_EQ(localPorts[i], requests[0].clientPort);
    EXPECT_EQ(requests[i].body, bodies[i]);
    EXPECT_EQ(requests[i].method, "POST");
  }
}

TEST_F(AcsConnectionTest, SoapPostHeadersAndEmptyPostHeaders) {
  TestHttpServer server([](const TestRequest&) { return soap("<x/>"); });
  auto connection = open(server.url());
  ASSERT_TRUE(postAndWait(loop, *connection, kInform)->ok());
  ASSERT_TRUE(postAndWait(loop, *connection, "")->ok());
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Content-Type"), "text/xml; charset=\"utf-8\"");
  EXPECT_EQ(requests[0].header("SOAPAction"), "");
  EXPECT_EQ(requests[0].header("Content-Length"), std::to_string(kInform.size()));
  EXPECT_FALSE(requests[0].header("Expect"));
  EXPECT_EQ(requests[1].header("Content-Length"), "0");
  EXPECT_FALSE(requests[1].header("Content-Type"));
  EXPECT_FALSE(requests[1].header("SOAPAction"));
  EXPECT_FALSE(requests[1].header("Expect"));
  EXPECT_EQ(requests[1].body, "");
}

TEST_F(AcsConnectionTest, SessionCookieIsReturnedOnEveryPostWhateverItsPath) {
  TestHttpServer server([](const TestRequest& request) {
    TestResponse r = soap("<ok/>");
    if (!request.header("Cookie")) {
      r.headers.emplace_back("Set-Cookie", "session=abc123; Path=/elsewhere; HttpOnly");
      r.headers.emplace_back("Set-Cookie", "lb=n1");
    }
    return r;
  });
  auto connection = open(server.url("/acs/cwmp"));
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(postAndWait(loop, *connection, kInform)->ok());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_FALSE(requests[0].header("Cookie"));
  for (int i = 1; i < 3; ++i) {
    ASSERT_TRUE(requests[i].header("Cookie")) << i;
    EXPECT_THAT(*requests[i].header("Cookie"), HasSubstr("session=abc123"));
    EXPECT_THAT(*requests[i].header("Cookie"), HasSubstr("lb=n1"));
  }
  // A new session starts without the cookies of the previous one, on a new connection.
  connection.reset();
  auto next = open(server.url("/acs/cwmp"));
  auto result = postAndWait(loop, *next, kInform);
  ASSERT_TRUE(result && result->ok());
  EXPECT_EQ(result->reply().newConnections, 1);
  requests = server.requests();
  EXPECT_FALSE(requests.back().header("Cookie"));
  EXPECT_EQ(requests.back().connectionIndex, 1u);
}

TEST_F(AcsConnectionTest, BasicAuthenticationWhenAllowed) {
  // "acs:s3cret" in base64.
  TestHttpServer server([](const TestRequest& request) {
    if (request.header("Authorization") != "Basic YWNzOnMzY3JldA==") {
      TestResponse r;
      r.status = 401;
      r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"acs\"");
      return r;
    }
    return soap("<ok/>");
  });
  ConnectionSettings settings;
  settings.url = server.url();
  settings.username = "acs";
  settings.password = "s3cret";
  settings.allowBasicOverPlainHttp = true;
  auto connection = open(settings);
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && result->ok());
  EXPECT_EQ(result->reply().body, "<ok/>");
  EXPECT_EQ(server.requests().front().body, kInform);  // the first attempt carried the body
}

TEST_F(AcsConnectionTest, BasicIsNotSentInClearByDefault) {
  TestHttpServer server([](const TestRequest& request) {
    TestResponse r;
    r.status = 401;
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"acs\"");
    if (request.header("Authorization")) r.status = 500;  // must never happen
    return r;
  });
  ConnectionSettings settings;
  settings.url = server.url();
  settings.username = "acs";
  settings.password = "s3cret";
  auto connection = open(settings);
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kAuthentication);
  EXPECT_EQ(result->failure().httpStatus, 401);
  for (const auto& request : server.requests())
    EXPECT_FALSE(request.header("Authorization"));
  EXPECT_THAT(capture.joined(), HasSubstr("Basic is not offered over plain http"));
}

// A digest ACS; `qopOffer` is what the challenge offers.
class DigestAcs {
 public:
  explicit DigestAcs(std::string qopOffer) : qopOffer_(std::move(qopOffer)) {}
  TestResponse operator()(const TestRequest& request) {
    const auto authorization = request.header("Authorization");
    if (authorization) {
      std::map<std::string, std::string> p;
      for (auto& [k, v] : parseDigestHeader(*authorization))
        p[k] = v;
      lastQop = p["qop"];
      const std::string expected =
          digestResponse(p["username"], "cwmp", "pa55word", request.method, p["uri"], p["nonce"],
                         p["nc"], p["cnonce"], p["qop"]);
      if (p["username"] == "cpe" && p["nonce"] == kNonce && p["qop"] == "auth" &&
          p["response"] == expected) {
        ++accepted;
        return soap("<InformResponse/>");
      }
    }
    TestResponse r;
    r.status = 401;
    r.headers.emplace_back("WWW-Authenticate", "Digest realm=\"cwmp\", qop=\"" + qopOffer_ +
                                                   "\", nonce=\"" + kNonce +
                                                   "\", opaque=\"5ccc\", algorithm=MD5");
    r.body = "unauthorized";
    return r;
  }
  static constexpr const char* kNonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  std::atomic<int> accepted{0};
  std::string lastQop;

 private:
  std::string qopOffer_;
};

void expectDigestSession(const std::vector<TestRequest>& requests) {
  ASSERT_GE(requests.size(), 3u);
  EXPECT_FALSE(requests[0].header("Authorization"));
  EXPECT_EQ(requests[0].body, kInform);  // the unauthenticated attempt is not an empty probe
  EXPECT_TRUE(requests[1].header("Authorization"));
  EXPECT_EQ(requests[1].body, kInform);
  // Later POSTs carry Authorization up front: no further 401 round trip.
  EXPECT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[2].header("Authorization"));
  for (const auto& request : requests)
    EXPECT_EQ(request.connectionIndex, 0u);
}

TEST_F(AcsConnectionTest, DigestWithQopAuth) {
  DigestAcs acs("auth");
  TestHttpServer server([&](const TestRequest& r) { return acs(r); });
  auto connection = open(withCredentials(server.url()));
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && result->ok()) << capture.joined();
  EXPECT_EQ(result->reply().body, "<InformResponse/>");
  ASSERT_TRUE(postAndWait(loop, *connection, "")->ok());
  EXPECT_EQ(acs.accepted, 2);
  expectDigestSession(server.requests());
  EXPECT_THAT(capture.joined(), Not(HasSubstr("pa55word")));
}

TEST_F(AcsConnectionTest, DigestOfferingAuthAndAuthIntPicksAuth) {
  DigestAcs acs("auth,auth-int");
  TestHttpServer server([&](const TestRequest& r) { return acs(r); });
  auto connection = open(withCredentials(server.url()));
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && result->ok()) << capture.joined();
  EXPECT_EQ(acs.lastQop, "auth");
  ASSERT_TRUE(postAndWait(loop, *connection, "<x/>")->ok());
  expectDigestSession(server.requests());
}

TEST_F(AcsConnectionTest, WrongDigestPasswordIsAnAuthenticationFailureWithoutSecretsInLogs) {
  DigestAcs acs("auth");
  TestHttpServer server([&](const TestRequest& r) { return acs(r); });
  auto connection = open(withCredentials(server.url(), "WrongSecret42"));
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kAuthentication);
  EXPECT_EQ(result->failure().httpStatus, 401);
  EXPECT_EQ(acs.accepted, 0);
  EXPECT_LE(server.requests().size(), 2u);  // no 401 loop
  EXPECT_THAT(capture.joined(), HasSubstr("rejected the credentials of user 'cpe'"));
  EXPECT_THAT(capture.joined(), Not(HasSubstr("WrongSecret42")));
  EXPECT_THAT(capture.joined(), Not(HasSubstr("Authorization")));
  EXPECT_THAT(result->failure().message, Not(HasSubstr("WrongSecret42")));
}

TEST_F(AcsConnectionTest, NoCredentialsConfiguredAgainstAnAuthenticatingAcs) {
  DigestAcs acs("auth");
  TestHttpServer server([&](const TestRequest& r) { return acs(r); });
  auto connection = open(server.url());
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kAuthentication);
  EXPECT_THAT(result->failure().message, HasSubstr("no username configured"));
}

TestResponse redirectTo(int status, const std::string& location) {
  TestResponse r;
  r.status = status;
  r.headers.emplace_back("Location", location);
  return r;
}

TEST_F(AcsConnectionTest, RedirectChainKeepsPostAndBodyAndTheNewUrlForTheSession) {
  TestHttpServer server([](const TestRequest& request) {
    if (request.target == "/start") return redirectTo(301, "/second");
    if (request.target == "/second") return redirectTo(302, "/third");
    if (request.target == "/third") return redirectTo(307, "/final");
    return soap("<at target=\"" + request.target + "\"/>");
  });
  auto connection = open(server.url("/start"));
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && result->ok()) << capture.joined();
  EXPECT_TRUE(result->reply().redirected);
  EXPECT_EQ(result->reply().effectiveUrl, server.url("/final"));
  EXPECT_EQ(connection->currentUrl(), server.url("/final"));
  auto second = postAndWait(loop, *connection, "");
  ASSERT_TRUE(second && second->ok());
  EXPECT_FALSE(second->reply().redirected);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 5u);
  const char* targets[] = {"/start", "/second", "/third", "/final", "/final"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(requests[i].target, targets[i]);
    EXPECT_EQ(requests[i].method, "POST") << i;
    EXPECT_EQ(requests[i].body, kInform) << i;
  }
  EXPECT_EQ(requests[4].target, "/final");
  EXPECT_EQ(requests[4].body, "");
  EXPECT_THAT(capture.joined(), HasSubstr("redirected the session"));
}

TEST_F(AcsConnectionTest, RedirectToAnotherOriginGetsTheCredentialsOnAResend) {
  DigestAcs acs("auth");
  TestHttpServer node([&](const TestRequest& r) { return acs(r); });
  TestHttpServer balancer([&](const TestRequest&) { return redirectTo(307, node.url("/node")); });
  auto connection = open(withCredentials(balancer.url()));
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && result->ok()) << capture.joined();
  EXPECT_EQ(result->reply().body, "<InformResponse/>");
  EXPECT_EQ(connection->currentUrl(), node.url("/node"));
  ASSERT_TRUE(postAndWait(loop, *connection, "")->ok());
  EXPECT_EQ(acs.accepted, 2);
  EXPECT_EQ(balancer.requests().size(), 1u);  // the rest of the session goes to the node
  for (const auto& request : node.requests()) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/node");
  }
  EXPECT_EQ(node.requests().front().body, kInform);
  EXPECT_THAT(capture.joined(), Not(HasSubstr("pa55word")));
}

TEST_F(AcsConnectionTest, RedirectToAnotherOriginWithWrongCredentialsFailsOnce) {
  DigestAcs acs("auth");
  TestHttpServer node([&](const TestRequest& r) { return acs(r); });
  TestHttpServer balancer([&](const TestRequest&) { return redirectTo(302, node.url("/node")); });
  auto connection = open(withCredentials(balancer.url(), "wrong"));
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kAuthentication);
  EXPECT_LE(node.requests().size(), 3u);
  // The next POST of the session starts afresh (one resend per POST at most).
  auto again = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(again && !again->ok());
  EXPECT_EQ(again->failure().kind, FailureKind::kAuthentication);
}

TEST_F(AcsConnectionTest, FiveRedirectsAreFollowedSixAreRefused) {
  TestHttpServer server([](const TestRequest& request) {
    // /hop/N redirects to /hop/N-1; /hop/0 answers.
    const int n = std::stoi(request.target.substr(5));
    if (n == 0) return soap("<done/>");
    return redirectTo(302, "/hop/" + std::to_string(n - 1));
  });
  auto five = open(server.url("/hop/5"));
  auto ok = postAndWait(loop, *five, kInform);
  ASSERT_TRUE(ok && ok->ok());
  EXPECT_EQ(ok->reply().body, "<done/>");
  auto six = open(server.url("/hop/6"));
  auto refused = postAndWait(loop, *six, kInform);
  ASSERT_TRUE(refused && !refused->ok());
  EXPECT_EQ(refused->failure().kind, FailureKind::kTooManyRedirects);
  EXPECT_EQ(six->currentUrl(), server.url("/hop/6"));
}

TEST_F(AcsConnectionTest, RedirectLoopIsRefused) {
  TestHttpServer server([](const TestRequest&) { return redirectTo(302, "/acs"); });
  auto connection = open(server.url());
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kTooManyRedirects);
  EXPECT_EQ(server.requests().size(), 6u);
}

TEST_F(AcsConnectionTest, NoContentAndEmptyBodyMeanNoMoreRequests) {
  std::atomic<int> call{0};
  TestHttpServer server([&](const TestRequest&) {
    TestResponse r;
    switch (call++) {
      case 0:
        r.status = 204;
        break;
      case 1:
        r.body = "";
        break;
      case 2:
        r.body = "";
        r.chunked = true;
        break;
      default:
        r = soap("<GetRPCMethods/>");
    }
    return r;
  });
  auto connection = open(server.url());
  for (int i = 0; i < 3; ++i) {
    auto result = postAndWait(loop, *connection, "");
    ASSERT_TRUE(result && result->ok()) << i;
    EXPECT_TRUE(result->reply().acsHasNoMoreRequests()) << i;
    EXPECT_EQ(result->reply().status, i == 0 ? 204 : 200);
  }
  auto result = postAndWait(loop, *connection, "");
  ASSERT_TRUE(result && result->ok());
  EXPECT_FALSE(result->reply().acsHasNoMoreRequests());
}

TEST_F(AcsConnectionTest, ChunkedResponseIsDecoded) {
  const std::string big(5000, 'x');
  TestHttpServer server([&](const TestRequest&) {
    TestResponse r = soap("<a>" + big + "</a>");
    r.chunked = true;
    return r;
  });
  auto connection = open(server.url());
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && result->ok());
  EXPECT_EQ(result->reply().body, "<a>" + big + "</a>");
}

TEST_F(AcsConnectionTest, Http500WithSoapFaultHandsOverTheBody) {
  const std::string fault = "<soap-env:Fault><FaultCode>8002</FaultCode></soap-env:Fault>";
  TestHttpServer server([&](const TestRequest&) {
    TestResponse r = soap(fault);
    r.status = 500;
    return r;
  });
  auto connection = open(server.url());
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kHttpStatus);
  EXPECT_EQ(result->failure().httpStatus, 500);
  EXPECT_EQ(result->failure().body, fault);
  EXPECT_EQ(result->failure().contentType, "text/xml; charset=utf-8");
}

TEST_F(AcsConnectionTest, OtherStatusesAreErrorsWithTheStatus) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r;
    r.status = 503;
    r.headers.emplace_back("Retry-After", "60");
    return r;
  });
  auto connection = open(server.url());
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kHttpStatus);
  EXPECT_EQ(result->failure().httpStatus, 503);
  EXPECT_THAT(capture.joined(), HasSubstr("answered HTTP 503"));
}

TEST_F(AcsConnectionTest, ResponseBodyCapWithAndWithoutContentLength) {
  for (bool chunked : {false, true}) {
    TestHttpServer server([&](const TestRequest&) {
      TestResponse r = soap(std::string(4096, 'y'));
      r.chunked = chunked;
      return r;
    });
    ConnectionSettings settings;
    settings.url = server.url();
    settings.maxResponseBytes = 4000;
    auto connection = open(settings);
    auto result = postAndWait(loop, *connection, kInform);
    ASSERT_TRUE(result && !result->ok()) << chunked;
    EXPECT_EQ(result->failure().kind, FailureKind::kBodyTooLarge) << chunked;
    EXPECT_THAT(result->failure().message, HasSubstr("larger than 4000 bytes"));
    settings.maxResponseBytes = 4096;
    auto roomy = open(settings);
    auto fits = postAndWait(loop, *roomy, kInform);
    ASSERT_TRUE(fits && fits->ok()) << chunked;
    EXPECT_EQ(fits->reply().body.size(), 4096u);
  }
}

int closedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(AcsConnectionTest, ConnectionRefused) {
  auto connection = open("http://127.0.0.1:" + std::to_string(closedPort()) + "/acs");
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kConnect);
  EXPECT_THAT(capture.joined(), HasSubstr("cannot connect to ACS"));
}

TEST_F(AcsConnectionTest, ServerClosingMidResponse) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = soap(std::string(2000, 'z'));
    r.cutAfterBytes = 120;  // headers and a few body bytes
    return r;
  });
  auto connection = open(server.url());
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kConnectionDropped);
}

TEST_F(AcsConnectionTest, ServerClosingWithoutAnswer) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r;
    r.cutAfterBytes = 0;
    return r;
  });
  auto connection = open(server.url());
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kConnectionDropped);
}

// libcurl sends a request again on a new connection when a reused one dies without an answer;
// within a CWMP session that would be a silent retransmission (cwmp.md 1.5), so it is refused.
TEST_F(AcsConnectionTest, DroppedSessionConnectionIsNotSilentlyReplacedByANewOne) {
  std::atomic<int> seen{0};
  TestHttpServer server([&](const TestRequest&) {
    TestResponse r = soap("<InformResponse/>");
    if (++seen >= 2) r.cutAfterBytes = 0;  // close without answering
    return r;
  });
  auto connection = open(server.url());
  auto first = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(first && first->ok());
  auto second = postAndWait(loop, *connection, "");
  ASSERT_TRUE(second && !second->ok());
  EXPECT_EQ(second->failure().kind, FailureKind::kConnectionDropped);
  EXPECT_THAT(second->failure().message, HasSubstr("not sent again"));
  EXPECT_EQ(server.requests().size(), 2u) << "the empty POST was sent twice";
  EXPECT_EQ(server.connections(), 1u);
}

TEST_F(AcsConnectionTest, ConnectionCloseAnnouncedByTheAcsAllowsANewConnection) {
  TestHttpServer server([](const TestRequest& request) {
    TestResponse r = soap("<Response/>");
    r.close = !request.body.empty();  // the InformResponse ends the connection
    return r;
  });
  auto connection = open(server.url());
  auto first = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(first && first->ok());
  auto second = postAndWait(loop, *connection, "");
  ASSERT_TRUE(second && second->ok()) << second->failure().message;
  EXPECT_EQ(server.connections(), 2u);
}

TEST_F(AcsConnectionTest, SlowServerHitsTheRequestTimeout) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = soap("<late/>");
    r.delay = std::chrono::seconds(20);  // interrupted when the server stops
    return r;
  });
  ConnectionSettings settings;
  settings.url = server.url();
  settings.requestTimeout = std::chrono::milliseconds(300);
  auto connection = open(settings);
  auto result = postAndWait(loop, *connection, kInform);
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kTimeout);
  EXPECT_THAT(capture.joined(), HasSubstr("timed out"));
}

TEST_F(AcsConnectionTest, SecondPostWhileBusyIsRefused) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = soap("<x/>");
    r.delay = std::chrono::milliseconds(200);
    return r;
  });
  auto connection = open(server.url());
  std::optional<PostResult> first;
  connection->post(kInform, [&](PostResult r) { first.emplace(std::move(r)); });
  EXPECT_TRUE(connection->busy());
  auto second = postAndWait(loop, *connection, "<again/>");
  ASSERT_TRUE(second && !second->ok());
  EXPECT_EQ(second->failure().kind, FailureKind::kBusy);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!first && std::chrono::steady_clock::now() < deadline) {
    loop.runOnce(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(first && first->ok());
  EXPECT_FALSE(connection->busy());
}

TEST_F(AcsConnectionTest, DestroyingTheSessionMidRequestNeverCallsBack) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = soap("<x/>");
    r.delay = std::chrono::seconds(20);
    return r;
  });
  auto connection = open(server.url());
  bool called = false;
  connection->post(kInform, [&](PostResult) { called = true; });
  for (int i = 0; i < 100 && server.requests().empty(); ++i) {
    loop.runOnce(std::chrono::milliseconds(20));
  }
  connection.reset();
  for (int i = 0; i < 5; ++i)
    loop.runOnce(std::chrono::milliseconds(10));
  EXPECT_FALSE(called);
}

TEST_F(AcsConnectionTest, CallbackMayEndTheSession) {
  TestHttpServer server([](const TestRequest&) { return soap("<x/>"); });
  auto connection = open(server.url());
  bool called = false;
  connection->post(kInform, [&](PostResult r) {
    called = r.ok();
    connection.reset();
  });
  for (int i = 0; i < 400 && !called; ++i)
    loop.runOnce(std::chrono::milliseconds(50));
  EXPECT_TRUE(called);
  EXPECT_EQ(connection, nullptr);
}

TEST_F(AcsConnectionTest, InvalidUrlsAreRefused) {
  ConnectionSettings settings;
  settings.url = "ftp://127.0.0.1/acs";
  EXPECT_FALSE(client.openSession(settings).ok());
  settings.url = "";
  EXPECT_FALSE(client.openSession(settings).ok());
}

TEST(RedactUrl, DropsUserInformation) {
  EXPECT_EQ(redactUrl("http://user:secret@acs.example.com:7547/cwmp"),
            "http://acs.example.com:7547/cwmp");
  EXPECT_EQ(redactUrl("https://acs.example.com/"), "https://acs.example.com/");
}

}  // namespace
}  // namespace tr69::transport
