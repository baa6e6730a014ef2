#include "tr69/connreq/option125.h"

#include <sstream>

#include "tr69/base/crypto.h"

namespace tr69::connreq {
namespace {

Fault invalid(std::string message) {
  return Fault(FaultCode::kInvalidArguments, "option 125: " + std::move(message));
}

std::string_view subOptionName(std::uint32_t enterprise, std::uint8_t code) {
  if (enterprise != kBroadbandForumEnterprise) return "sub-option";
  switch (code) {
    case 1:
      return "DeviceManufacturerOUI";
    case 2:
      return "DeviceSerialNumber";
    case 3:
      return "DeviceProductClass";
    case 4:
      return "GatewayManufacturerOUI";
    case 5:
      return "GatewaySerialNumber";
    case 6:
      return "GatewayProductClass";
    default:
      return "sub-option";
  }
}

bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Result<std::string> encodeDeviceOption125Payload(const DeviceIdentity& identity) {
  const std::pair<std::uint8_t, const std::string*> fields[] = {
      {1, &identity.manufacturerOui}, {2, &identity.serialNumber}, {3, &identity.productClass}};
  std::string data;
  for (const auto& [code, value] : fields) {
    if (value->empty()) return invalid("sub-option " + std::to_string(code) + " is empty");
    if (value->size() > 255) return invalid("sub-option " + std::to_string(code) + " too long");
    data.push_back(static_cast<char>(code));
    data.push_back(static_cast<char>(value->size()));
    data += *value;
  }
  // data-len is one byte, and the whole option value (4 + 1 + data) must fit the option length.
  if (data.size() > 255 - 5) return invalid("sub-options exceed the option length");
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((kBroadbandForumEnterprise >> shift) & 0xff));
  }
  out.push_back(static_cast<char>(data.size()));
  out += data;
  return out;
}

Result<std::string> encodeDeviceOption125(const DeviceIdentity& identity) {
  auto payload = encodeDeviceOption125Payload(identity);
  if (!payload) return payload.fault();
  std::string out;
  out.push_back(static_cast<char>(kDhcpOptionVendorSpecific));
  out.push_back(static_cast<char>(payload->size()));
  return out + *payload;
}

Result<std::vector<VendorBlock>> decodeOption125Payload(std::string_view payload) {
  std::vector<VendorBlock> blocks;
  std::size_t pos = 0;
  const auto byte = [&](std::size_t at) { return static_cast<std::uint8_t>(payload[at]); };
  while (pos < payload.size()) {
    if (payload.size() - pos < 5) return invalid("truncated enterprise header");
    VendorBlock block;
    block.enterprise = (std::uint32_t{byte(pos)} << 24) | (std::uint32_t{byte(pos + 1)} << 16) |
                       (std::uint32_t{byte(pos + 2)} << 8) | byte(pos + 3);
    const std::size_t dataLen = byte(pos + 4);
    pos += 5;
    if (payload.size() - pos < dataLen) return invalid("data-len runs past the end");
    const std::size_t end = pos + dataLen;
    while (pos < end) {
      if (end - pos < 2) return invalid("truncated sub-option header");
      const std::uint8_t code = byte(pos);
      const std::size_t len = byte(pos + 1);
      pos += 2;
      if (end - pos < len) return invalid("sub-option runs past its block");
      block.subOptions[code] = std::string(payload.substr(pos, len));
      pos += len;
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

DeviceIdentity gatewayIdentityFromOption125(const std::vector<VendorBlock>& blocks) {
  DeviceIdentity out;
  for (const auto& block : blocks) {
    if (block.enterprise != kBroadbandForumEnterprise) continue;
    const auto get = [&](std::uint8_t code, std::string& field) {
      if (auto it = block.subOptions.find(code); it != block.subOptions.end()) field = it->second;
    };
    get(4, out.manufacturerOui);
    get(5, out.serialNumber);
    get(6, out.productClass);
  }
  return out;
}

std::string describeOption125Payload(std::string_view payload) {
  std::ostringstream out;
  out << "option 125 (" << payload.size() << " bytes): " << toHex(payload) << "\n";
  auto blocks = decodeOption125Payload(payload);
  if (!blocks) {
    out << "  malformed: " << blocks.fault().message << "\n";
    return out.str();
  }
  for (const auto& block : *blocks) {
    out << "  enterprise " << block.enterprise
        << (block.enterprise == kBroadbandForumEnterprise ? " (Broadband Forum)" : "") << "\n";
    for (const auto& [code, data] : block.subOptions) {
      out << "    " << unsigned{code} << " " << subOptionName(block.enterprise, code) << " ("
          << data.size() << "): ";
      if (printable(data)) {
        out << "\"" << data << "\"\n";
      } else {
        out << toHex(data) << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace tr69::connreq
