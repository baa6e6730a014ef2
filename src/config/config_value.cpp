#include "tr69/config/config_value.h"

#include <cstddef>

namespace tr69::config {
namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

char asciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  }
  return true;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string normalizeKey(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  bool pendingSpace = false;
  for (const char c : key) {
    if (isBlank(c)) {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace) out.push_back(' ');
    pendingSpace = false;
    out.push_back(asciiLower(c));
  }
  return out;
}

bool isNormalizedKey(std::string_view key) {
  if (key.empty()) return true;
  if (isBlank(key.front()) || isBlank(key.back())) return false;
  char previous = '\0';
  for (const char c : key) {
    if (c == '\t' || (c >= 'A' && c <= 'Z') || (c == ' ' && previous == ' ')) return false;
    previous = c;
  }
  return true;
}

bool isSecretKey(std::string_view normalizedKey) {
  return normalizedKey.find("password") != std::string_view::npos ||
         normalizedKey.find("key") != std::string_view::npos;
}

bool isValidUtf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string_view unquoteValue(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

std::string formatValue(std::string_view normalizedKey, std::string_view value) {
  const bool alwaysQuoted =
      endsWith(normalizedKey, "dial plan") || endsWith(normalizedKey, "label");
  const bool edgeBlank = !value.empty() && (isBlank(value.front()) || isBlank(value.back()));
  const bool looksQuoted = value.size() >= 2 && value.front() == '"' && value.back() == '"';
  if (!alwaysQuoted && !edgeBlank && !looksQuoted) return std::string(value);
  // Appended, not "\"" + ... + "\"": GCC 12 at -O3 misfires -Wrestrict on that (PR105329).
  std::string quoted;
  quoted.reserve(value.size() + 2);
  quoted.append(1, '"').append(value).append(1, '"');
  return quoted;
}

std::optional<bool> parseBool(std::string_view text) {
  while (!text.empty() && isBlank(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && isBlank(text.back()))
    text.remove_suffix(1);
  if (text == "1" || iequals(text, "true")) return true;
  if (text == "0" || iequals(text, "false")) return false;
  return std::nullopt;
}

std::optional<std::uint32_t> parseUnsigned(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

}  // namespace tr69::config
