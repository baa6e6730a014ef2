// Classic STUN (RFC 3489) messages as TR-111 Part 2 requires them (cwmp.md §6.3), written by
// hand: TR-111 is defined only for RFC 3489 framing (a 128-bit transaction id, no magic cookie)
// and needs the vendor attributes 0xC001/0xC002 that STUN libraries refuse (dependencies.md §6).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"

namespace tr69::connreq::stun {

inline constexpr std::uint16_t kBindingRequest = 0x0001;
inline constexpr std::uint16_t kBindingResponse = 0x0101;
inline constexpr std::uint16_t kBindingErrorResponse = 0x0111;

inline constexpr std::uint16_t kAttrMappedAddress = 0x0001;
inline constexpr std::uint16_t kAttrResponseAddress = 0x0002;
inline constexpr std::uint16_t kAttrChangeRequest = 0x0003;
inline constexpr std::uint16_t kAttrSourceAddress = 0x0004;
inline constexpr std::uint16_t kAttrChangedAddress = 0x0005;
inline constexpr std::uint16_t kAttrUsername = 0x0006;
inline constexpr std::uint16_t kAttrMessageIntegrity = 0x0008;
inline constexpr std::uint16_t kAttrErrorCode = 0x0009;
inline constexpr std::uint16_t kAttrUnknownAttributes = 0x000A;
inline constexpr std::uint16_t kAttrConnectionRequestBinding = 0xC001;
inline constexpr std::uint16_t kAttrBindingChange = 0xC002;

// The value of CONNECTION-REQUEST-BINDING, with its trailing space (20 bytes).
inline constexpr std::string_view kConnectionRequestBindingValue = "dslforum.org/TR-111 ";

inline constexpr std::size_t kHeaderSize = 20;
inline constexpr std::size_t kMaxMessageSize = 1500;  // larger datagrams are refused

using TransactionId = std::array<std::uint8_t, 16>;

struct StunAddress {
  std::string ip;  // numeric IPv4 (family 0x01) or IPv6 (family 0x02)
  std::uint16_t port = 0;
  bool operator==(const StunAddress&) const = default;
};

struct ErrorCode {
  unsigned code = 0;  // class * 100 + number, e.g. 401
  std::string reason;
};

struct Message {
  std::uint16_t type = kBindingRequest;
  TransactionId transactionId{};
  std::optional<StunAddress> mappedAddress;
  std::optional<StunAddress> responseAddress;
  std::optional<StunAddress> sourceAddress;
  std::optional<StunAddress> changedAddress;
  std::optional<std::uint32_t> changeRequest;
  std::optional<std::string> username;
  std::optional<ErrorCode> errorCode;
  std::vector<std::uint16_t> unknownAttributes;  // the UNKNOWN-ATTRIBUTES attribute's list
  bool connectionRequestBinding = false;
  bool bindingChange = false;

  // Filled by decode(): where MESSAGE-INTEGRITY starts (offset of its attribute header), if any.
  std::optional<std::size_t> integrityOffset;
  // Filled by decode(): mandatory (< 0x8000) attribute types this decoder does not know.
  std::vector<std::uint16_t> unknownMandatory;
};

// Encodes `message`. With a non-empty `integrityKey`, MESSAGE-INTEGRITY is appended last: the
// HMAC-SHA1 keyed by `integrityKey` over the message up to that attribute, the header length
// already counting it, zero-padded to a multiple of 64 bytes (RFC 3489 §11.2.8).
// USERNAME is padded with spaces to a multiple of 4 (RFC 3489 requires the length to be one).
std::string encode(const Message& message, std::string_view integrityKey = {});

// Decodes one datagram. Refuses (kInvalidArguments): short or oversized datagrams, a length
// field that disagrees with the datagram, attributes running past the end, malformed address
// or error attributes, a wrong CONNECTION-REQUEST-BINDING value. Attributes after
// MESSAGE-INTEGRITY are ignored (RFC 3489). Accepts unpadded attribute lengths (padded to 4).
Result<Message> decode(std::string_view datagram);

// Checks MESSAGE-INTEGRITY of a decoded datagram with `key` (false when there is none).
bool verifyIntegrity(std::string_view datagram, const Message& decoded, std::string_view key);

// True for a datagram that looks like STUN (first byte 0x00 or 0x01), false for anything else
// (a UDP connection request starts with "GET ").
bool looksLikeStun(std::string_view datagram);

TransactionId randomTransactionId();

}  // namespace tr69::connreq::stun
