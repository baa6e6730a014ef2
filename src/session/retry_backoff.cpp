#include "tr69/session/retry_backoff.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>

#include "tr69/base/crypto.h"

namespace tr69::session {
namespace {

// Upper limit for a single wait (about 68 years): m = 65535 with k = 65.535 would otherwise
// overflow every integer type long before the exponent cap.
constexpr long double kMaxWaitMs = 2147483647.0L * 1000.0L;

std::chrono::milliseconds toMs(long double ms) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(ms, kMaxWaitMs)));
}

}  // namespace

UniformRandom defaultUniformRandom() {
  const std::string seedBytes = randomBytes(sizeof(std::uint64_t));
  std::uint64_t seed = 0;
  std::memcpy(&seed, seedBytes.data(), std::min(seedBytes.size(), sizeof seed));
  auto engine = std::make_shared<std::mt19937_64>(seed);
  return [engine](std::uint64_t low, std::uint64_t high) {
    if (high <= low) return low;
    return std::uniform_int_distribution<std::uint64_t>(low, high)(*engine);
  };
}

RetryWindow retryWindow(std::uint32_t retryCount, const RetryPolicy& policy) {
  if (retryCount == 0) return {std::chrono::milliseconds(0), std::chrono::milliseconds(0)};
  const long double m = std::clamp<std::uint32_t>(policy.minimumWaitSeconds, 1, 65535);
  const long double k = std::clamp<std::uint32_t>(policy.intervalMultiplier, 1000, 65535) / 1000.0L;
  const unsigned n = std::min<unsigned>(retryCount, kMaxRetryExponent);
  const long double lowMs = 1000.0L * m * std::pow(k, static_cast<long double>(n - 1));
  const long double highMs = 1000.0L * m * std::pow(k, static_cast<long double>(n));
  return {toMs(std::round(lowMs)), toMs(std::round(highMs))};
}

std::chrono::milliseconds retryWait(std::uint32_t retryCount, const RetryPolicy& policy,
                                    const UniformRandom& random) {
  const RetryWindow window = retryWindow(retryCount, policy);
  const auto low = static_cast<std::uint64_t>(window.low.count());
  const auto high = static_cast<std::uint64_t>(window.high.count());
  const std::uint64_t pick = random(low, high);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::clamp(pick, low, high)));
}

}  // namespace tr69::session
