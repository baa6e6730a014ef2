#include "tr69/config/config_file.h"

#include <gtest/gtest.h>

#include <string>

#include "tr69/config/config_value.h"

namespace tr69::config {
namespace {

class ConfigFileTest : public ::testing::Test {
 protected:
  ConfigFile parse(std::string_view text) { return ConfigFile::parse(text, "test.cfg", log_); }
  LogCapture capture_;
  Logger log_ = capture_.logger();
};

TEST_F(ConfigFileTest, ParsesKeysValuesCommentsAndBlankLines) {
  const std::string text =
      "#aastra default config file\n"
      "\n"
      "sip line1 auth name: 1001\n"
      "  SIP   Line1\tUser Name :1002  \n"
      "sip dial plan: \"x+^\"\n";
  const ConfigFile file = parse(text);
  ASSERT_EQ(file.entries().size(), 3u);
  EXPECT_EQ(file.lines().size(), 5u);
  EXPECT_EQ(file.entries()[0].key, "sip line1 auth name");
  EXPECT_EQ(file.entries()[0].value, "1001");
  EXPECT_EQ(file.entries()[0].lineNumber, 3u);
  EXPECT_EQ(file.entries()[1].key, "sip line1 user name");
  EXPECT_EQ(file.entries()[1].rawKey, "SIP   Line1\tUser Name");
  EXPECT_EQ(file.entries()[1].value, "1002");
  EXPECT_EQ(file.entries()[2].value, "x+^");
  EXPECT_EQ(file.badLines(), 0u);
  EXPECT_EQ(file.serialize(), text);
}

TEST_F(ConfigFileTest, LockAndForcePrefixes) {
  const ConfigFile file =
      parse("!admin password: 22222\n^sip proxy ip: 10.0.0.1\n!^ sip proxy port: 5060\n");
  ASSERT_EQ(file.entries().size(), 3u);
  EXPECT_TRUE(file.entries()[0].locked);
  EXPECT_FALSE(file.entries()[0].forceDefault);
  EXPECT_EQ(file.entries()[0].key, "admin password");
  EXPECT_TRUE(file.entries()[1].forceDefault);
  EXPECT_FALSE(file.entries()[1].locked);
  EXPECT_TRUE(file.entries()[2].locked);
  EXPECT_TRUE(file.entries()[2].forceDefault);
  EXPECT_EQ(file.entries()[2].key, "sip proxy port");
}

TEST_F(ConfigFileTest, QuotesOnlyOnePairStripped) {
  const ConfigFile file =
      parse("a: \"\"x\"\"\nb: \"unterminated\nc: in\"side\nd: \" spaced \"\ne: \"\"\nf:\n");
  EXPECT_EQ(file.find("a")->value, "\"x\"");
  EXPECT_EQ(file.find("b")->value, "\"unterminated");
  EXPECT_EQ(file.find("c")->value, "in\"side");
  EXPECT_EQ(file.find("d")->value, " spaced ");
  EXPECT_EQ(file.find("e")->value, "");
  EXPECT_EQ(file.find("f")->value, "");
}

TEST_F(ConfigFileTest, TrailingHashIsPartOfTheValue) {
  const ConfigFile file = parse("sip dtmf method: 1 # SIP INFO\n");
  EXPECT_EQ(file.find("sip dtmf method")->value, "1 # SIP INFO");
}

TEST_F(ConfigFileTest, ValueMayContainColons) {
  const ConfigFile file = parse("tr69 server: https://acs.example:7547/cwmp\n");
  EXPECT_EQ(file.find("tr69 server")->value, "https://acs.example:7547/cwmp");
}

TEST_F(ConfigFileTest, DuplicateKeysLastWins) {
  const ConfigFile file = parse("sip proxy ip: one\nSIP PROXY IP: two\n");
  EXPECT_EQ(file.entries().size(), 2u);
  EXPECT_EQ(file.find("sip proxy ip")->value, "two");
  EXPECT_EQ(file.find("sip proxy ip")->lineNumber, 2u);
}

TEST_F(ConfigFileTest, BadLinesAreLoggedWithFileLineAndKeyAndSkipped) {
  const std::string text =
      "good one: 1\n"
      "no colon here\n"
      ": no key\n"
      "!: locked nothing\n"
      "bad\x01key: 2\n"
      "bad value: a\x7f"
      "b\n"
      "good two: 2\n";
  const ConfigFile file = parse(text);
  EXPECT_EQ(file.entries().size(), 2u);
  EXPECT_EQ(file.badLines(), 5u);
  EXPECT_EQ(file.find("good two")->value, "2");
  EXPECT_TRUE(capture_.contains("test.cfg:2: no ':' after the key (key 'no colon here')"))
      << capture_.joined();
  EXPECT_TRUE(capture_.contains("test.cfg:3: empty key")) << capture_.joined();
  EXPECT_TRUE(capture_.contains("test.cfg:4: empty key")) << capture_.joined();
  EXPECT_TRUE(capture_.contains("test.cfg:5: control character (key 'bad?key')"))
      << capture_.joined();
  EXPECT_TRUE(capture_.contains("test.cfg:6: control character (key 'bad value')"))
      << capture_.joined();
  EXPECT_EQ(file.serialize(), text);
}

TEST_F(ConfigFileTest, SecretsNeverReachTheLog) {
  parse(
      "sip line1 password\x01: hunter2secret\n"
      "sip line1 password hunter2secret\n"
      "tr69 private key: \xff\xfe"
      "topsecret\n");
  const std::string logged = capture_.joined();
  EXPECT_EQ(logged.find("hunter2secret"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("topsecret"), std::string::npos) << logged;
  EXPECT_NE(logged.find("test.cfg:2"), std::string::npos) << logged;
  EXPECT_NE(logged.find("test.cfg:3: invalid UTF-8 (key 'tr69 private key')"), std::string::npos)
      << logged;
}

TEST_F(ConfigFileTest, CrlfLineEndsAreAcceptedAndKept) {
  const std::string text = "a: 1\r\nb: 2\r\n\r\n# c\r\n";
  const ConfigFile file = parse(text);
  ASSERT_EQ(file.entries().size(), 2u);
  EXPECT_EQ(file.find("a")->value, "1");
  EXPECT_EQ(file.find("b")->value, "2");
  EXPECT_EQ(file.badLines(), 0u);
  EXPECT_EQ(file.serialize(), text);
}

TEST_F(ConfigFileTest, MissingFinalNewline) {
  const ConfigFile file = parse("a: 1\nb: 2");
  EXPECT_EQ(file.find("b")->value, "2");
  EXPECT_EQ(file.lines().back().ending, "");
  EXPECT_EQ(file.serialize(), "a: 1\nb: 2");
}

TEST_F(ConfigFileTest, Utf8BomAndUtf8Values) {
  const std::string text = "\xEF\xBB\xBFsip line1 screen name: Zürich 東京\n";
  const ConfigFile file = parse(text);
  ASSERT_NE(file.find("sip line1 screen name"), nullptr);
  EXPECT_EQ(file.find("sip line1 screen name")->value, "Zürich 東京");
  EXPECT_EQ(file.serialize(), text);
}

TEST_F(ConfigFileTest, InvalidUtf8IsABadLine) {
  for (const std::string bad :
       {"k: \xC0\xAF\n", "k: \xED\xA0\x80\n", "k: \xF4\x90\x80\x80\n", "k: \xE2\x82\n"}) {
    const ConfigFile file = parse(bad);
    EXPECT_EQ(file.entries().size(), 0u);
    EXPECT_EQ(file.badLines(), 1u);
  }
}

TEST_F(ConfigFileTest, NulBytesAreBadLinesAndKeptVerbatim) {
  const std::string text("a: 1\nb\0c: 2\nd: 3\0\ne: 4\n", 22);
  const ConfigFile file = parse(text);
  EXPECT_EQ(file.entries().size(), 2u);
  EXPECT_EQ(file.badLines(), 2u);
  EXPECT_EQ(file.find("e")->value, "4");
  EXPECT_EQ(file.serialize(), text);
}

TEST_F(ConfigFileTest, HugeLineIsSkipped) {
  const std::string text = "before: 1\nhuge: " + std::string(kMaxLineBytes, 'x') + "\nafter: 2\n";
  const ConfigFile file = parse(text);
  EXPECT_EQ(file.entries().size(), 2u);
  EXPECT_EQ(file.find("huge"), nullptr);
  EXPECT_TRUE(capture_.contains("test.cfg:2: line longer than 4096 bytes (key 'huge')"));
  EXPECT_EQ(file.serialize(), text);
}

TEST_F(ConfigFileTest, LineOfExactlyTheLimitIsAccepted) {
  const std::string line = "k: " + std::string(kMaxLineBytes - 3, 'v');
  const ConfigFile file = parse(line + "\n");
  ASSERT_NE(file.find("k"), nullptr);
  EXPECT_EQ(file.find("k")->value.size(), kMaxLineBytes - 3);
}

TEST_F(ConfigFileTest, BinaryGarbageLosesNothingAndRoundTrips) {
  std::string text;
  unsigned seed = 12345;
  for (int i = 0; i < 20000; ++i) {
    seed = seed * 1103515245u + 12345u;
    text.push_back(static_cast<char>((seed >> 16) & 0xFF));
  }
  text += "\nsurvivor: yes\n";
  const ConfigFile file = parse(text);
  EXPECT_EQ(file.serialize(), text);
  ASSERT_NE(file.find("survivor"), nullptr);
  EXPECT_EQ(file.find("survivor")->value, "yes");
}

TEST_F(ConfigFileTest, HundredThousandLines) {
  std::string text;
  for (int i = 0; i < 100000; ++i)
    text += "key " + std::to_string(i) + ": value " + std::to_string(i) + "\n";
  const ConfigFile file = parse(text);
  EXPECT_EQ(file.entries().size(), 100000u);
  EXPECT_EQ(file.find("key 99999")->value, "value 99999");
  EXPECT_EQ(file.serialize(), text);
}

TEST_F(ConfigFileTest, BadLineLoggingIsBounded) {
  std::string text;
  for (int i = 0; i < 1000; ++i)
    text += "bad line " + std::to_string(i) + "\n";
  const ConfigFile file = parse(text);
  EXPECT_EQ(file.badLines(), 1000u);
  EXPECT_EQ(capture_.lines().size(), 21u);
  EXPECT_TRUE(capture_.contains("test.cfg: 980 more bad lines skipped")) << capture_.joined();
}

TEST_F(ConfigFileTest, EmptyInput) {
  const ConfigFile file = parse("");
  EXPECT_TRUE(file.lines().empty());
  EXPECT_TRUE(file.entries().empty());
  EXPECT_EQ(file.serialize(), "");
}

TEST(ConfigValueTest, NormalizeKey) {
  EXPECT_EQ(normalizeKey("  SIP  Line1\t\tAuth   Name  "), "sip line1 auth name");
  EXPECT_EQ(normalizeKey("tr69 server"), "tr69 server");
  EXPECT_EQ(normalizeKey(""), "");
}

TEST(ConfigValueTest, IsNormalizedKeyAgreesWithNormalizeKey) {
  for (const char* key : {"", "sip line1 auth name", "tr69 server", " sip", "sip ", "sip  line",
                          "Sip line", "sip\tline", "a", " ", "\t", "x y z", "x y  z", "X"}) {
    EXPECT_EQ(isNormalizedKey(key), normalizeKey(key) == key) << "'" << key << "'";
  }
}

TEST(ConfigValueTest, SecretKeys) {
  EXPECT_TRUE(isSecretKey("sip line1 password"));
  EXPECT_TRUE(isSecretKey("tr69 private key"));
  EXPECT_TRUE(isSecretKey("tr69 connection request password"));
  EXPECT_FALSE(isSecretKey("sip line1 auth name"));
  EXPECT_FALSE(isSecretKey("tr69 server"));
}

TEST(ConfigValueTest, FormatValueQuotesOnlyWhenNeeded) {
  EXPECT_EQ(formatValue("sip proxy ip", "10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(formatValue("sip line1 screen name", " padded"), "\" padded\"");
  EXPECT_EQ(formatValue("sip line1 screen name", "\"q\""), "\"\"q\"\"");
  EXPECT_EQ(formatValue("sip line1 screen name", "in\"side"), "in\"side");
  EXPECT_EQ(formatValue("sip dial plan", "x+^"), "\"x+^\"");
  EXPECT_EQ(formatValue("softkey1 label", "Voice Mail"), "\"Voice Mail\"");
  EXPECT_EQ(formatValue("sip vmail", ""), "");
}

TEST(ConfigValueTest, FormattedValuesReadBackUnchanged) {
  LogCapture capture;
  const Logger log = capture.logger();
  for (const std::string value :
       {"plain", " lead", "trail ", "\"both\"", "\"", "a\"b", "", "x # y", "ü", "\t tab"}) {
    const std::string line =
        "sip line1 screen name: " + formatValue("sip line1 screen name", value);
    const ConfigFile file = ConfigFile::parse(line + "\n", "t", log);
    ASSERT_NE(file.find("sip line1 screen name"), nullptr) << line;
    EXPECT_EQ(file.find("sip line1 screen name")->value, value) << line;
  }
}

TEST(ConfigValueTest, Booleans) {
  EXPECT_EQ(parseBool("1"), true);
  EXPECT_EQ(parseBool("TRUE"), true);
  EXPECT_EQ(parseBool(" true "), true);
  EXPECT_EQ(parseBool("0"), false);
  EXPECT_EQ(parseBool("False"), false);
  EXPECT_EQ(parseBool("yes"), std::nullopt);
  EXPECT_EQ(parseBool("2"), std::nullopt);
  EXPECT_EQ(parseBool(""), std::nullopt);
  EXPECT_EQ(formatBool(true), "1");
  EXPECT_EQ(formatBool(false), "0");
}

TEST(ConfigValueTest, Unsigned) {
  EXPECT_EQ(parseUnsigned("0"), 0u);
  EXPECT_EQ(parseUnsigned("4294967295"), 4294967295u);
  EXPECT_EQ(parseUnsigned("4294967296"), std::nullopt);
  EXPECT_EQ(parseUnsigned("-1"), std::nullopt);
  EXPECT_EQ(parseUnsigned("1 2"), std::nullopt);
  EXPECT_EQ(parseUnsigned(""), std::nullopt);
  EXPECT_EQ(parseUnsigned("99999999999"), std::nullopt);
}

}  // namespace
}  // namespace tr69::config
