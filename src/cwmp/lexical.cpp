#include "tr69/cwmp/lexical.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace tr69::cwmp {
namespace {

bool isXmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && isXmlSpace(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && isXmlSpace(text.back()))
    text.remove_suffix(1);
  return text;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

template <class T>
std::optional<T> parseNumber(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return false;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

int number(std::string_view text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i)
    value = value * 10 + (text[i] - '0');
  return value;
}

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

constexpr char32_t kReplacement = 0xFFFD;

bool isXmlChar(char32_t c) {
  if (c < 0x20) return c == 0x9 || c == 0xA || c == 0xD;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  return c != 0xFFFE && c != 0xFFFF && c <= 0x10FFFF;
}

}  // namespace

std::optional<bool> parseBoolean(std::string_view text) {
  text = trim(text);
  if (text == "1" || equalsIgnoreCase(text, "true")) return true;
  if (text == "0" || equalsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

std::optional<std::uint32_t> parseUnsignedInt(std::string_view text) {
  return parseNumber<std::uint32_t>(text);
}

std::optional<std::int32_t> parseInt(std::string_view text) {
  return parseNumber<std::int32_t>(text);
}

bool isValidDateTime(std::string_view text) {
  text = trim(text);
  // YYYY-MM-DDThh:mm:ss
  if (!digits(text, 0, 4) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2) ||
      text[7] != '-' || !digits(text, 8, 2) || text[10] != 'T' || !digits(text, 11, 2) ||
      text[13] != ':' || !digits(text, 14, 2) || text[16] != ':' || !digits(text, 17, 2)) {
    return false;
  }
  int month = number(text, 5, 2), day = number(text, 8, 2);
  int hour = number(text, 11, 2), minute = number(text, 14, 2), second = number(text, 17, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) {
    return false;
  }
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
      ++pos;
    if (pos == start) return false;
  }
  if (pos == text.size()) return true;  // no time zone: relative time
  if (text[pos] == 'Z') return pos + 1 == text.size();
  if (text[pos] != '+' && text[pos] != '-') return false;
  return text.size() == pos + 6 && digits(text, pos + 1, 2) && text[pos + 3] == ':' &&
         digits(text, pos + 4, 2) && number(text, pos + 1, 2) <= 14 &&
         number(text, pos + 4, 2) <= 59;
}

std::string formatDateTime(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer.data();
}

std::string formatDateTime(std::chrono::system_clock::time_point time,
                           std::chrono::seconds utcOffset) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time + utcOffset);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%S", &parts);
  long offset = static_cast<long>(utcOffset.count());
  char sign = offset < 0 ? '-' : '+';
  if (offset < 0) offset = -offset;
  std::array<char, 8> zone{};
  std::snprintf(zone.data(), zone.size(), "%c%02ld:%02ld", sign, (offset / 3600) % 100,
                (offset / 60) % 60);
  return std::string(buffer.data()) + zone.data();
}

std::string encodeBase64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    std::uint32_t n = (static_cast<unsigned char>(data[i]) << 16) |
                      (static_cast<unsigned char>(data[i + 1]) << 8) |
                      static_cast<unsigned char>(data[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  if (i < data.size()) {
    std::uint32_t n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> decodeBase64(std::string_view text) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0, padding = 0;
  std::size_t total = 0;
  for (char c : text) {
    if (isXmlSpace(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    auto index = kBase64Alphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(index);
    ++total;
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xFF);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 1 || padding > 2 || (padding > 0 && (total + padding) % 4 != 0)) {
    return std::nullopt;
  }
  if (count == 2) out += static_cast<char>((bits >> 4) & 0xFF);
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xFF);
    out += static_cast<char>((bits >> 2) & 0xFF);
  }
  return out;
}

namespace {

// Per escape mode, the bytes copied as they are: printable ASCII plus the whitespace XML allows,
// minus the markup characters the mode replaces by references (kText: gSOAP's element content).
struct PlainBytes {
  std::array<bool, 256> plain{};
  constexpr explicit PlainBytes(XmlEscape escape) {
    for (int c = 0x20; c < 0x80; ++c)
      plain[static_cast<std::size_t>(c)] = true;
    plain['\t'] = plain['\n'] = plain['\r'] = true;
    if (escape == XmlEscape::kNone) return;
    plain['&'] = plain['<'] = plain['>'] = plain['\r'] = plain[0x7F] = false;
  }
};
constexpr PlainBytes kPlainNone(XmlEscape::kNone);
constexpr PlainBytes kPlainText(XmlEscape::kText);

// The reference for an ASCII byte that is not plain in kText ("" if none).
std::string_view reference(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '\r':
      return "&#xD;";
    case '\x7F':
      return "&#x7F;";
    default:
      return {};
  }
}

// Eight bytes at a time: the end of the leading run of bytes in 0x20..0x7E other than & < >
// (a conservative start for the table scan: tab and LF are left to it).
std::size_t plainTextPrefix(std::string_view text, std::size_t pos) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHigh = 0x8080808080808080u;
  auto hasZeroByte = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  while (pos + 8 <= text.size()) {
    std::uint64_t v;
    std::memcpy(&v, text.data() + pos, sizeof v);
    const bool special = (v & kHigh) != 0 || ((v - kOnes * 0x20) & ~v & kHigh) != 0 ||
                         hasZeroByte(v ^ (kOnes * '&')) || hasZeroByte(v ^ (kOnes * '<')) ||
                         hasZeroByte(v ^ (kOnes * '>')) || hasZeroByte(v ^ (kOnes * 0x7F));
    if (special) break;
    pos += 8;
  }
  return pos;
}

}  // namespace

void appendXmlText(std::string& out, std::string_view text, XmlEscape escape) {
  const std::array<bool, 256>& plain =
      escape == XmlEscape::kNone ? kPlainNone.plain : kPlainText.plain;
  std::size_t i = 0;
  while (i < text.size()) {
    // Runs of plain ASCII (nearly every value) are copied in one append.
    std::size_t end = i;
    if (escape == XmlEscape::kText) end = plainTextPrefix(text, end);
    while (end < text.size() && plain[static_cast<unsigned char>(text[end])])
      ++end;
    out.append(text.data() + i, end - i);
    i = end;
    if (i == text.size()) break;
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      std::string_view ref = isXmlChar(byte) ? reference(text[i]) : std::string_view();
      if (ref.empty()) {
        appendUtf8(out, kReplacement);
      } else {
        out.append(ref);
      }
      ++i;
      continue;
    }
    std::size_t length = byte >= 0xF0 && byte <= 0xF4   ? 4
                         : byte >= 0xE0 && byte <= 0xEF ? 3
                         : byte >= 0xC2 && byte <= 0xDF ? 2
                                                        : 0;
    char32_t c = length == 4 ? byte & 0x07 : length == 3 ? byte & 0x0F : byte & 0x1F;
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) valid = false;
      c = (c << 6) | (next & 0x3F);
    }
    // Reject overlong 3/4-byte forms and anything XML cannot carry.
    if (valid && ((length == 3 && c < 0x800) || (length == 4 && c < 0x10000) || !isXmlChar(c))) {
      valid = false;
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      appendUtf8(out, kReplacement);
      ++i;
    }
  }
}

std::string toXmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  appendXmlText(out, text, XmlEscape::kNone);
  return out;
}

}  // namespace tr69::cwmp
