#include "tr69/base/datetime.h"

#include <cstdio>

namespace tr69 {
namespace {

bool isLeap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
}

// Reads exactly `width` digits at `pos`.
bool readDigits(std::string_view text, std::size_t& pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  out = value;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

bool DateTime::isUnknown() const {
  return zone != Zone::kNone && year == 1 && month == 1 && day == 1 && hour == 0 && minute == 0 &&
         second == 0 && offsetMinutes == 0;
}

bool DateTime::isRelative() const {
  return zone == Zone::kNone && year < 1000;
}

std::optional<DateTime> parseDateTime(std::string_view text) {
  DateTime v;
  std::size_t pos = 0;
  if (!readDigits(text, pos, 4, v.year) || !expect(text, pos, '-') ||
      !readDigits(text, pos, 2, v.month) || !expect(text, pos, '-') ||
      !readDigits(text, pos, 2, v.day) || !expect(text, pos, 'T') ||
      !readDigits(text, pos, 2, v.hour) || !expect(text, pos, ':') ||
      !readDigits(text, pos, 2, v.minute) || !expect(text, pos, ':') ||
      !readDigits(text, pos, 2, v.second)) {
    return std::nullopt;
  }
  if (v.year < 1 || v.month < 1 || v.month > 12 || v.day < 1 ||
      v.day > daysInMonth(v.year, v.month) || v.hour > 23 || v.minute > 59 || v.second > 59) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
      ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
    v.fraction = std::string(text.substr(start, pos - start));
  }
  if (pos < text.size()) {
    char c = text[pos];
    if (c == 'Z') {
      ++pos;
      v.zone = DateTime::Zone::kUtc;
    } else if (c == '+' || c == '-') {
      ++pos;
      int hours = 0;
      int minutes = 0;
      if (!readDigits(text, pos, 2, hours) || !expect(text, pos, ':') ||
          !readDigits(text, pos, 2, minutes) || hours > 14 || minutes > 59) {
        return std::nullopt;
      }
      v.zone = DateTime::Zone::kOffset;
      v.offsetMinutes = (hours * 60 + minutes) * (c == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return v;
}

std::string formatDateTime(const DateTime& v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", v.year, v.month, v.day, v.hour,
                v.minute, v.second);
  std::string out = buf;
  if (!v.fraction.empty()) out += "." + v.fraction;
  if (v.zone == DateTime::Zone::kUtc) {
    out += "Z";
  } else if (v.zone == DateTime::Zone::kOffset) {
    int m = v.offsetMinutes < 0 ? -v.offsetMinutes : v.offsetMinutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", v.offsetMinutes < 0 ? '-' : '+', m / 60, m % 60);
    out += buf;
  }
  return out;
}

std::string formatUtc(std::chrono::system_clock::time_point time) {
  std::int64_t secs =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t rem = secs - days * 86400;
  // Civil date from days since epoch (inverse of daysFromCivil).
  std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  DateTime v;
  v.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  v.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  v.year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (v.month <= 2));
  v.hour = static_cast<int>(rem / 3600);
  v.minute = static_cast<int>(rem % 3600 / 60);
  v.second = static_cast<int>(rem % 60);
  v.zone = DateTime::Zone::kUtc;
  return formatDateTime(v);
}

std::string formatRelative(std::chrono::seconds sinceBoot) {
  std::int64_t s = sinceBoot.count() < 0 ? 0 : sinceBoot.count();
  std::int64_t days = s / 86400;
  char buf[64];
  // Relative times are counted from 0001-01-01; days beyond January roll into the month field
  // only up to what the form can show, so they are expressed as day-of-year in January..December
  // of year 1 (non-leap) and then in following years.
  std::int64_t year = 1;
  while (days >= 365) {
    days -= 365;
    ++year;
  }
  int month = 1;
  while (days >= daysInMonth(1, month)) {
    days -= daysInMonth(1, month);
    ++month;
  }
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02lldT%02lld:%02lld:%02lld",
                static_cast<long long>(year), month, static_cast<long long>(days + 1),
                static_cast<long long>(s % 86400 / 3600), static_cast<long long>(s % 3600 / 60),
                static_cast<long long>(s % 60));
  return buf;
}

std::optional<std::int64_t> toUnixSeconds(const DateTime& v) {
  if (v.isRelative() || v.isUnknown()) return std::nullopt;
  std::int64_t days =
      daysFromCivil(v.year, static_cast<unsigned>(v.month), static_cast<unsigned>(v.day));
  std::int64_t secs = days * 86400 + v.hour * 3600 + v.minute * 60 + v.second;
  if (v.zone == DateTime::Zone::kOffset) secs -= static_cast<std::int64_t>(v.offsetMinutes) * 60;
  return secs;
}

}  // namespace tr69
