#include "tr69/session/periodic_schedule.h"

#include <gtest/gtest.h>

namespace tr69::session {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using std::chrono::system_clock;
using TimePoint = system_clock::time_point;

TimePoint at(std::string_view text) {
  const auto parsed = parseInformTime(text);
  EXPECT_TRUE(parsed && !parsed->unknown) << text;
  return parsed ? TimePoint(parsed->utc) : TimePoint();
}

PeriodicInformSettings settings(std::uint32_t interval, std::string_view time) {
  PeriodicInformSettings s;
  s.enable = true;
  s.intervalSeconds = interval;
  s.time = *parseInformTime(time);
  return s;
}

TEST(ParseInformTime, AcceptedForms) {
  EXPECT_EQ(parseInformTime("1970-01-01T00:00:00")->utc, sys_seconds(seconds(0)));
  EXPECT_EQ(parseInformTime("1970-01-01T00:00:00Z")->utc, sys_seconds(seconds(0)));
  EXPECT_EQ(parseInformTime("2024-05-01T12:00:00+02:00")->utc,
            parseInformTime("2024-05-01T10:00:00Z")->utc);
  EXPECT_EQ(parseInformTime("2024-05-01T10:00:00-01:30")->utc,
            parseInformTime("2024-05-01T11:30:00Z")->utc);
  EXPECT_EQ(parseInformTime("2024-05-01T10:00:00.123Z")->utc,
            parseInformTime("2024-05-01T10:00:00Z")->utc);
  EXPECT_EQ(parseInformTime("2000-03-01T00:00:00Z")->utc.time_since_epoch(), seconds(951868800));
  EXPECT_FALSE(parseInformTime("2024-05-01T10:00:00Z")->unknown);
}

TEST(ParseInformTime, UnknownTime) {
  EXPECT_TRUE(parseInformTime("0001-01-01T00:00:00Z")->unknown);
  EXPECT_TRUE(parseInformTime("0001-01-01T00:00:00")->unknown);
  EXPECT_FALSE(parseInformTime("0001-01-01T00:00:01Z")->unknown);
}

TEST(ParseInformTime, MalformedIsRejected) {
  for (std::string_view bad :
       {"", "2024", "2024-05-01", "2024-05-01 10:00:00", "2024-13-01T00:00:00",
        "2023-02-29T00:00:00", "2024-02-30T00:00:00", "2024-05-01T24:00:00", "2024-05-01T10:60:00",
        "2024-05-01T10:00:61", "2024-05-01T10:00:00ZZ", "2024-05-01T10:00:00+0200",
        "2024-05-01T10:00:00.", "0000-01-01T00:00:00", "2024-05-01T10:00:00 ",
        "x024-05-01T10:00:00", "2024-05-01T10:00:00+24:00"}) {
    EXPECT_FALSE(parseInformTime(bad)) << bad;
  }
  EXPECT_TRUE(parseInformTime("2024-02-29T00:00:00"));
}

TEST(PeriodicSchedule, DisabledOrZeroInterval) {
  PeriodicInformSettings s = settings(60, "2024-01-01T00:00:00Z");
  s.enable = false;
  EXPECT_FALSE(nextPeriodicInform(s, at("2024-06-01T00:00:00Z"), {}));
  s.enable = true;
  s.intervalSeconds = 0;
  EXPECT_FALSE(nextPeriodicInform(s, at("2024-06-01T00:00:00Z"), {}));
}

TEST(PeriodicSchedule, AlignsToThePhaseOfAPastReference) {
  const auto s = settings(86400, "2020-01-01T00:00:00Z");
  EXPECT_EQ(nextPeriodicInform(s, at("2024-05-01T13:14:15Z"), {}), at("2024-05-02T00:00:00Z"));
  const auto s2 = settings(600, "2024-05-01T12:03:00Z");
  EXPECT_EQ(nextPeriodicInform(s2, at("2024-05-01T13:14:15Z"), {}), at("2024-05-01T13:23:00Z"));
}

TEST(PeriodicSchedule, NextIsStrictlyAfterNow) {
  const auto s = settings(60, "2024-05-01T00:00:00Z");
  EXPECT_EQ(nextPeriodicInform(s, at("2024-05-01T10:00:00Z"), {}), at("2024-05-01T10:01:00Z"));
  EXPECT_EQ(nextPeriodicInform(s, at("2024-05-01T10:00:00Z") + milliseconds(999), {}),
            at("2024-05-01T10:01:00Z"));
  EXPECT_EQ(nextPeriodicInform(s, at("2024-05-01T10:00:00Z") - milliseconds(1), {}),
            at("2024-05-01T10:00:00Z"));
}

TEST(PeriodicSchedule, FutureReferenceStillGivesTheNextPhaseInstant) {
  const auto s = settings(3600, "2099-12-31T23:30:00Z");
  EXPECT_EQ(nextPeriodicInform(s, at("2024-05-01T10:45:00Z"), {}), at("2024-05-01T11:30:00Z"));
  const auto s2 = settings(600, "9999-12-31T23:59:59Z");
  const auto next = nextPeriodicInform(s2, at("2024-05-01T10:45:00Z"), {});
  ASSERT_TRUE(next);
  EXPECT_GT(*next, at("2024-05-01T10:45:00Z"));
  EXPECT_LE(*next, at("2024-05-01T10:55:00Z"));
  // 9999 does not fit a nanosecond time_point; compare in seconds.
  const sys_seconds reference = parseInformTime("9999-12-31T23:59:59Z")->utc;
  EXPECT_EQ((reference - std::chrono::floor<seconds>(*next)) % seconds(600), seconds(0));
}

TEST(PeriodicSchedule, FarPastReference) {
  const auto s = settings(7, "1001-03-04T05:06:07Z");
  const auto now = at("2024-05-01T10:45:00Z");
  const auto next = nextPeriodicInform(s, now, {});
  ASSERT_TRUE(next);
  EXPECT_GT(*next, now);
  EXPECT_LE(*next - now, seconds(7));
}

TEST(PeriodicSchedule, UnknownTimeUsesTheCpeChosenAnchor) {
  PeriodicInformSettings s = settings(300, "0001-01-01T00:00:00Z");
  ASSERT_TRUE(s.time.unknown);
  const auto anchor = at("2024-05-01T10:00:07Z");
  EXPECT_EQ(nextPeriodicInform(s, anchor, anchor), at("2024-05-01T10:05:07Z"));
  EXPECT_EQ(nextPeriodicInform(s, at("2024-05-01T10:12:00Z"), anchor), at("2024-05-01T10:15:07Z"));
}

TEST(PeriodicSchedule, AastraDefaultEpochReference) {
  const auto s = settings(600, "1970-01-01T00:00:00");
  EXPECT_EQ(nextPeriodicInform(s, at("2024-05-01T10:45:01Z"), {}), at("2024-05-01T10:50:00Z"));
}

}  // namespace
}  // namespace tr69::session
