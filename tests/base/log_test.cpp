#include "tr69/base/log.h"

#include <gtest/gtest.h>

#include <ostream>

namespace tr69 {
namespace {

TEST(LogTest, LevelsFilterMessages) {
  LogCapture capture;
  Logger log = capture.logger(LogLevel::kWarning);
  log.error("disk ", "full");
  log.warning("retrying in ", 5, " s");
  log.info("not shown");
  log.debug("not shown either");
  ASSERT_EQ(capture.lines().size(), 2u);
  EXPECT_EQ(capture.lines()[0], "error: disk full");
  EXPECT_EQ(capture.lines()[1], "warning: retrying in 5 s");
  EXPECT_FALSE(capture.contains("not shown"));
}

TEST(LogTest, ParsesLevelNames) {
  LogLevel level = LogLevel::kInfo;
  EXPECT_TRUE(parseLogLevel("DEBUG", level));
  EXPECT_EQ(level, LogLevel::kDebug);
  EXPECT_TRUE(parseLogLevel("warn", level));
  EXPECT_EQ(level, LogLevel::kWarning);
  EXPECT_FALSE(parseLogLevel("verbose", level));
  EXPECT_EQ(level, LogLevel::kWarning);
}

struct Counted {
  int* formatted;
};
std::ostream& operator<<(std::ostream& out, const Counted& c) {
  ++*c.formatted;
  return out << "counted";
}

TEST(LogTest, DisabledLevelDoesNotFormat) {
  LogCapture capture;
  Logger log = capture.logger(LogLevel::kError);
  int formatted = 0;
  log.debug(Counted{&formatted});
  EXPECT_EQ(formatted, 0);
  log.error(Counted{&formatted});
  EXPECT_EQ(formatted, 1);
  EXPECT_TRUE(capture.contains("counted"));
}

}  // namespace
}  // namespace tr69
