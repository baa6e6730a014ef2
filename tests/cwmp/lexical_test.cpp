#include "tr69/cwmp/lexical.h"

#include <gtest/gtest.h>

namespace tr69::cwmp {
namespace {

TEST(LexicalTest, BooleansAcceptAllFourFormsInAnyCase) {
  EXPECT_EQ(parseBoolean("1"), true);
  EXPECT_EQ(parseBoolean("true"), true);
  EXPECT_EQ(parseBoolean(" TRUE\n"), true);
  EXPECT_EQ(parseBoolean("0"), false);
  EXPECT_EQ(parseBoolean("False"), false);
  EXPECT_FALSE(parseBoolean("yes").has_value());
  EXPECT_FALSE(parseBoolean("").has_value());
  EXPECT_FALSE(parseBoolean("10").has_value());
}

TEST(LexicalTest, NumbersAreRangeChecked) {
  EXPECT_EQ(parseUnsignedInt("4294967295"), 4294967295u);
  EXPECT_FALSE(parseUnsignedInt("4294967296").has_value());
  EXPECT_FALSE(parseUnsignedInt("-1").has_value());
  EXPECT_EQ(parseUnsignedInt(" 42 "), 42u);
  EXPECT_EQ(parseInt("-2147483648"), -2147483647 - 1);
  EXPECT_FALSE(parseInt("2147483648").has_value());
  EXPECT_FALSE(parseInt("1x").has_value());
  EXPECT_FALSE(parseInt("").has_value());
}

TEST(LexicalTest, DateTimeForms) {
  EXPECT_TRUE(isValidDateTime("0001-01-01T00:00:00Z"));
  EXPECT_TRUE(isValidDateTime("2024-05-01T12:00:00+02:00"));
  EXPECT_TRUE(isValidDateTime("2024-05-01T12:00:00.123Z"));
  EXPECT_TRUE(isValidDateTime("0001-01-03T03:04:05"));  // relative, no zone
  EXPECT_FALSE(isValidDateTime("2024-13-01T12:00:00Z"));
  EXPECT_FALSE(isValidDateTime("2024-05-01 12:00:00Z"));
  EXPECT_FALSE(isValidDateTime("2024-05-01T12:00:00+2:00"));
  EXPECT_FALSE(isValidDateTime("2024-05-01T12:00:00.Z"));
  EXPECT_FALSE(isValidDateTime(""));
}

TEST(LexicalTest, FormatsUtcAndLocalTimes) {
  auto t = std::chrono::system_clock::from_time_t(1714557600);  // 2024-05-01T10:00:00Z
  EXPECT_EQ(formatDateTime(t), "2024-05-01T10:00:00Z");
  EXPECT_EQ(formatDateTime(t, std::chrono::hours(2)), "2024-05-01T12:00:00+02:00");
  EXPECT_EQ(formatDateTime(t, -std::chrono::minutes(330)), "2024-05-01T04:30:00-05:30");
  EXPECT_EQ(kUnknownTime, "0001-01-01T00:00:00Z");
}

TEST(LexicalTest, Base64RoundTripAndRejectsGarbage) {
  EXPECT_EQ(encodeBase64(""), "");
  EXPECT_EQ(encodeBase64("f"), "Zg==");
  EXPECT_EQ(encodeBase64("fo"), "Zm8=");
  EXPECT_EQ(encodeBase64("foo"), "Zm9v");
  EXPECT_EQ(encodeBase64(std::string("\x00\xff\x10", 3)), "AP8Q");
  EXPECT_EQ(decodeBase64("Zm9v\nYmFy"), "foobar");
  EXPECT_EQ(decodeBase64("Zg=="), "f");
  EXPECT_EQ(decodeBase64("Zm8="), "fo");
  EXPECT_FALSE(decodeBase64("Z").has_value());
  EXPECT_FALSE(decodeBase64("Zg=").has_value());
  EXPECT_FALSE(decodeBase64("Zg==Zg").has_value());
  EXPECT_FALSE(decodeBase64("Z!==").has_value());
}

TEST(LexicalTest, XmlTextReplacesWhatXmlCannotCarry) {
  EXPECT_EQ(toXmlText("plain <&> \"quotes\""), "plain <&> \"quotes\"");
  EXPECT_EQ(toXmlText("tab\tlf\ncr\r"), "tab\tlf\ncr\r");
  EXPECT_EQ(toXmlText(std::string("a\x01"
                                  "b\x1f",
                                  4)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(toXmlText(std::string("nul\0", 4)), "nul\xEF\xBF\xBD");
  EXPECT_EQ(toXmlText("caf\xC3\xA9 \xE2\x98\xBA \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x98\xBA \xF0\x9F\x98\x80");
  EXPECT_EQ(toXmlText("bad \xC3"), "bad \xEF\xBF\xBD");          // truncated sequence
  EXPECT_EQ(toXmlText("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(toXmlText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(toXmlText("\xEF\xBF\xBE"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFE
}

}  // namespace
}  // namespace tr69::cwmp
