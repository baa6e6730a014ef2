// At most `lines` log lines per `window` for one kind of message; the rest are counted and
// summarised once the window ends, so that a flood of bad requests cannot flood the log.
#pragma once

#include <chrono>

namespace tr69::connreq {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  LogThrottle(unsigned lines, Clock::duration window) : lines_(lines), window_(window) {}

  // True: log this one. `suppressedBefore` receives how many were dropped in the last window
  // (to be reported once, then reset).
  bool allow(Clock::time_point now, unsigned& suppressedBefore);

 private:
  unsigned lines_;
  Clock::duration window_;
  Clock::time_point windowStart_{};
  unsigned used_ = 0;
  unsigned suppressed_ = 0;
};

}  // namespace tr69::connreq
