// Text rules shared by everything that reads or writes Aastra `key: value` files: key
// normalisation, which keys hold secrets, value quoting on write, booleans and UTF-8 checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tr69::config {

// A key as the phone compares it: ASCII lower case, surrounding whitespace trimmed, every inner
// run of spaces/tabs collapsed to one space ("SIP  Line1\tAuth Name " -> "sip line1 auth name").
std::string normalizeKey(std::string_view key);
// True when normalizeKey(key) == key: lets callers skip building a normalised copy.
bool isNormalizedKey(std::string_view key);

// True for keys whose values must never be logged: the normalised key contains "password" or
// "key" ("sip line1 password", "tr69 private key", "sips private key").
bool isSecretKey(std::string_view normalizedKey);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF).
bool isValidUtf8(std::string_view text);

// Strips one pair of surrounding double quotes (`"x+^"` -> `x+^`); anything else is unchanged.
std::string_view unquoteValue(std::string_view value);

// The value text to write after `key:` so that reading it back yields `value` exactly. Quotes
// only when needed (aastra-config.md 1a): leading/trailing whitespace, a value that itself starts
// and ends with `"`, and always for dial plans and labels (keys ending in "dial plan" or
// "label"), which the phone's own files quote. Never adds a trailing comment.
std::string formatValue(std::string_view normalizedKey, std::string_view value);

// Booleans as the guide allows them on read: 0/1/true/false, case-insensitive, surrounding
// whitespace ignored. nullopt for anything else.
std::optional<bool> parseBool(std::string_view text);
// Booleans are always written 0/1.
inline std::string_view formatBool(bool value) {
  return value ? "1" : "0";
}

// A plain decimal unsigned number (no sign, no spaces inside, at most 10 digits, <= 2^32-1).
std::optional<std::uint32_t> parseUnsigned(std::string_view text);

}  // namespace tr69::config
