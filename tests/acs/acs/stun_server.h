// A classic (RFC 3489) STUN server for TR-111 tests, independent of the agent's STUN client: it
// answers Binding Requests with MAPPED-ADDRESS, recognises CONNECTION-REQUEST-BINDING (0xC001)
// and BINDING-CHANGE (0xC002), optionally requires USERNAME + MESSAGE-INTEGRITY (error 401 until
// they are valid, 431 for a wrong HMAC), and can simulate a NAT binding change by reporting a
// different mapped port. Loopback IPv4 only.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "acs/transcript.h"
#include "tr69/base/fault.h"
#include "tr69/base/unique_fd.h"

namespace tr69::testacs {

inline constexpr std::uint16_t kStunBindingRequest = 0x0001;
inline constexpr std::uint16_t kStunBindingResponse = 0x0101;
inline constexpr std::uint16_t kStunBindingErrorResponse = 0x0111;
inline constexpr std::uint16_t kStunMappedAddress = 0x0001;
inline constexpr std::uint16_t kStunSourceAddress = 0x0004;
inline constexpr std::uint16_t kStunChangedAddress = 0x0005;
inline constexpr std::uint16_t kStunUsername = 0x0006;
inline constexpr std::uint16_t kStunMessageIntegrity = 0x0008;
inline constexpr std::uint16_t kStunErrorCode = 0x0009;
inline constexpr std::uint16_t kStunConnectionRequestBinding = 0xC001;
inline constexpr std::uint16_t kStunBindingChange = 0xC002;
// The value of CONNECTION-REQUEST-BINDING, trailing space included (cwmp.md §6.3).
inline constexpr std::string_view kTr111BindingValue = "dslforum.org/TR-111 ";

struct StunAttribute {
  std::uint16_t type = 0;
  std::string value;
  std::size_t offset = 0;  // where the attribute header starts in the message
};

struct StunMessage {
  std::uint16_t type = 0;
  std::string transactionId;  // 16 raw bytes
  std::vector<StunAttribute> attributes;
  const StunAttribute* find(std::uint16_t type) const;
};

// Parses an RFC 3489 message; nullopt when malformed (short, bad lengths, trailing bytes).
std::optional<StunMessage> parseStunMessage(std::string_view datagram);
// RFC 3489 MESSAGE-INTEGRITY: HMAC-SHA1 keyed with `password` over the message bytes before the
// attribute, zero-padded to a multiple of 64 bytes (the header length already counts the MI).
std::string stunMessageIntegrity(std::string_view password, std::string_view bytesBeforeMi);
// Builds a message; with `password`, appends MESSAGE-INTEGRITY as the last attribute.
std::string buildStunMessage(std::uint16_t type, std::string_view transactionId,
                             const std::vector<StunAttribute>& attributes,
                             const std::optional<std::string>& password = std::nullopt);

struct StunServerOptions {
  std::uint16_t port = 0;  // 0: a free port on 127.0.0.1
  // Non-empty: requests must carry USERNAME = username and a valid MESSAGE-INTEGRITY.
  std::string username;
  std::string password;
  std::shared_ptr<Transcript> transcript;  // optional: note every request here
};

struct StunRequestRecord {
  std::uint16_t sourcePort = 0;
  bool connectionRequestBinding = false;       // 0xC001 present
  bool connectionRequestBindingValid = false;  // ... with length 20 and the TR-111 value
  bool bindingChange = false;                  // 0xC002 present
  std::optional<std::string> username;
  bool messageIntegrity = false;
  bool messageIntegrityValid = false;
  int errorCode = 0;             // error response sent (401, 431, 432, 400), 0 = Binding Response
  std::uint16_t mappedPort = 0;  // reported MAPPED-ADDRESS port
  std::chrono::steady_clock::time_point at;
};

class StunServer {
 public:
  StunServer() = default;
  ~StunServer() { stop(); }
  StunServer(const StunServer&) = delete;
  StunServer& operator=(const StunServer&) = delete;

  Status start(StunServerOptions options);
  void stop();
  std::uint16_t port() const { return port_; }

  // From now on report the mapped port as source port + `offset` (a NAT binding change).
  void simulateBindingChange(std::uint16_t offset = 1000) { portOffset_ = offset; }

  std::vector<StunRequestRecord> requests() const;
  bool waitForRequests(std::size_t count, std::chrono::milliseconds timeout) const;
  // Non-STUN datagrams received (e.g. a misdirected UDP connection request).
  std::size_t ignoredDatagrams() const;

 private:
  void run();
  void handle(std::string_view datagram, const ::sockaddr_in& from);

  StunServerOptions options_;
  UniqueFd socket_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint16_t> portOffset_{0};
  std::thread thread_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<StunRequestRecord> requests_;
  std::size_t ignored_ = 0;
};

}  // namespace tr69::testacs
