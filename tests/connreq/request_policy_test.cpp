#include "tr69/connreq/request_policy.h"

#include <gtest/gtest.h>

#include <vector>

#include "tr69/base/event_loop.h"
#include "tr69/base/log.h"
#include "tr69/connreq/gate.h"

namespace tr69::connreq {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Decision = ConnectionRequestPolicy::Decision;

TEST(TokenBucketTest, StartsFullAndRefillsOneTokenPerInterval) {
  TokenBucket bucket(3, 1s);
  const auto t0 = Clock::time_point{} + 100s;
  EXPECT_TRUE(bucket.tryTake(t0));
  EXPECT_TRUE(bucket.tryTake(t0));
  EXPECT_TRUE(bucket.tryTake(t0));
  EXPECT_FALSE(bucket.tryTake(t0));
  EXPECT_FALSE(bucket.tryTake(t0 + 999ms));
  EXPECT_TRUE(bucket.tryTake(t0 + 1s));
  EXPECT_FALSE(bucket.tryTake(t0 + 1500ms));
  EXPECT_EQ(bucket.available(t0 + 100s), 3u);  // never above the burst
}

TEST(TokenBucketTest, ClockGoingBackwardsGivesNothing) {
  TokenBucket bucket(1, 1s);
  const auto t0 = Clock::time_point{} + 100s;
  EXPECT_TRUE(bucket.tryTake(t0));
  EXPECT_FALSE(bucket.tryTake(t0 - 50s));
  EXPECT_TRUE(bucket.tryTake(t0 + 1s));
}

class PolicyTest : public ::testing::Test {
 protected:
  Clock::time_point t0 = Clock::time_point{} + 1000s;
  ConnectionRequestPolicy policy;
};

TEST_F(PolicyTest, FirstRequestStartsASession) {
  EXPECT_EQ(policy.onRequest(t0), Decision::kStartSession);
  EXPECT_TRUE(policy.crPending());
}

TEST_F(PolicyTest, RequestsWhilePendingAreMergedForFree) {
  EXPECT_EQ(policy.onRequest(t0), Decision::kStartSession);
  // Far more than the burst: every one merges, none is refused, no second session.
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(policy.onRequest(t0), Decision::kMerged) << i;
  policy.sessionStarted(t0);
  EXPECT_EQ(policy.onRequest(t0), Decision::kMerged);  // started, Inform not yet sent
  policy.informSent(t0);
  EXPECT_FALSE(policy.crPending());
}

TEST_F(PolicyTest, RequestsDuringASessionGiveOneFollowUpAfterIt) {
  policy.onRequest(t0);
  policy.sessionStarted(t0);
  policy.informSent(t0);
  EXPECT_EQ(policy.onRequest(t0 + 1s), Decision::kFollowUp);
  EXPECT_EQ(policy.onRequest(t0 + 2s), Decision::kFollowUp);
  EXPECT_EQ(policy.onRequest(t0 + 3s), Decision::kFollowUp);
  EXPECT_FALSE(policy.followUpDue());
  policy.sessionEnded(t0 + 5s);
  ASSERT_TRUE(policy.followUpDue());
  EXPECT_EQ(*policy.followUpDue(), t0 + 6s);  // about a second after the end
  EXPECT_FALSE(policy.takeDueFollowUp(t0 + 5500ms));
  // Waiting for the follow-up counts as pending: more requests merge.
  EXPECT_EQ(policy.onRequest(t0 + 5700ms), Decision::kMerged);
  EXPECT_TRUE(policy.takeDueFollowUp(t0 + 6s));
  EXPECT_FALSE(policy.takeDueFollowUp(t0 + 7s));  // only one
  EXPECT_TRUE(policy.crPending());
}

TEST_F(PolicyTest, RequestsDuringASessionCostTokens) {
  policy.onRequest(t0);
  policy.sessionStarted(t0);
  policy.informSent(t0);
  int accepted = 0;
  int refused = 0;
  for (int i = 0; i < 30; ++i) {
    const auto d = policy.onRequest(t0);
    (d == Decision::kRateLimited ? refused : accepted)++;
  }
  EXPECT_EQ(accepted, 9);  // burst 10, one used by the first request
  EXPECT_EQ(refused, 21);
  policy.sessionEnded(t0 + 1s);
  EXPECT_TRUE(policy.followUpDue());  // still exactly one follow-up
}

TEST_F(PolicyTest, OperatorPaceIsAlwaysServed) {
  auto now = t0;
  for (int i = 0; i < 500; ++i) {
    ASSERT_EQ(policy.onRequest(now), Decision::kStartSession) << i;
    policy.sessionStarted(now + 50ms);
    policy.informSent(now + 100ms);
    policy.sessionEnded(now + 400ms);
    now += (i % 2 == 0) ? 1s : 2s;
  }
}

TEST_F(PolicyTest, FloodGetsRateLimitedExcess) {
  // A flood where each session ends quickly: every request starts a session.
  int refused = 0;
  auto now = t0;
  for (int i = 0; i < 40; ++i) {
    const auto d = policy.onRequest(now);
    if (d == Decision::kRateLimited) {
      ++refused;
    } else {
      EXPECT_EQ(d, Decision::kStartSession);
      policy.sessionStarted(now);
      policy.informSent(now);
      policy.sessionEnded(now);
    }
    now += 50ms;  // 40 requests in 2 s
  }
  EXPECT_GE(refused, 20);
  EXPECT_LE(refused, 30);
}

TEST_F(PolicyTest, FailedSessionDropsThePendingRequest) {
  policy.onRequest(t0);
  policy.sessionStarted(t0);
  policy.sessionEnded(t0 + 1s);  // failed before the Inform went out
  EXPECT_FALSE(policy.crPending());
  EXPECT_FALSE(policy.followUpDue());
  EXPECT_EQ(policy.onRequest(t0 + 2s), Decision::kStartSession);
}

TEST_F(PolicyTest, FollowUpWaitsForAnotherSessionThatStartedMeanwhile) {
  policy.sessionStarted(t0);  // e.g. a periodic session
  EXPECT_EQ(policy.onRequest(t0), Decision::kFollowUp);
  policy.sessionEnded(t0 + 1s);
  policy.sessionStarted(t0 + 1500ms);  // another one starts before the follow-up is due
  EXPECT_FALSE(policy.takeDueFollowUp(t0 + 2s));
  EXPECT_TRUE(policy.followUpWanted());
  policy.sessionEnded(t0 + 3s);
  EXPECT_TRUE(policy.takeDueFollowUp(t0 + 4s));
}

class RecordingSink : public ConnectionRequestSink {
 public:
  void onConnectionRequest(ConnectionRequestSource source) override { calls.push_back(source); }
  std::vector<ConnectionRequestSource> calls;
};

void runFor(EventLoop& loop, std::chrono::milliseconds total) {
  const auto end = Clock::now() + total;
  while (Clock::now() < end)
    loop.runOnce(5ms);
}

TEST(GateTest, SignalsTheSinkFromTheLoopNotFromSubmit) {
  EventLoop loop;
  RecordingSink sink;
  LogCapture capture;
  Logger log = capture.logger();
  ConnectionRequestGate gate(loop, sink, log);
  EXPECT_EQ(gate.submit(ConnectionRequestSource::kUdp), Admission::kAccepted);
  EXPECT_TRUE(sink.calls.empty());
  loop.runOnce(0ms);
  ASSERT_EQ(sink.calls.size(), 1u);
  EXPECT_EQ(sink.calls[0], ConnectionRequestSource::kUdp);
  EXPECT_EQ(gate.submit(ConnectionRequestSource::kHttp), Admission::kAccepted);  // merged
  loop.runOnce(0ms);
  EXPECT_EQ(sink.calls.size(), 1u);
  EXPECT_TRUE(capture.contains("merged"));
}

TEST(GateTest, FollowUpSessionIsSignalledAfterTheDelay) {
  EventLoop loop;
  RecordingSink sink;
  Logger log = Logger([](LogLevel, std::string_view) {});
  ConnectionRequestPolicyOptions options;
  options.followUpDelay = 20ms;
  ConnectionRequestGate gate(loop, sink, log, options);
  gate.submit(ConnectionRequestSource::kHttp);
  loop.runOnce(0ms);
  gate.sessionStarted();
  gate.informSent();
  EXPECT_EQ(gate.submit(ConnectionRequestSource::kUdp), Admission::kAccepted);
  EXPECT_EQ(gate.submit(ConnectionRequestSource::kHttp), Admission::kAccepted);
  runFor(loop, 50ms);
  EXPECT_EQ(sink.calls.size(), 1u);  // nothing while the session runs
  gate.sessionEnded();
  for (int i = 0; i < 200 && sink.calls.size() < 2; ++i)
    loop.runOnce(10ms);
  ASSERT_EQ(sink.calls.size(), 2u);
  runFor(loop, 50ms);
  EXPECT_EQ(sink.calls.size(), 2u);  // exactly one follow-up
}

TEST(GateTest, RateLimitedRequestIsRefused) {
  EventLoop loop;
  RecordingSink sink;
  Logger log = Logger([](LogLevel, std::string_view) {});
  ConnectionRequestPolicyOptions options;
  options.burst = 2;
  options.refillInterval = 1h;
  ConnectionRequestGate gate(loop, sink, log, options);
  gate.sessionStarted();
  EXPECT_EQ(gate.submit(ConnectionRequestSource::kHttp), Admission::kAccepted);
  EXPECT_EQ(gate.submit(ConnectionRequestSource::kHttp), Admission::kAccepted);
  EXPECT_EQ(gate.submit(ConnectionRequestSource::kHttp), Admission::kRateLimited);
}

TEST(GateTest, DestroyedGateDoesNotCallTheSink) {
  EventLoop loop;
  RecordingSink sink;
  Logger log = Logger([](LogLevel, std::string_view) {});
  {
    ConnectionRequestGate gate(loop, sink, log);
    gate.submit(ConnectionRequestSource::kHttp);
  }
  loop.runOnce(0ms);
  EXPECT_TRUE(sink.calls.empty());
}

}  // namespace
}  // namespace tr69::connreq
