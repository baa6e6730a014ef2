// Spaces out notifications of one changing value: at most one per `minInterval`
// (UDPConnectionRequestAddressNotificationLimit). A change inside the quiet period is kept and
// reported once when the period ends (the latest value then), never dropped.
#pragma once

#include <chrono>
#include <optional>

namespace tr69::connreq {

class NotificationLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit NotificationLimiter(Clock::duration minInterval = {}) : minInterval_(minInterval) {}

  void setMinInterval(Clock::duration minInterval) { minInterval_ = minInterval; }

  // A change happened. True: notify now. False: a notification is owed at pendingDue().
  bool offer(Clock::time_point now);
  std::optional<Clock::time_point> pendingDue() const { return pendingDue_; }
  // True (once) when the owed notification is due at `now`.
  bool takeDue(Clock::time_point now);

 private:
  Clock::duration minInterval_;
  std::optional<Clock::time_point> lastNotified_;
  std::optional<Clock::time_point> pendingDue_;
};

}  // namespace tr69::connreq
