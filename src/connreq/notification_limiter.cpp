#include "tr69/connreq/notification_limiter.h"

namespace tr69::connreq {

bool NotificationLimiter::offer(Clock::time_point now) {
  if (pendingDue_) return false;  // already owed; the later report carries the latest value
  if (!lastNotified_ || now - *lastNotified_ >= minInterval_) {
    lastNotified_ = now;
    return true;
  }
  pendingDue_ = *lastNotified_ + minInterval_;
  return false;
}

bool NotificationLimiter::takeDue(Clock::time_point now) {
  if (!pendingDue_ || now < *pendingDue_) return false;
  pendingDue_.reset();
  lastNotified_ = now;
  return true;
}

}  // namespace tr69::connreq
