// What the firmware build knows about this phone: the identity file (tr69d --identity FILE), in
// the phone's own `key: value` syntax (parsed with config::ConfigFile, so comments, quoting and
// case-insensitive keys work as in the config files).
//
// Keys:
//   model              required, e.g. "6757i"                 -> DeviceInfo.ModelName
//   mac                required, any common spelling          -> LAN.MACAddress fallback, <mac>.cfg
//   serial             optional (warning when missing)        -> DeviceInfo.SerialNumber
//   software version   optional (warning when missing)        -> DeviceInfo.SoftwareVersion
//   hardware version   optional (warning when missing)        -> DeviceInfo.HardwareVersion
//   manufacturer       optional, default "Aastra"             -> DeviceInfo.Manufacturer
//   oui                optional, default "00085D"             -> DeviceInfo.ManufacturerOUI
//   product class      optional, default = model              -> DeviceInfo.ProductClass
//   description        optional, default "Aastra <model> SIP phone"
//   additional hardware version / additional software version  optional, comma-separated lists
// [INFERRED] defaults (kept only here): Manufacturer "Aastra" and OUI "00085D" (the IEEE OUI
// registered to Aastra, the prefix of every Aastra MAC address); ProductClass = the model name.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"

namespace tr69::phone {

inline constexpr std::string_view kDefaultManufacturer = "Aastra";
inline constexpr std::string_view kDefaultOui = "00085D";
inline constexpr std::size_t kMaxIdentityFileBytes = 64 * 1024;

struct Identity {
  std::string model;
  std::string mac;  // 12 upper-case hex digits, "00085D1A2B3C"
  std::string serial;
  std::string softwareVersion;
  std::string hardwareVersion;
  std::string manufacturer = std::string(kDefaultManufacturer);
  std::string oui = std::string(kDefaultOui);
  std::string productClass;
  std::string description;
  std::string additionalHardwareVersion;
  std::string additionalSoftwareVersion;

  // "00:08:5D:1A:2B:3C".
  std::string macWithColons() const;

  // Parses the file's content; `displayName` names the file in faults and log lines.
  // kInvalidArguments (9003) naming the file and key when `model` or `mac` is missing or the MAC,
  // OUI or a value is malformed (values longer than 64 characters, model not a file-name stem).
  static Result<Identity> parse(std::string_view content, std::string_view displayName,
                                const Logger& log);
  // Reads and parses `path` (at most kMaxIdentityFileBytes).
  static Result<Identity> load(const std::filesystem::path& path, const Logger& log);
};

}  // namespace tr69::phone
