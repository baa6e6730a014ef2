// HTTPS to the ACS: trust, host verification, the "server authentication required" switch and
// client certificates, against a private CA made with the openssl CLI for this test run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_http_server.h"
#include "tr69/transport/acs_connection.h"
#include "transport_test_util.h"

namespace tr69::transport {
namespace {

using ::testing::HasSubstr;
using testing::postAndWait;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;
using testing::TlsServerConfig;

namespace fs = std::filesystem;

class Pki {
 public:
  Pki() {
    std::string tmpl = (fs::temp_directory_path() / "tr69-tls-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data()) != nullptr ? fs::path(tmpl) : fs::path();
    ok_ = !dir_.empty() &&
          run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
              "-keyout ca.key -out ca.pem -days 2 -subj '/CN=tr69 test CA'") &&
          run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
              "-keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=unrelated CA'") &&
          issue("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost") &&
          issue("wronghost", "acs.example.invalid", "subjectAltName=DNS:acs.example.invalid") &&
          issue("client", "00D0D0-SIPPhone-ABC123", "extendedKeyUsage=clientAuth");
    if (ok_) {
      std::ofstream combined(path("client-combined.pem"));
      std::ifstream cert(path("client.pem")), key(path("client.key"));
      combined << cert.rdbuf() << key.rdbuf();
    }
  }
  ~Pki() {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  TlsServerConfig server(const std::string& name = "server") const {
    return TlsServerConfig{path(name + ".pem"), path(name + ".key"), {}, false};
  }

 private:
  bool run(const std::string& command) {
    return std::system(("cd '" + dir_.string() + "' && " + command + " >/dev/null 2>&1").c_str()) ==
           0;
  }
  bool issue(const std::string& name, const std::string& cn, const std::string& extension) {
    std::ofstream(dir_ / (name + ".ext")) << extension << "\n";
    return run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
               name + ".key -out " + name + ".csr -subj '/CN=" + cn + "'") &&
           run("openssl x509 -req -in " + name +
               ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -out " + name +
               ".pem -days 2 -extfile " + name + ".ext");
  }
  fs::path dir_;
  bool ok_ = false;
};

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki = new Pki(); }
  static void TearDownTestSuite() {
    delete pki;
    pki = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(pki->ok()) << "openssl CLI could not create the test PKI"; }

  ConnectionSettings settings(const std::string& url) const {
    ConnectionSettings s;
    s.url = url;
    s.tls.caFile = pki->path("ca.pem");
    s.tls.verifyServer = true;
    return s;
  }
  std::unique_ptr<AcsConnection> open(const ConnectionSettings& s) {
    auto connection = client.openSession(s);
    EXPECT_TRUE(connection.ok()) << (connection.ok() ? "" : connection.fault().message);
    return connection.ok() ? std::move(connection.value()) : nullptr;
  }
  static TestResponse echoPeer(const TestRequest& request) {
    TestResponse r;
    r.headers.emplace_back("Content-Type", "text/xml");
    r.body = "<peer cn=\"" + request.peerCommonName + "\"/>";
    return r;
  }

  static Pki* pki;
  EventLoop loop;
  LogCapture capture;
  Logger logger = capture.logger();
  HttpClient client{loop, logger};
};
Pki* TlsTest::pki = nullptr;

TEST_F(TlsTest, VerifiedHttpsSessionReusesOneConnection) {
  TestHttpServer server(echoPeer, pki->server());
  auto connection = open(settings(server.url()));
  for (int i = 0; i < 3; ++i) {
    auto result = postAndWait(loop, *connection, i == 1 ? "" : "<Inform/>");
    ASSERT_TRUE(result && result->ok()) << capture.joined();
    EXPECT_EQ(result->reply().newConnections, i == 0 ? 1 : 0);
    EXPECT_EQ(result->reply().body, "<peer cn=\"\"/>");
  }
  EXPECT_EQ(server.connections(), 1u);
}

