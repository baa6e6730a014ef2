// The test ACS over HTTPS with certificates created at run time: a valid server certificate is
// accepted, an expired one and one for a wrong host are refused by a verifying client, and the
// client-certificate-required mode admits only a certificate from the test CA.
#include <gtest/gtest.h>

#include "acs/agent_process.h"
#include "acs/fake_cpe.h"
#include "acs/test_acs.h"
#include "acs/tls_certs.h"

namespace tr69::testacs {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto created = createTestPki();
    ASSERT_TRUE(created.ok()) << created.fault().message;
    pki_ = new TestPki(std::move(*created));
    directory_ = new TempDirectory("tr69-tls");
    ASSERT_TRUE(pki_->writeTo(directory_->path()).ok());
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete directory_;
  }
  static std::string file(const std::string& name) { return directory_->path() + "/" + name; }

  // Starts an HTTPS ACS with `pair`; returns the reply to an Inform from a verifying client.
  FakeCpe::Reply informOverTls(const PemPair& pair, bool requireClient,
                               const std::string& clientName = "") {
    AcsOptions options;
    TlsSettings tls{pair.certificate, pair.privateKey, "", false};
    if (requireClient) {
      tls.trustedClientCaPem = pki_->ca.certificate;
      tls.requireClientCertificate = true;
    }
    options.http.tls = tls;
    EXPECT_TRUE(acs_.start(options).ok());
    FakeCpe cpe;
    if (clientName.empty()) {
      cpe.setTls(file("ca.pem"));
    } else {
      cpe.setTls(file("ca.pem"), file(clientName + ".pem"), file(clientName + ".key"));
    }
    return cpe.post(acs_.url(), informXml({}));
  }

  static TestPki* pki_;
  static TempDirectory* directory_;
  TestAcs acs_;
};

TestPki* TlsTest::pki_ = nullptr;
TempDirectory* TlsTest::directory_ = nullptr;

TEST_F(TlsTest, ValidCertificateIsAccepted) {
  FakeCpe::Reply reply = informOverTls(pki_->server, false);
  EXPECT_EQ(reply.status, 200) << reply.error;
  EXPECT_EQ(acs_.url().rfind("https://127.0.0.1:", 0), 0u);
  EXPECT_EQ(acs_.sessionCount(), 1u);
}

TEST_F(TlsTest, ExpiredCertificateIsRefusedByAVerifyingClient) {
  FakeCpe::Reply reply = informOverTls(pki_->expired, false);
  EXPECT_EQ(reply.status, 0);
  EXPECT_FALSE(reply.error.empty());
  EXPECT_EQ(acs_.sessionCount(), 0u);
}

TEST_F(TlsTest, WrongHostCertificateIsRefusedByAVerifyingClient) {
  FakeCpe::Reply reply = informOverTls(pki_->wrongHost, false);
  EXPECT_EQ(reply.status, 0);
  EXPECT_FALSE(reply.error.empty());
  EXPECT_EQ(acs_.sessionCount(), 0u);
}

TEST_F(TlsTest, ClientCertificateRequiredAdmitsOnlyTheTestCa) {
  FakeCpe::Reply without = informOverTls(pki_->server, true);
  EXPECT_NE(without.status, 200);
  acs_.stop();
  FakeCpe::Reply untrusted = informOverTls(pki_->server, true, "untrusted-client");
  EXPECT_NE(untrusted.status, 200);
  acs_.stop();
  FakeCpe::Reply with = informOverTls(pki_->server, true, "client");
  EXPECT_EQ(with.status, 200) << with.error;
  EXPECT_EQ(acs_.sessionCount(), 1u);
}

}  // namespace
}  // namespace tr69::testacs
