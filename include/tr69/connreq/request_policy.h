// The connection-request merging and rate-limit policy of design.md ("Connection requests as
// operators use them"), as pure logic with the time passed in, so that every rule is testable.
//
//   * A request while a CR session is pending (asked for, its Inform not yet sent) is merged:
//     accepted, no second session, no cost against the rate limit.
//   * A request while any session runs costs one token and asks for ONE follow-up session,
//     opened `followUpDelay` after that session ends (several such requests: still one).
//   * Otherwise a request costs one token and asks for a session now.
//   * Without a token the request is rate-limited (HTTP 503).
//
// The token bucket holds `burst` tokens and regains one every `refillInterval`: an operator
// clicking every second or two never runs dry, a flood of tens of requests within a couple of
// seconds gets 503 for the excess.
#pragma once

#include <chrono>
#include <optional>

namespace tr69::connreq {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  TokenBucket(unsigned burst, Clock::duration refillInterval);

  // Takes one token if there is one.
  bool tryTake(Clock::time_point now);
  unsigned available(Clock::time_point now);

 private:
  void refill(Clock::time_point now);

  unsigned burst_;
  Clock::duration refillInterval_;
  unsigned tokens_;
  std::optional<Clock::time_point> lastRefill_;
};

struct ConnectionRequestPolicyOptions {
  unsigned burst = 10;
  std::chrono::steady_clock::duration refillInterval = std::chrono::milliseconds(500);
  std::chrono::steady_clock::duration followUpDelay = std::chrono::seconds(1);
};

class ConnectionRequestPolicy {
 public:
  using Clock = std::chrono::steady_clock;

  using Options = ConnectionRequestPolicyOptions;

  enum class Decision {
    kStartSession,  // accepted: ask the engine for a session now
    kMerged,        // accepted: joins the pending CR session (free)
    kFollowUp,      // accepted: one session after the running one ends
    kRateLimited,   // refused: 503
  };

  ConnectionRequestPolicy();
  explicit ConnectionRequestPolicy(Options options);

  Decision onRequest(Clock::time_point now);

  // Reported by the engine for EVERY session (whatever opened it).
  void sessionStarted(Clock::time_point now);
  // The session's Inform went out: the pending CR (if any) is delivered with it.
  void informSent(Clock::time_point now);
  // The session ended (success or failure). A CR still pending is dropped (a failed session
  // whose event is only 6 CONNECTION REQUEST is not retried, cwmp.md §4.2).
  void sessionEnded(Clock::time_point now);

  // When a follow-up session is due, if one is scheduled.
  std::optional<Clock::time_point> followUpDue() const { return followUpDue_; }
  // Call at or after followUpDue(): true means "ask the engine for the session now" (the
  // follow-up is then the pending CR). If a session is running again, the follow-up waits for
  // its end instead and this returns false.
  bool takeDueFollowUp(Clock::time_point now);

  bool crPending() const { return crPending_; }
  bool sessionActive() const { return sessionActive_; }
  bool followUpWanted() const { return followUpWanted_; }

 private:
  Options options_;
  TokenBucket bucket_;
  bool crPending_ = false;
  bool sessionActive_ = false;
  bool followUpWanted_ = false;
  std::optional<Clock::time_point> followUpDue_;
};

}  // namespace tr69::connreq
