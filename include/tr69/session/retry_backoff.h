// Session retry back-off of TR-069 3.2.1.1 (cwmp.md 4.3).
//
// The wait before retry n (n = 1, 2, ...; the exponent stops growing at 10) is uniformly random in
// [m * k^(n-1), m * k^n] seconds, with m = CWMPRetryMinimumWaitInterval and
// k = CWMPRetryIntervalMultiplier / 1000. With the defaults (5, 2000): 5-10 s, 10-20 s, ...,
// 2560-5120 s from the 10th retry on.
//
// Use: after a failed session the engine increments its retry count n (persisted in the state
// journal, reset to 0 after a successful session), calls retryWait(n, policy, random) and arms a
// timer. Waits are computed in milliseconds so a multiplier such as 1500 keeps its fraction.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace tr69::session {

struct RetryPolicy {
  std::uint32_t minimumWaitSeconds = 5;     // CWMPRetryMinimumWaitInterval, 1..65535
  std::uint32_t intervalMultiplier = 2000;  // CWMPRetryIntervalMultiplier, 1000..65535
};

inline constexpr unsigned kMaxRetryExponent = 10;

// Returns a uniformly distributed integer in [low, high] (both inclusive).
using UniformRandom = std::function<std::uint64_t(std::uint64_t low, std::uint64_t high)>;

// A UniformRandom backed by std::mt19937_64 seeded from the OpenSSL CSPRNG (phones that boot at
// the same moment must not retry in lock-step).
UniformRandom defaultUniformRandom();

struct RetryWindow {
  std::chrono::milliseconds low;
  std::chrono::milliseconds high;
};

// The bounds for retry `retryCount` (1-based; 0 gives a zero window). Values outside the
// parameters' ranges are clamped into them (m to 1..65535, the multiplier to 1000..65535).
RetryWindow retryWindow(std::uint32_t retryCount, const RetryPolicy& policy);

// A random wait within retryWindow(retryCount, policy).
std::chrono::milliseconds retryWait(std::uint32_t retryCount, const RetryPolicy& policy,
                                    const UniformRandom& random);

}  // namespace tr69::session
