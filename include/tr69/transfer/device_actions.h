// What the transfer module needs from the phone. The daemon implements it (phone + config
// modules, --firmware-command); tests use a fake. Every call runs on the event loop thread.
#pragma once

#include <filesystem>
#include <string>

#include "tr69/base/fault.h"

namespace tr69::transfer {

class DeviceActions {
 public:
  virtual ~DeviceActions() = default;

  // Installs the verified firmware image at `image` (runs --firmware-command). Called by
  // TransferManager::installPendingFirmware() only, i.e. after the session that asked for it has
  // ended; the caller reboots afterwards when it succeeds. The command may also reboot the device
  // itself and never return. A fault ends the download with TransferComplete 9010.
  virtual Status installFirmware(const std::filesystem::path& image) = 0;

  // Applies a downloaded "3 Vendor Configuration File" whose syntax was already checked
  // (config::ConfigFile parses it without a bad line): writes it as local.cfg and applies the
  // affected lines. A fault is reported in TransferComplete: its code when TransferComplete may
  // carry it (allowedInTransferComplete), otherwise 9010, with its message as FaultString.
  virtual Status applyConfigFile(const std::string& content) = 0;

  // The content of local.cfg for "1 Vendor Configuration File" uploads.
  virtual Result<std::string> configBackup() = 0;
  // The log for "2 Vendor Log File" uploads.
  virtual Result<std::string> logFile() = 0;
  // The phone's MAC address (any of "00085D1A2B3C", "00:08:5d:1a:2b:3c", "00-08-5D-..."): the
  // upload file names use it as 12 upper-case hex digits.
  virtual std::string deviceMac() = 0;
};

}  // namespace tr69::transfer
