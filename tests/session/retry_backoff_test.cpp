#include "tr69/session/retry_backoff.h"

#include <gtest/gtest.h>

namespace tr69::session {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

UniformRandom lowest() {
  return [](std::uint64_t low, std::uint64_t) { return low; };
}
UniformRandom highest() {
  return [](std::uint64_t, std::uint64_t high) { return high; };
}

TEST(RetryBackoff, DefaultBoundsMatchTheStandardTable) {
  const RetryPolicy defaults;
  const std::pair<int, int> table[] = {{5, 10},      {10, 20},     {20, 40},     {40, 80},
                                       {80, 160},    {160, 320},   {320, 640},   {640, 1280},
                                       {1280, 2560}, {2560, 5120}, {2560, 5120}, {2560, 5120}};
  for (std::uint32_t n = 1; n <= 12; ++n) {
    const RetryWindow window = retryWindow(n, defaults);
    EXPECT_EQ(window.low, seconds(table[n - 1].first)) << "retry " << n;
    EXPECT_EQ(window.high, seconds(table[n - 1].second)) << "retry " << n;
    EXPECT_EQ(retryWait(n, defaults, lowest()), window.low);
    EXPECT_EQ(retryWait(n, defaults, highest()), window.high);
  }
  EXPECT_EQ(retryWindow(1000000, defaults).high, seconds(5120));
}

TEST(RetryBackoff, CustomParameters) {
  const RetryPolicy policy{10, 3000};
  EXPECT_EQ(retryWindow(1, policy).low, seconds(10));
  EXPECT_EQ(retryWindow(1, policy).high, seconds(30));
  EXPECT_EQ(retryWindow(2, policy).high, seconds(90));
  const RetryPolicy fractional{4, 1500};
  EXPECT_EQ(retryWindow(1, fractional).high, milliseconds(6000));
  EXPECT_EQ(retryWindow(2, fractional).high, milliseconds(9000));
  EXPECT_EQ(retryWindow(3, fractional).high, milliseconds(13500));
}

TEST(RetryBackoff, MultiplierOfOneGivesAFixedWait) {
  const RetryPolicy flat{7, 1000};
  EXPECT_EQ(retryWindow(5, flat).low, seconds(7));
  EXPECT_EQ(retryWindow(5, flat).high, seconds(7));
}

TEST(RetryBackoff, OutOfRangeParametersAreClamped) {
  EXPECT_EQ(retryWindow(1, RetryPolicy{0, 0}).low, seconds(1));
  EXPECT_EQ(retryWindow(1, RetryPolicy{0, 0}).high, seconds(1));
  const RetryWindow huge = retryWindow(10, RetryPolicy{65535, 65535});
  EXPECT_GT(huge.high.count(), 0);
  EXPECT_LE(huge.low, huge.high);
}

TEST(RetryBackoff, ZeroRetryCountMeansNoWait) {
  EXPECT_EQ(retryWait(0, RetryPolicy{}, highest()), milliseconds(0));
}

TEST(RetryBackoff, MisbehavingRandomSourceIsClampedIntoTheWindow) {
  const UniformRandom broken = [](std::uint64_t, std::uint64_t high) { return high * 3; };
  EXPECT_EQ(retryWait(1, RetryPolicy{}, broken), seconds(10));
}

TEST(RetryBackoff, DefaultRandomStaysInsideTheWindowAndVaries) {
  const UniformRandom random = defaultUniformRandom();
  const RetryPolicy defaults;
  milliseconds first = retryWait(3, defaults, random);
  bool varied = false;
  for (int i = 0; i < 200; ++i) {
    const milliseconds wait = retryWait(3, defaults, random);
    EXPECT_GE(wait, seconds(20));
    EXPECT_LE(wait, seconds(40));
    varied = varied || wait != first;
  }
  EXPECT_TRUE(varied);
}

}  // namespace
}  // namespace tr69::session
