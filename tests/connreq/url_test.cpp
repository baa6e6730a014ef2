#include "tr69/connreq/url.h"

#include <gtest/gtest.h>

#include <vector>

#include "tr69/connreq/notification_limiter.h"

namespace tr69::connreq {
namespace {

using namespace std::chrono_literals;

TEST(UrlTest, BuildsFromAddressPortAndPath) {
  EXPECT_EQ(buildConnectionRequestUrl("192.168.1.50", 12345, "aastra/tr69"),
            "http://192.168.1.50:12345/aastra/tr69");
  EXPECT_EQ(buildConnectionRequestUrl("192.168.1.50", 7547, "/cr"), "http://192.168.1.50:7547/cr");
  EXPECT_EQ(buildConnectionRequestUrl("192.168.1.50", 7547, "//cr"), "http://192.168.1.50:7547/cr");
  EXPECT_EQ(buildConnectionRequestUrl("192.168.1.50", 7547, ""), "http://192.168.1.50:7547/");
}

TEST(UrlTest, Ipv6LiteralGoesInBrackets) {
  EXPECT_EQ(buildConnectionRequestUrl("2001:db8::5", 7547, "x"), "http://[2001:db8::5]:7547/x");
  EXPECT_EQ(buildConnectionRequestUrl("[2001:db8::5]", 7547, "x"), "http://[2001:db8::5]:7547/x");
}

TEST(UrlTest, NoAddressOrPortGivesEmptyUrl) {
  EXPECT_EQ(buildConnectionRequestUrl("", 7547, "x"), "");
  EXPECT_EQ(buildConnectionRequestUrl("10.0.0.1", 0, "x"), "");
}

TEST(UrlTest, UdpConnectionRequestAddressLeavesOutPort80) {
  EXPECT_EQ(formatUdpConnectionRequestAddress("203.0.113.7", 7547), "203.0.113.7:7547");
  EXPECT_EQ(formatUdpConnectionRequestAddress("203.0.113.7", 80), "203.0.113.7");
  EXPECT_EQ(formatUdpConnectionRequestAddress("2001:db8::1", 5000), "[2001:db8::1]:5000");
  EXPECT_EQ(formatUdpConnectionRequestAddress("", 5000), "");
}

TEST(UrlTrackerTest, ReportsOnlyRealChanges) {
  std::vector<std::string> reported;
  ConnectionRequestUrlTracker tracker([&](const std::string& url) { reported.push_back(url); });
  tracker.setPath("aastra/tr69");
  tracker.setPort(12345);
  EXPECT_TRUE(reported.empty());  // no address yet: URL stays ""
  tracker.setAddress("10.0.0.5");
  tracker.setAddress("10.0.0.5");
  tracker.setAddress("10.0.0.6");
  tracker.setPath("/aastra/tr69");  // same after normalisation
  tracker.setAddress("");           // address lost
  EXPECT_EQ(reported, (std::vector<std::string>{"http://10.0.0.5:12345/aastra/tr69",
                                                "http://10.0.0.6:12345/aastra/tr69", ""}));
}

TEST(NotificationLimiterTest, SpacesNotificationsAndOwesTheLastOne) {
  using Clock = NotificationLimiter::Clock;
  const auto t0 = Clock::time_point{} + 1000s;
  NotificationLimiter limiter(10s);
  EXPECT_TRUE(limiter.offer(t0));
  EXPECT_FALSE(limiter.offer(t0 + 2s));
  ASSERT_TRUE(limiter.pendingDue());
  EXPECT_EQ(*limiter.pendingDue(), t0 + 10s);
  EXPECT_FALSE(limiter.offer(t0 + 3s));  // coalesced into the owed one
  EXPECT_FALSE(limiter.takeDue(t0 + 9s));
  EXPECT_TRUE(limiter.takeDue(t0 + 10s));
  EXPECT_FALSE(limiter.takeDue(t0 + 11s));
  EXPECT_FALSE(limiter.offer(t0 + 15s));  // 5 s after the last one
  EXPECT_TRUE(limiter.takeDue(t0 + 20s));
  EXPECT_TRUE(limiter.offer(t0 + 31s));
}

TEST(NotificationLimiterTest, ZeroLimitNeverDelays) {
  NotificationLimiter limiter;
  const auto t0 = NotificationLimiter::Clock::time_point{} + 5s;
  EXPECT_TRUE(limiter.offer(t0));
  EXPECT_TRUE(limiter.offer(t0));
}

}  // namespace
}  // namespace tr69::connreq