TEST_F(TlsTest, UntrustedServerIsRefusedWhenAuthenticationIsRequired) {
  TestHttpServer server(echoPeer, pki->server());
  ConnectionSettings s = settings(server.url());
  s.tls.caFile = pki->path("other-ca.pem");  // not the issuing CA
  auto connection = open(s);
  auto result = postAndWait(loop, *connection, "<Inform/>");
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kTls);
  EXPECT_THAT(capture.joined(), HasSubstr("TLS failure with ACS"));
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(TlsTest, WrongHostIsRefusedWhenAuthenticationIsRequired) {
  TestHttpServer server(echoPeer, pki->server("wronghost"));
  auto connection = open(settings(server.url()));
  auto result = postAndWait(loop, *connection, "<Inform/>");
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kTls);
  EXPECT_THAT(result->failure().message, HasSubstr("127.0.0.1"));
  EXPECT_TRUE(server.requests().empty());
  EXPECT_THAT(capture.joined(), HasSubstr("TLS failure"));
}

TEST_F(TlsTest, WrongHostIsAcceptedWhenAuthenticationIsNotRequired) {
  TestHttpServer server(echoPeer, pki->server("wronghost"));
  ConnectionSettings s = settings(server.url());
  s.tls.verifyServer = false;
  auto connection = open(s);
  auto result = postAndWait(loop, *connection, "<Inform/>");
  ASSERT_TRUE(result && result->ok()) << capture.joined();
  EXPECT_THAT(capture.joined(), HasSubstr("not verified"));
}

TEST_F(TlsTest, ClientCertificateIsSentWhenConfigured) {
  TlsServerConfig config = pki->server();
  config.clientCaFile = pki->path("ca.pem");
  config.requireClientCert = true;
  TestHttpServer server(echoPeer, config);
  ConnectionSettings s = settings(server.url());
  s.tls.clientCertFile = pki->path("client.pem");
  s.tls.clientKeyFile = pki->path("client.key");
  auto connection = open(s);
  auto result = postAndWait(loop, *connection, "<Inform/>");
  ASSERT_TRUE(result && result->ok()) << capture.joined();
  EXPECT_EQ(result->reply().body, "<peer cn=\"00D0D0-SIPPhone-ABC123\"/>");
}

TEST_F(TlsTest, KeyFileHoldingTheCertificateToo) {
  TlsServerConfig config = pki->server();
  config.clientCaFile = pki->path("ca.pem");
  config.requireClientCert = true;
  TestHttpServer server(echoPeer, config);
  ConnectionSettings s = settings(server.url());
  s.tls.clientKeyFile = pki->path("client-combined.pem");
  auto connection = open(s);
  auto result = postAndWait(loop, *connection, "<Inform/>");
  ASSERT_TRUE(result && result->ok()) << capture.joined();
  EXPECT_EQ(result->reply().body, "<peer cn=\"00D0D0-SIPPhone-ABC123\"/>");
}

TEST_F(TlsTest, MissingClientCertificateFailsAgainstAnAcsThatRequiresOne) {
  TlsServerConfig config = pki->server();
  config.clientCaFile = pki->path("ca.pem");
  config.requireClientCert = true;
  TestHttpServer server(echoPeer, config);
  auto connection = open(settings(server.url()));
  auto result = postAndWait(loop, *connection, "<Inform/>");
  ASSERT_TRUE(result && !result->ok());
  EXPECT_EQ(result->failure().kind, FailureKind::kTls) << result->failure().message;
  EXPECT_THAT(capture.joined(), HasSubstr("TLS failure with ACS"));
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(TlsTest, UnreadableTlsFilesAreReportedAtSessionStart) {
  ConnectionSettings s = settings("https://127.0.0.1:1/acs");
  s.tls.caFile = pki->path("does-not-exist.pem");
  auto connection = client.openSession(s);
  ASSERT_FALSE(connection.ok());
  EXPECT_THAT(connection.fault().message, HasSubstr("trusted certificates file not readable"));
  s.tls.caFile.clear();
  s.tls.clientKeyFile = pki->path("nope.key");
  ASSERT_FALSE(client.openSession(s).ok());
}

TEST_F(TlsTest, HttpsSessionRefusesARedirectToPlainHttp) {
  TestHttpServer plain([](const TestRequest&) { return TestResponse{}; });
  TestHttpServer server(
      [&](const TestRequest&) {
        TestResponse r;
        r.status = 302;
        r.headers.emplace_back("Location", plain.url());
        return r;
      },
      pki->server());
  auto connection = open(settings(server.url()));
  auto result = postAndWait(loop, *connection, "<Inform/>");
  ASSERT_TRUE(result && !result->ok());
  EXPECT_THAT(result->failure().message, HasSubstr("refused redirect"));
  EXPECT_TRUE(plain.requests().empty());
}

}  // namespace
}  // namespace tr69::transport
