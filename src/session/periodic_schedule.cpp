#include "tr69/session/periodic_schedule.h"

#include <cctype>
#include <string>

namespace tr69::session {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;
using std::chrono::system_clock;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-days algorithm).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leapYear(unsigned y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(unsigned y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly `width` digits at `pos`.
bool digits(std::string_view text, std::size_t& pos, std::size_t width, unsigned& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + static_cast<unsigned>(c - '0');
  }
  pos += width;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// Floor division for a positive divisor.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

}  // namespace

std::optional<InformTime> parseInformTime(std::string_view text) {
  std::size_t pos = 0;
  unsigned year, month, day, hour, minute, second;
  if (!digits(text, pos, 4, year) || !expect(text, pos, '-') || !digits(text, pos, 2, month) ||
      !expect(text, pos, '-') || !digits(text, pos, 2, day) || !expect(text, pos, 'T') ||
      !digits(text, pos, 2, hour) || !expect(text, pos, ':') || !digits(text, pos, 2, minute) ||
      !expect(text, pos, ':') || !digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  if (year == 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
      hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
      ++pos;
    if (pos == start) return std::nullopt;  // fractions are accepted and ignored
  }
  std::int64_t offsetSeconds = 0;
  if (pos < text.size()) {
    const char sign = text[pos];
    if (sign == 'Z') {
      ++pos;
    } else if (sign == '+' || sign == '-') {
      ++pos;
      unsigned offH, offM;
      if (!digits(text, pos, 2, offH) || !expect(text, pos, ':') || !digits(text, pos, 2, offM) ||
          offH > 23 || offM > 59) {
        return std::nullopt;
      }
      offsetSeconds = (sign == '+' ? 1 : -1) * static_cast<std::int64_t>(offH * 3600 + offM * 60);
    } else {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;

  InformTime out;
  out.unknown = year == 1 && month == 1 && day == 1 && hour == 0 && minute == 0 && second == 0;
  const std::int64_t days = daysFromCivil(year, month, day);
  out.utc = sys_seconds(seconds(days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds));
  return out;
}

std::optional<system_clock::time_point> nextPeriodicInform(const PeriodicInformSettings& settings,
                                                           system_clock::time_point now,
                                                           system_clock::time_point phaseAnchor) {
  if (!settings.enable || settings.intervalSeconds == 0) return std::nullopt;
  const std::int64_t interval = settings.intervalSeconds;
  const sys_seconds reference =
      settings.time.unknown ? std::chrono::floor<seconds>(phaseAnchor) : settings.time.utc;
  const sys_seconds nowSeconds = std::chrono::floor<seconds>(now);
  const std::int64_t elapsed = (nowSeconds - reference).count();
  // The smallest reference + N*interval that is later than `now` (whole seconds are later than
  // any fraction of the second they follow).
  const std::int64_t steps = floorDiv(elapsed, interval) + 1;
  const sys_seconds next = reference + seconds(steps * interval);
  return std::chrono::time_point_cast<system_clock::duration>(next);
}

}  // namespace tr69::session
