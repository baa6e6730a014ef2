#include "tr69/base/datetime.h"

#include <gtest/gtest.h>

namespace tr69 {
namespace {

TEST(DateTime, ParsesUtcOffsetFractionAndRoundTrips) {
  for (std::string_view text : {"2024-02-29T23:59:59Z", "2014-05-01T12:00:00.5+02:00",
                                "1970-01-01T00:00:00-00:00", "0001-01-03T03:04:05"}) {
    auto v = parseDateTime(text);
    ASSERT_TRUE(v) << text;
    EXPECT_EQ(formatDateTime(*v), text == "1970-01-01T00:00:00-00:00" ? "1970-01-01T00:00:00+00:00"
                                                                      : std::string(text));
  }
}

TEST(DateTime, UnknownAndRelativeTimes) {
  auto unknown = parseDateTime(kUnknownTime);
  ASSERT_TRUE(unknown);
  EXPECT_TRUE(unknown->isUnknown());
  EXPECT_FALSE(unknown->isRelative());
  auto relative = parseDateTime("0001-01-03T03:04:05");
  ASSERT_TRUE(relative);
  EXPECT_TRUE(relative->isRelative());
  EXPECT_FALSE(toUnixSeconds(*relative));
  EXPECT_EQ(formatRelative(std::chrono::seconds(2 * 86400 + 3 * 3600 + 4 * 60 + 5)),
            "0001-01-03T03:04:05");
  EXPECT_EQ(formatRelative(std::chrono::seconds(0)), "0001-01-01T00:00:00");
  EXPECT_EQ(formatRelative(std::chrono::seconds(40 * 86400)), "0001-02-10T00:00:00");
}

TEST(DateTime, RejectsMalformedAndOutOfRange) {
  for (std::string_view text :
       {"", "2024", "2024-01-01", "2024-01-01T00:00", "2024-1-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-01T24:00:00Z",
        "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00+1:00", "2024-01-01T00:00:00+15:00", "2024-01-01T00:00:00ZZ",
        "0000-01-01T00:00:00Z", "２024-01-01T00:00:00Z", "2024-01-01T00:00:00.1234567890Z"}) {
    EXPECT_FALSE(parseDateTime(text)) << text;
  }
}

TEST(DateTime, UnixConversions) {
  auto v = parseDateTime("1970-01-02T00:00:00+01:00");
  ASSERT_TRUE(v);
  EXPECT_EQ(toUnixSeconds(*v), 86400 - 3600);
  EXPECT_EQ(formatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(951782400))),
            "2000-02-29T00:00:00Z");
  EXPECT_EQ(formatUtc(std::chrono::system_clock::time_point()), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace tr69
