// TR-111 Part 2 UDP connection requests (cwmp.md §6.4): one datagram holding
//   GET http://host:port?ts=..&id=..&un=..&cn=..&sig=.. HTTP/1.1
// parsed, then verified against ConnectionRequestUsername/Password and the last accepted ts/id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tr69/base/fault.h"

namespace tr69::connreq {

// Datagrams larger than this are refused unparsed.
inline constexpr std::size_t kMaxUdpConnectionRequestSize = 2048;

struct UdpConnectionRequest {
  std::string ts;  // decimal Unix time, as sent (percent-decoded)
  std::string id;
  std::string un;
  std::string cn;
  std::string sig;  // 40 hex characters
  std::uint64_t timestamp = 0;
};

// Parses the request line (extra header lines are ignored). Tolerates CRLF or LF, extra spaces,
// an "http"/"HTTP" scheme, an optional "/" before "?", extra query parameters and percent or '+'
// encoding. Fails (kInvalidArguments) on anything else, on a missing ts/id/un/cn/sig, a
// non-numeric ts and on oversized input.
Result<UdpConnectionRequest> parseUdpConnectionRequest(std::string_view datagram);

// Percent-decoding of one application/x-www-form-urlencoded value ('+' is a space).
std::optional<std::string> percentDecode(std::string_view text);

// hex(HMAC-SHA1(password, ts || id || un || cn)), lower case.
std::string udpConnectionRequestSignature(std::string_view password, std::string_view ts,
                                          std::string_view id, std::string_view un,
                                          std::string_view cn);

// The last accepted request (persisted across restarts, see UdpReplayStore).
struct UdpReplayState {
  std::uint64_t lastTimestamp = 0;
  std::string lastId;
  bool any = false;  // false until the first request was accepted
};

enum class UdpVerdict {
  kAccept,
  kNoCredentials,  // ConnectionRequestUsername or Password empty: UDP CRs refused
  kWrongUser,
  kBadSignature,
  kStaleTimestamp,  // ts not newer than the last accepted one
  kReplayedId,      // id equals the last accepted one
};

std::string_view udpVerdictText(UdpVerdict verdict);

// Checks in this order: credentials configured, un, sig (constant time, case-insensitive hex),
// then replay (id equal to the last accepted id; ts not strictly greater than the last one).
// Replay checks come after the signature so that a forged datagram tells an attacker nothing.
UdpVerdict verifyUdpConnectionRequest(const UdpConnectionRequest& request,
                                      std::string_view username, std::string_view password,
                                      const UdpReplayState& state);

}  // namespace tr69::connreq
