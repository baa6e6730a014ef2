#include "tr69/connreq/stun_message.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "tr69/base/crypto.h"

namespace tr69::connreq::stun {
namespace {

void put16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xffff));
}

std::uint16_t get16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<std::uint8_t>(s[at]) << 8) |
                                    static_cast<std::uint8_t>(s[at + 1]));
}

std::uint32_t get32(std::string_view s, std::size_t at) {
  return (std::uint32_t{get16(s, at)} << 16) | get16(s, at + 2);
}

void putAttribute(std::string& out, std::uint16_t type, std::string_view value) {
  put16(out, type);
  put16(out, static_cast<std::uint16_t>(value.size()));
  out.append(value);
  while (out.size() % 4 != 0)
    out.push_back('\0');
}

std::string encodeAddress(const StunAddress& address) {
  std::string value;
  in6_addr v6{};
  in_addr v4{};
  if (::inet_pton(AF_INET, address.ip.c_str(), &v4) == 1) {
    value.push_back('\0');
    value.push_back('\x01');
    put16(value, address.port);
    value.append(reinterpret_cast<const char*>(&v4), 4);
  } else if (::inet_pton(AF_INET6, address.ip.c_str(), &v6) == 1) {
    value.push_back('\0');
    value.push_back('\x02');
    put16(value, address.port);
    value.append(reinterpret_cast<const char*>(&v6), 16);
  }
  return value;
}

std::optional<StunAddress> decodeAddress(std::string_view value) {
  if (value.size() < 4) return std::nullopt;
  const auto family = static_cast<std::uint8_t>(value[1]);
  StunAddress out;
  out.port = get16(value, 2);
  char text[INET6_ADDRSTRLEN] = {};
  if (family == 0x01 && value.size() == 8) {
    ::inet_ntop(AF_INET, value.data() + 4, text, sizeof(text));
  } else if (family == 0x02 && value.size() == 20) {
    ::inet_ntop(AF_INET6, value.data() + 4, text, sizeof(text));
  } else {
    return std::nullopt;
  }
  out.ip = text;
  return out;
}

// The RFC 3489 MESSAGE-INTEGRITY input: `prefix` (header + attributes before MI, with the header
// length already counting MI) zero-padded to a multiple of 64 bytes.
std::string integrityHmac(std::string prefix, std::string_view key) {
  while (prefix.size() % 64 != 0)
    prefix.push_back('\0');
  return hmacSha1(key, prefix);
}

Fault bad(std::string why) {
  return Fault(FaultCode::kInvalidArguments, "STUN: " + std::move(why));
}

}  // namespace

std::string encode(const Message& m, std::string_view integrityKey) {
  std::string out;
  put16(out, m.type);
  put16(out, 0);  // length, patched below
  out.append(reinterpret_cast<const char*>(m.transactionId.data()), m.transactionId.size());
  if (m.mappedAddress) putAttribute(out, kAttrMappedAddress, encodeAddress(*m.mappedAddress));
  if (m.responseAddress) putAttribute(out, kAttrResponseAddress, encodeAddress(*m.responseAddress));
  if (m.changeRequest) {
    std::string v;
    put32(v, *m.changeRequest);
    putAttribute(out, kAttrChangeRequest, v);
  }
  if (m.sourceAddress) putAttribute(out, kAttrSourceAddress, encodeAddress(*m.sourceAddress));
  if (m.changedAddress) putAttribute(out, kAttrChangedAddress, encodeAddress(*m.changedAddress));
  if (m.errorCode) {
    std::string v;
    put16(v, 0);
    v.push_back(static_cast<char>((m.errorCode->code / 100) & 0x07));
    v.push_back(static_cast<char>(m.errorCode->code % 100));
    v += m.errorCode->reason;
    while (v.size() % 4 != 0)
      v.push_back(' ');
    putAttribute(out, kAttrErrorCode, v);
  }
  if (!m.unknownAttributes.empty()) {
    std::string v;
    for (auto type : m.unknownAttributes)
      put16(v, type);
    if (m.unknownAttributes.size() % 2 == 1) put16(v, m.unknownAttributes.back());
    putAttribute(out, kAttrUnknownAttributes, v);
  }
  if (m.connectionRequestBinding)
    putAttribute(out, kAttrConnectionRequestBinding, kConnectionRequestBindingValue);
  if (m.bindingChange) putAttribute(out, kAttrBindingChange, {});
  if (m.username) {
    std::string v = *m.username;
    while (v.size() % 4 != 0)
      v.push_back(' ');
    putAttribute(out, kAttrUsername, v);
  }
  const auto setLength = [&out](std::size_t length) {
    out[2] = static_cast<char>((length >> 8) & 0xff);
    out[3] = static_cast<char>(length & 0xff);
  };
  if (!integrityKey.empty()) {
    setLength(out.size() - kHeaderSize + 24);
    const std::string mac = integrityHmac(out, integrityKey);
    putAttribute(out, kAttrMessageIntegrity, mac);
  }
  setLength(out.size() - kHeaderSize);
  return out;
}

