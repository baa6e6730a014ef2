#include "tr69/connreq/log_throttle.h"

namespace tr69::connreq {

bool LogThrottle::allow(Clock::time_point now, unsigned& suppressedBefore) {
  suppressedBefore = 0;
  if (now - windowStart_ >= window_) {
    suppressedBefore = suppressed_;
    windowStart_ = now;
    used_ = 0;
    suppressed_ = 0;
  }
  if (used_ >= lines_) {
    ++suppressed_;
    return false;
  }
  ++used_;
  return true;
}

}  // namespace tr69::connreq
