// A small RFC 3489 STUN server for the tests, on the test's event loop: answers Binding
// Requests with MAPPED-ADDRESS (the real source, or an address the test dictates to play a NAT),
// can demand USERNAME + MESSAGE-INTEGRITY (401 otherwise) and records what it received.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tr69/base/event_loop.h"
#include "tr69/base/unique_fd.h"
#include "tr69/connreq/socket_address.h"
#include "tr69/connreq/stun_message.h"

namespace tr69::connreq::testing {

class FakeStunServer {
 public:
  struct Received {
    stun::Message message;
    bool integrityValid = false;
  };

  explicit FakeStunServer(EventLoop& loop);
  ~FakeStunServer();

  std::uint16_t port() const { return port_; }

  // Demand MESSAGE-INTEGRITY with this username/password (401 without it or when wrong).
  void requireIntegrity(std::string username, std::string password);
  // Report this mapped address instead of the real source (a NAT in front of the client).
  void setMappedAddress(std::optional<stun::StunAddress> mapped) { mapped_ = std::move(mapped); }
  // Stop answering (requests are still recorded).
  void setSilent(bool silent) { silent_ = silent; }

  const std::vector<Received>& received() const { return received_; }

 private:
  void onReadable();

  EventLoop& loop_;
  UniqueFd socket_;
  std::uint16_t port_ = 0;
  std::optional<std::pair<std::string, std::string>> credentials_;
  std::optional<stun::StunAddress> mapped_;
  bool silent_ = false;
  std::vector<Received> received_;
};

}  // namespace tr69::connreq::testing
