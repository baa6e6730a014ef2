// CWMP dateTime lexical forms (cwmp.md 7.4): ISO 8601 subset, UTC with "Z" or an offset, the
// Unknown Time 0001-01-01T00:00:00Z, and relative times (no zone, year < 1000) counted from
// 0001-01-01T00:00:00 for devices without absolute time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tr69 {

inline constexpr std::string_view kUnknownTime = "0001-01-01T00:00:00Z";

struct DateTime {
  enum class Zone : std::uint8_t { kNone, kUtc, kOffset };
  int year = 1;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::string fraction;  // digits after '.', empty if none
  Zone zone = Zone::kNone;
  int offsetMinutes = 0;  // kOffset only, east positive

  bool isUnknown() const;   // 0001-01-01T00:00:00 with a zone
  bool isRelative() const;  // no zone and year < 1000
};

// Parses YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh:mm]. Rejects out-of-range fields, invalid days of
// month (leap years honoured), missing parts and trailing text. A value without zone and with
// year >= 1000 is accepted (read as UTC), as some ACSs send it.
std::optional<DateTime> parseDateTime(std::string_view text);

// The lexical form of `value` (round-trips parseDateTime).
std::string formatDateTime(const DateTime& value);

// `time` in UTC with a "Z" suffix, whole seconds.
std::string formatUtc(std::chrono::system_clock::time_point time);

// Relative form for a device without absolute time: 2d 3h 4m 5s -> "0001-01-03T03:04:05".
std::string formatRelative(std::chrono::seconds sinceBoot);

// Seconds since the Unix epoch of an absolute value (zone applied; no zone = UTC); nullopt for
// relative or unknown times.
std::optional<std::int64_t> toUnixSeconds(const DateTime& value);

}  // namespace tr69
