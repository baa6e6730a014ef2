// Small wrappers over OpenSSL: HMAC-SHA1 (STUN MESSAGE-INTEGRITY, UDP connection-request
// signatures), MD5 (HTTP digest), random bytes (nonces, cwmp:ID) and hex encoding.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tr69 {

// Raw 20-byte HMAC-SHA1 of `data` keyed by `key`.
std::string hmacSha1(std::string_view key, std::string_view data);
// Raw 16-byte MD5 digest.
std::string md5(std::string_view data);
// `count` bytes from the OpenSSL CSPRNG.
std::string randomBytes(std::size_t count);
// Lower-case hex of `bytes`.
std::string toHex(std::string_view bytes);
// Decodes hex (either case); nullopt on odd length or a non-hex character.
std::optional<std::string> fromHex(std::string_view hex);
// Random lower-case hex string of `chars` characters (chars/2 random bytes, rounded up).
std::string randomHex(std::size_t chars);
// Compares two strings in time independent of where they differ (for signatures and digests).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tr69