Result<Message> decode(std::string_view d) {
  if (d.size() < kHeaderSize) return bad("datagram shorter than a header");
  if (d.size() > kMaxMessageSize) return bad("oversized datagram");
  Message m;
  m.type = get16(d, 0);
  if ((m.type & 0xC000) != 0) return bad("not a STUN message type");
  const std::size_t length = get16(d, 2);
  if (length != d.size() - kHeaderSize) return bad("length field disagrees with the datagram");
  std::memcpy(m.transactionId.data(), d.data() + 4, m.transactionId.size());

  std::size_t pos = kHeaderSize;
  while (pos < d.size()) {
    if (d.size() - pos < 4) return bad("truncated attribute header");
    const std::uint16_t type = get16(d, pos);
    const std::size_t len = get16(d, pos + 2);
    if (d.size() - pos - 4 < len) return bad("attribute runs past the end");
    const std::string_view value = d.substr(pos + 4, len);
    const std::size_t padded = (len + 3) & ~std::size_t{3};
    const std::size_t next = pos + 4 + std::min(padded, d.size() - pos - 4);
    switch (type) {
      case kAttrMappedAddress:
      case kAttrResponseAddress:
      case kAttrSourceAddress:
      case kAttrChangedAddress: {
        auto address = decodeAddress(value);
        if (!address) return bad("malformed address attribute");
        if (type == kAttrMappedAddress) m.mappedAddress = address;
        if (type == kAttrResponseAddress) m.responseAddress = address;
        if (type == kAttrSourceAddress) m.sourceAddress = address;
        if (type == kAttrChangedAddress) m.changedAddress = address;
        break;
      }
      case kAttrChangeRequest:
        if (len != 4) return bad("malformed CHANGE-REQUEST");
        m.changeRequest = get32(value, 0);
        break;
      case kAttrUsername: {
        std::string_view name = value;
        while (!name.empty() && name.back() == ' ')
          name.remove_suffix(1);
        m.username = std::string(name);
        break;
      }
      case kAttrMessageIntegrity:
        if (len != 20) return bad("MESSAGE-INTEGRITY is not 20 bytes");
        m.integrityOffset = pos;
        return m;  // RFC 3489: attributes after it are ignored
      case kAttrErrorCode: {
        if (len < 4) return bad("malformed ERROR-CODE");
        const unsigned cls = static_cast<std::uint8_t>(value[2]) & 0x07;
        const unsigned number = static_cast<std::uint8_t>(value[3]);
        if (cls < 1 || cls > 6 || number > 99) return bad("ERROR-CODE out of range");
        std::string_view reason = value.substr(4);
        while (!reason.empty() && (reason.back() == ' ' || reason.back() == '\0'))
          reason.remove_suffix(1);
        m.errorCode = ErrorCode{cls * 100 + number, std::string(reason)};
        break;
      }
      case kAttrUnknownAttributes:
        if (len % 2 != 0) return bad("malformed UNKNOWN-ATTRIBUTES");
        for (std::size_t i = 0; i + 1 < len; i += 2)
          m.unknownAttributes.push_back(get16(value, i));
        break;
      case kAttrConnectionRequestBinding:
        if (value != kConnectionRequestBindingValue)
          return bad("wrong CONNECTION-REQUEST-BINDING value");
        m.connectionRequestBinding = true;
        break;
      case kAttrBindingChange:
        m.bindingChange = true;
        break;
      default:
        if (type < 0x8000) m.unknownMandatory.push_back(type);
        break;
    }
    pos = next;
  }
  return m;
}

bool verifyIntegrity(std::string_view datagram, const Message& decoded, std::string_view key) {
  if (!decoded.integrityOffset) return false;
  const std::size_t offset = *decoded.integrityOffset;
  if (offset + 24 > datagram.size()) return false;
  std::string prefix(datagram.substr(0, offset));
  const std::size_t length = offset - kHeaderSize + 24;
  prefix[2] = static_cast<char>((length >> 8) & 0xff);
  prefix[3] = static_cast<char>(length & 0xff);
  return constantTimeEquals(integrityHmac(std::move(prefix), key), datagram.substr(offset + 4, 20));
}

bool looksLikeStun(std::string_view datagram) {
  return !datagram.empty() && (datagram[0] == '\x00' || datagram[0] == '\x01');
}

TransactionId randomTransactionId() {
  TransactionId id{};
  const std::string bytes = randomBytes(id.size());
  std::memcpy(id.data(), bytes.data(), id.size());
  return id;
}

}  // namespace tr69::connreq::stun
