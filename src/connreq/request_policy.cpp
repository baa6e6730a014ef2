#include "tr69/connreq/request_policy.h"

#include <algorithm>
#include <cstdint>

namespace tr69::connreq {

TokenBucket::TokenBucket(unsigned burst, Clock::duration refillInterval)
    : burst_(std::max(1u, burst)),
      refillInterval_(std::max(refillInterval, Clock::duration(1))),
      tokens_(burst_) {}

void TokenBucket::refill(Clock::time_point now) {
  if (!lastRefill_) {
    lastRefill_ = now;
    return;
  }
  if (now <= *lastRefill_) return;
  if (tokens_ >= burst_) {
    lastRefill_ = now;
    return;
  }
  const std::int64_t gained = (now - *lastRefill_) / refillInterval_;
  if (gained <= 0) return;
  const std::int64_t room = burst_ - tokens_;
  tokens_ += static_cast<unsigned>(std::min(gained, room));
  *lastRefill_ += gained * refillInterval_;
  if (tokens_ >= burst_) lastRefill_ = now;
}

bool TokenBucket::tryTake(Clock::time_point now) {
  refill(now);
  if (tokens_ == 0) return false;
  --tokens_;
  return true;
}

unsigned TokenBucket::available(Clock::time_point now) {
  refill(now);
  return tokens_;
}

ConnectionRequestPolicy::ConnectionRequestPolicy() : ConnectionRequestPolicy(Options{}) {}

ConnectionRequestPolicy::ConnectionRequestPolicy(Options options)
    : options_(options), bucket_(options.burst, options.refillInterval) {}

ConnectionRequestPolicy::Decision ConnectionRequestPolicy::onRequest(Clock::time_point now) {
  if (crPending_ || followUpDue_) return Decision::kMerged;
  if (!bucket_.tryTake(now)) return Decision::kRateLimited;
  if (sessionActive_) {
    followUpWanted_ = true;
    return Decision::kFollowUp;
  }
  crPending_ = true;
  return Decision::kStartSession;
}

void ConnectionRequestPolicy::sessionStarted(Clock::time_point) {
  sessionActive_ = true;
}

void ConnectionRequestPolicy::informSent(Clock::time_point) {
  crPending_ = false;
}

void ConnectionRequestPolicy::sessionEnded(Clock::time_point now) {
  sessionActive_ = false;
  crPending_ = false;
  if (followUpWanted_) {
    followUpWanted_ = false;
    followUpDue_ = now + options_.followUpDelay;
  }
}

bool ConnectionRequestPolicy::takeDueFollowUp(Clock::time_point now) {
  if (!followUpDue_ || now < *followUpDue_) return false;
  followUpDue_.reset();
  if (sessionActive_) {
    followUpWanted_ = true;
    return false;
  }
  crPending_ = true;
  return true;
}

}  // namespace tr69::connreq
