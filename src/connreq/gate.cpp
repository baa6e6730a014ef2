#include "tr69/connreq/gate.h"

#include <memory>

namespace tr69::connreq {

std::string_view connectionRequestSourceName(ConnectionRequestSource source) {
  switch (source) {
    case ConnectionRequestSource::kHttp:
      return "HTTP";
    case ConnectionRequestSource::kUdp:
      return "UDP";
  }
  return "?";
}

ConnectionRequestGate::ConnectionRequestGate(EventLoop& loop, ConnectionRequestSink& sink,
                                             const Logger& log,
                                             ConnectionRequestPolicy::Options options)
    : loop_(loop), sink_(sink), log_(log), policy_(options) {}

ConnectionRequestGate::~ConnectionRequestGate() {
  *alive_ = false;
  if (followUpTimer_) loop_.cancelTimer(*followUpTimer_);
}

Admission ConnectionRequestGate::submit(ConnectionRequestSource source) {
  const auto name = connectionRequestSourceName(source);
  switch (policy_.onRequest(loop_.now())) {
    case ConnectionRequestPolicy::Decision::kStartSession:
      log_.info("connection request (", name, ") accepted: session requested");
      signal(source);
      return Admission::kAccepted;
    case ConnectionRequestPolicy::Decision::kMerged:
      log_.info("connection request (", name, ") accepted: merged into the pending session");
      return Admission::kAccepted;
    case ConnectionRequestPolicy::Decision::kFollowUp:
      log_.info("connection request (", name, ") accepted: follow-up session after this one");
      followUpSource_ = source;
      return Admission::kAccepted;
    case ConnectionRequestPolicy::Decision::kRateLimited:
      log_.warning("connection request (", name, ") refused: rate limit");
      return Admission::kRateLimited;
  }
  return Admission::kRateLimited;
}

void ConnectionRequestGate::signal(ConnectionRequestSource source) {
  std::weak_ptr<bool> alive = alive_;
  loop_.post([this, alive, source] {
    if (auto a = alive.lock(); a && *a) sink_.onConnectionRequest(source);
  });
}

void ConnectionRequestGate::sessionStarted() {
  policy_.sessionStarted(loop_.now());
}

void ConnectionRequestGate::informSent() {
  policy_.informSent(loop_.now());
}

void ConnectionRequestGate::sessionEnded() {
  policy_.sessionEnded(loop_.now());
  armFollowUp();
}

void ConnectionRequestGate::armFollowUp() {
  if (followUpTimer_) {
    loop_.cancelTimer(*followUpTimer_);
    followUpTimer_.reset();
  }
  const auto due = policy_.followUpDue();
  if (!due) return;
  followUpTimer_ = loop_.addTimer(*due - loop_.now(), [this] { onFollowUpTimer(); });
}

void ConnectionRequestGate::onFollowUpTimer() {
  followUpTimer_.reset();
  // The timer may fire a little before the policy's deadline by clock granularity.
  const auto now = std::max(loop_.now(), policy_.followUpDue().value_or(loop_.now()));
  if (policy_.takeDueFollowUp(now)) {
    log_.info("follow-up session for a connection request received during the last session");
    signal(followUpSource_);
  }
}

}  // namespace tr69::connreq
