#include "tr69/config/tr69_settings.h"

#include <gtest/gtest.h>

#include "tr69/config/config_value.h"

namespace tr69::config {
namespace {

class Tr69SettingsTest : public ::testing::Test {
 protected:
  Tr69Settings load(std::string_view text) {
    file_ = ConfigFile::parse(text, "aastra.cfg", log_);
    snapshot_ = ConfigSnapshot::resolve({&file_, nullptr, nullptr, nullptr});
    return Tr69Settings::fromSnapshot(snapshot_, log_);
  }
  LogCapture capture_;
  Logger log_ = capture_.logger();
  ConfigFile file_;
  ConfigSnapshot snapshot_;
};

TEST_F(Tr69SettingsTest, DefaultsWhenNothingIsConfigured) {
  const Tr69Settings s = load("");
  EXPECT_EQ(s, Tr69Settings{});
  EXPECT_EQ(s.acsUrl(), "");
  EXPECT_EQ(s.connectionRequestPort, 7547);
  EXPECT_EQ(s.connectionRequestUrlPath(), "/");
  EXPECT_FALSE(s.periodicInformEnable);
  EXPECT_EQ(s.periodicInformInterval, 3600u);
  EXPECT_EQ(s.periodicInformTime, "1970-01-01T00:00:00");
  EXPECT_FALSE(s.serverAuthenticationRequired);
}

TEST_F(Tr69SettingsTest, EveryKeyIsRead) {
  const Tr69Settings s = load(
      "tr69 server: https://127.0.0.1/acs\n"
      "tr69 server port: 8443\n"
      "tr69 username: cpe-user\n"
      "tr69 password: cpe-pass\n"
      "tr69 connection request username: acs-user\n"
      "tr69 connection request password: acs-pass\n"
      "tr69 connection request path: /aastra/tr69\n"
      "tr69 connection request port: 12345\n"
      "tr69 periodic inform enable: true\n"
      "tr69 periodic inform interval: 600\n"
      "tr69 periodic inform time: 0001-01-01T00:00:00\n"
      "tr69 trusted certificates: trusted.pem\n"
      "tr69 private key: ftp://127.0.0.1/privateKey.pem\n"
      "tr69 server authentication required: 1\n");
  EXPECT_EQ(s.server, "https://127.0.0.1/acs");
  EXPECT_EQ(s.serverPort, 8443);
  EXPECT_EQ(s.acsUrl(), "https://127.0.0.1:8443/acs");
  EXPECT_EQ(s.username, "cpe-user");
  EXPECT_EQ(s.password, "cpe-pass");
  EXPECT_EQ(s.connectionRequestUsername, "acs-user");
  EXPECT_EQ(s.connectionRequestPassword, "acs-pass");
  EXPECT_EQ(s.connectionRequestPath, "aastra/tr69");
  EXPECT_EQ(s.connectionRequestUrlPath(), "/aastra/tr69");
  EXPECT_EQ(s.connectionRequestPort, 12345);
  EXPECT_TRUE(s.periodicInformEnable);
  EXPECT_EQ(s.periodicInformInterval, 600u);
  EXPECT_EQ(s.periodicInformTime, "0001-01-01T00:00:00");
  EXPECT_EQ(s.trustedCertificates, "trusted.pem");
  EXPECT_EQ(s.privateKey, "ftp://127.0.0.1/privateKey.pem");
  EXPECT_TRUE(s.serverAuthenticationRequired);
  EXPECT_TRUE(capture_.lines().empty()) << capture_.joined();
}

TEST_F(Tr69SettingsTest, AcsUrlFromServerAndPort) {
  EXPECT_EQ(load("tr69 server: http://10.30.105.127\n").acsUrl(), "http://10.30.105.127");
  EXPECT_EQ(load("tr69 server: 10.30.105.127\n").acsUrl(), "http://10.30.105.127");
  EXPECT_EQ(load("tr69 server: 127.0.0.1\ntr69 server port: 7547\n").acsUrl(),
            "http://127.0.0.1:7547");
  EXPECT_EQ(load("tr69 server: HTTP://acs.local:80/x?y=1\ntr69 server port: 8080\n").acsUrl(),
            "http://acs.local:8080/x?y=1");
  EXPECT_EQ(load("tr69 server: https://[::1]:9/c\n").acsUrl(), "https://[::1]:9/c");
}

TEST_F(Tr69SettingsTest, InvalidValuesFallBackToDefaultsAndAreLogged) {
  const Tr69Settings s = load(
      "tr69 server: ftp://127.0.0.1\n"
      "tr69 server port: 70000\n"
      "tr69 connection request port: 0\n"
      "tr69 connection request path: has space\n"
      "tr69 periodic inform enable: yes\n"
      "tr69 periodic inform interval: 0\n"
      "tr69 periodic inform time: 2026-02-30T00:00:00\n"
      "tr69 server authentication required: maybe\n");
  EXPECT_EQ(s, Tr69Settings{});
  EXPECT_TRUE(capture_.contains("aastra.cfg:1: invalid value for key 'tr69 server'"))
      << capture_.joined();
  EXPECT_TRUE(capture_.contains("aastra.cfg:2: invalid value for key 'tr69 server port'"));
  EXPECT_TRUE(
      capture_.contains("aastra.cfg:3: invalid value for key 'tr69 connection request "
                        "port'"));
  EXPECT_TRUE(capture_.contains("aastra.cfg:5:"));
  EXPECT_TRUE(capture_.contains("aastra.cfg:6:"));
  EXPECT_TRUE(capture_.contains("aastra.cfg:7:"));
  EXPECT_TRUE(capture_.contains("aastra.cfg:8:"));
  EXPECT_TRUE(capture_.contains("value '70000'"));
}

TEST_F(Tr69SettingsTest, EmptyValueMeansDefault) {
  const Tr69Settings s =
      load("tr69 periodic inform enable:\ntr69 periodic inform interval:\ntr69 server:\n");
  EXPECT_EQ(s, Tr69Settings{});
  EXPECT_TRUE(capture_.lines().empty()) << capture_.joined();
}

TEST_F(Tr69SettingsTest, BooleansInAnyCase) {
  EXPECT_TRUE(load("tr69 periodic inform enable: TRUE\n").periodicInformEnable);
  EXPECT_TRUE(load("tr69 periodic inform enable: 1\n").periodicInformEnable);
  EXPECT_FALSE(load("tr69 periodic inform enable: False\n").periodicInformEnable);
}

TEST(Tr69DateTimeTest, Normalize) {
  EXPECT_EQ(normalizeDateTime("2026-01-01T00:00:00"), "2026-01-01T00:00:00");
  EXPECT_EQ(normalizeDateTime("2026-01-01T00:00:00Z"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(normalizeDateTime("2026-01-01T00:00:00.123Z"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(normalizeDateTime("2026-01-01T00:00:00+00:00"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(normalizeDateTime("0001-01-01T00:00:00Z"), "0001-01-01T00:00:00Z");
  EXPECT_EQ(normalizeDateTime("2024-02-29T23:59:59"), "2024-02-29T23:59:59");
  for (const char* bad :
       {"", "2026-01-01", "2026-01-01 00:00:00", "2026-13-01T00:00:00", "2023-02-29T00:00:00",
        "2026-01-01T24:00:00", "2026-01-01T00:60:00", "2026-01-01T00:00:60", "0000-01-01T00:00:00",
        "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00ZZ",
        "2026-1-01T00:00:00", "+026-01-01T00:00:00"}) {
    EXPECT_EQ(normalizeDateTime(bad), std::nullopt) << bad;
  }
}

TEST(Tr69UrlTest, Parse) {
  auto parts = parseAcsUrl("https://acs.example:8443/cwmp");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->scheme, "https");
  EXPECT_EQ(parts->host, "acs.example");
  EXPECT_EQ(parts->port, 8443);
  EXPECT_EQ(parts->pathAndQuery, "/cwmp");
  for (const char* bad : {"", "acs.example", "ftp://x", "http://", "http://:80", "http://h:0",
                          "http://h:65536", "http://h:x", "http://user@h", "http://h/a b",
                          "http://[::1", "http://[zz]", "http://h\x01"}) {
    EXPECT_FALSE(parseAcsUrl(bad)) << bad;
  }
}

TEST(ManagementServerKeysTest, Table) {
  EXPECT_EQ(managementServerKey("URL"), "tr69 server");
  EXPECT_EQ(managementServerKey("PeriodicInformInterval"), "tr69 periodic inform interval");
  EXPECT_EQ(managementServerKey("ParameterKey"), std::nullopt);
  for (const auto& entry : kManagementServerKeys)
    EXPECT_EQ(normalizeKey(entry.key), entry.key);
}

TEST(ManagementServerKeysTest, WritesConvertValues) {
  LocalEdit edit;
  ASSERT_TRUE(addManagementServerWrite(edit, "URL", "http://127.0.0.1/acs").ok());
  ASSERT_TRUE(addManagementServerWrite(edit, "PeriodicInformEnable", "false").ok());
  ASSERT_TRUE(
      addManagementServerWrite(edit, "PeriodicInformTime", "2026-01-01T00:00:00+00:00").ok());
  ASSERT_EQ(edit.operations().size(), 4u);
  EXPECT_EQ(edit.operations()[0].key, "tr69 server");
  EXPECT_EQ(edit.operations()[1].key, "tr69 server port");
  EXPECT_EQ(edit.operations()[1].value, "80");
  EXPECT_EQ(edit.operations()[2].value, "0");
  EXPECT_EQ(edit.operations()[3].value, "2026-01-01T00:00:00Z");
}

TEST(ManagementServerKeysTest, InvalidWritesChangeNothing) {
  LocalEdit edit;
  EXPECT_EQ(addManagementServerWrite(edit, "ParameterKey", "x").fault().code,
            FaultCode::kInvalidParameterName);
  EXPECT_EQ(addManagementServerWrite(edit, "URL", "ftp://x").fault().code,
            FaultCode::kInvalidParameterValue);
  EXPECT_EQ(addManagementServerWrite(edit, "URL", "").fault().code,
            FaultCode::kInvalidParameterValue);
  EXPECT_EQ(addManagementServerWrite(edit, "PeriodicInformEnable", "yes").fault().code,
            FaultCode::kInvalidParameterValue);
  EXPECT_EQ(addManagementServerWrite(edit, "PeriodicInformInterval", "0").fault().code,
            FaultCode::kInvalidParameterValue);
  EXPECT_EQ(addManagementServerWrite(edit, "PeriodicInformTime", "tomorrow").fault().code,
            FaultCode::kInvalidParameterValue);
  EXPECT_EQ(addManagementServerWrite(edit, "Username", std::string(257, 'u')).fault().code,
            FaultCode::kInvalidParameterValue);
  EXPECT_EQ(addManagementServerWrite(edit, "Password", "a\nb").fault().code,
            FaultCode::kInvalidParameterValue);
  EXPECT_TRUE(edit.empty());
}

TEST(Tr69SettingsChangesTest, NamesOnly) {
  Tr69Settings a;
  Tr69Settings b;
  b.password = "new";
  b.serverPort = 1;
  EXPECT_EQ(changedSettings(a, b), (std::vector<std::string_view>{"serverPort", "password"}));
  EXPECT_TRUE(changedSettings(a, a).empty());
}

TEST_F(Tr69SettingsTest, SecretValuesAreNotLogged) {
  // Secret keys have no validation that could fail; make sure a failing non-secret key does not
  // drag a secret along either.
  load("tr69 password: s3cr3t\ntr69 server port: nope\n");
  EXPECT_FALSE(capture_.contains("s3cr3t"));
}

}  // namespace
}  // namespace tr69::config
