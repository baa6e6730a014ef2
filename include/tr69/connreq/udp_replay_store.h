// Persistence of the last accepted UDP connection request (ts and id), so that a datagram
// captured before a restart cannot be replayed after it (design.md "Persistence").
#pragma once

#include <filesystem>

#include "tr69/base/fault.h"
#include "tr69/connreq/udp_request.h"

namespace tr69::connreq {

class UdpReplayStore {
 public:
  // File name inside the daemon's state directory.
  static constexpr const char* kFileName = "udp_connection_request";

  explicit UdpReplayStore(std::filesystem::path file) : file_(std::move(file)) {}

  // A missing file gives the empty state; a corrupt one gives the empty state and a fault
  // (so the caller can log it).
  Result<UdpReplayState> load() const;
  // Atomic replace (writeFileAtomic).
  Status save(const UdpReplayState& state) const;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace tr69::connreq
