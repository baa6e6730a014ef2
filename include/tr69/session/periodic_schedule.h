// When the next periodic Inform ("2 PERIODIC") is due (cwmp.md 4.4, aastra-tr069-guide.md 4).
//
// Informs fall on PeriodicInformTime + N * PeriodicInformInterval for any integer N:
// PeriodicInformTime only sets the phase and may lie far in the past or the future. When it is
// the Unknown Time (0001-01-01T00:00:00Z) the CPE chooses the phase: the caller passes the anchor
// it chose (the engine uses the moment it started or the moment the settings changed, so informs
// keep the interval instead of drifting with every session).
//
// Use: after start-up, after every periodic Inform and whenever one of the three parameters
// changes, call nextPeriodicInform(settings, now, anchor) and arm a timer for the difference.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tr69::session {

// PeriodicInformTime after parsing. Seconds since the epoch, which reaches years 0001..9999
// (system_clock::time_point in nanoseconds would not).
struct InformTime {
  bool unknown = true;  // the Unknown Time: the CPE chooses the phase
  std::chrono::sys_seconds utc{};
};

// Parses "YYYY-MM-DDThh:mm:ss" with optional fraction and an optional "Z" or "+hh:mm"/"-hh:mm"
// offset; without an offset the time is UTC (the Aastra key format). nullopt when malformed.
// The private helper of this module: the model has its own dateTime type.
std::optional<InformTime> parseInformTime(std::string_view text);

struct PeriodicInformSettings {
  bool enable = false;
  std::uint32_t intervalSeconds = 0;  // 0 disables (the parameter's range starts at 1)
  InformTime time;
};

// The first inform instant strictly after `now`, or nullopt when periodic informs are off.
std::optional<std::chrono::system_clock::time_point> nextPeriodicInform(
    const PeriodicInformSettings& settings, std::chrono::system_clock::time_point now,
    std::chrono::system_clock::time_point phaseAnchor);

}  // namespace tr69::session
