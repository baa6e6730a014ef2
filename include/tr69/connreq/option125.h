// TR-111 Part 1 (TR-069 Annex F): the DHCPv4 option 125 (V-I Vendor-Specific Information,
// RFC 3925) that binds a device to its gateway. The phone's DHCP client sends enterprise 3561
// with sub-options 1 ManufacturerOUI, 2 SerialNumber, 3 ProductClass; the gateway answers with
// 4, 5, 6 (its own identity), which fill Device.GatewayInfo.
//
// Wire form of the option *value* (the "payload" handed to the DHCP client):
//   enterprise-number (4 bytes, big endian) | data-len (1) | sub-options: code (1) len (1) data
// repeated per enterprise. The full option adds code 125 and the total length in front.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"

namespace tr69::connreq {

inline constexpr std::uint32_t kBroadbandForumEnterprise = 3561;
inline constexpr std::uint8_t kDhcpOptionVendorSpecific = 125;

struct DeviceIdentity {
  std::string manufacturerOui;  // six upper-case hex digits, e.g. "00085D" (Aastra)
  std::string serialNumber;
  std::string productClass;
};

struct VendorBlock {
  std::uint32_t enterprise = 0;
  std::map<std::uint8_t, std::string> subOptions;  // code -> data (a repeated code: last wins)
};

// The option value for the device side (sub-options 1, 2, 3). Fails (kInvalidArguments) when a
// field is empty or the sum does not fit the one-byte data-len / option length.
Result<std::string> encodeDeviceOption125Payload(const DeviceIdentity& identity);
// The same with the option code (125) and length in front.
Result<std::string> encodeDeviceOption125(const DeviceIdentity& identity);

// Parses an option 125 value (without code/length). Rejects truncated blocks and sub-options.
Result<std::vector<VendorBlock>> decodeOption125Payload(std::string_view payload);

// Gateway identity from sub-options 4, 5, 6 of enterprise 3561 (empty fields when absent).
DeviceIdentity gatewayIdentityFromOption125(const std::vector<VendorBlock>& blocks);

// Human-readable breakdown of a payload, one line per field (for `tr69ctl option125`).
std::string describeOption125Payload(std::string_view payload);

}  // namespace tr69::connreq
