// TR-111 Part 2 STUN client (cwmp.md §6.3): binding discovery and keep-alive from the UDP port
// that receives UDP connection requests, on the daemon's event loop (timers, no threads).
//
//   configure(enabled) ─► request ──response──► bound ──keep-alive period──► request ...
//                           │  ▲ retransmit 100 ms doubling to 1.6 s, 9 sends (RFC 3489 §9.3)
//                           │  └─ 401 ─► same request again with USERNAME + MESSAGE-INTEGRITY
//                           └─ no answer / error ─► retry after the keep-alive period
//   response with a new MAPPED-ADDRESS ─► immediate request with BINDING-CHANGE, status updated,
//   onAddressChanged (spaced by UDPConnectionRequestAddressNotificationLimit).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "tr69/base/event_loop.h"
#include "tr69/base/log.h"
#include "tr69/connreq/notification_limiter.h"
#include "tr69/connreq/socket_address.h"
#include "tr69/connreq/stun_message.h"

namespace tr69::connreq {

// The ManagementServer STUN parameters, plus the ACS host (the server when the address is "").
struct StunConfig {
  bool enable = false;
  std::string serverAddress;  // STUNServerAddress; "" means the host of the ACS URL
  std::uint16_t serverPort = 3478;
  std::string username;                 // STUNUsername; "" means never send MESSAGE-INTEGRITY
  std::string password;                 // STUNPassword
  int maximumKeepAlivePeriod = -1;      // seconds, -1 = no maximum
  unsigned minimumKeepAlivePeriod = 0;  // seconds
  unsigned notificationLimit = 0;       // UDPConnectionRequestAddressNotificationLimit, seconds
  std::string acsHost;
  // Drop responses whose MESSAGE-INTEGRITY does not verify with STUNPassword. Off by default:
  // TR-111 does not require it and stund sends a fake MI (cwmp.md §10).
  bool verifyResponseIntegrity = false;
};

// Time between keep-alive Binding Requests: 30 s, brought into [minimum, maximum]; on a
// conflicting configuration (minimum > maximum) the maximum wins, so the binding stays open.
std::chrono::seconds stunKeepAlivePeriod(int maximumKeepAlivePeriod,
                                         unsigned minimumKeepAlivePeriod);

struct StunStatus {
  bool bound = false;                       // a Binding Response was received
  bool natDetected = false;                 // NATDetected
  std::string udpConnectionRequestAddress;  // UDPConnectionRequestAddress ("" until bound)
  std::optional<stun::StunAddress> mappedAddress;
  std::string localIp;
  unsigned requestsSent = 0;  // every datagram, retransmissions included
  unsigned bindingChanges = 0;
};

// RFC 3489 §9.3 retransmission: 100 ms doubling to 1.6 s, 9 sends, then 1.6 s more (9.5 s).
struct StunTiming {
  std::chrono::milliseconds initialRetransmit{100};
  std::chrono::milliseconds maxRetransmit{1600};
  unsigned maxSends = 9;
  std::chrono::milliseconds finalWait{1600};  // after the last send, before giving up
};

class StunClient {
 public:
  using SendFn = std::function<bool(std::string_view datagram, const SocketAddress& to)>;
  using AddressChangedFn = std::function<void(const StunStatus&)>;
  using Timing = StunTiming;

  StunClient(EventLoop& loop, const Logger& log, SendFn send, std::uint16_t localPort,
             AddressChangedFn onAddressChanged, Timing timing = StunTiming());
  ~StunClient();
  StunClient(const StunClient&) = delete;
  StunClient& operator=(const StunClient&) = delete;

  // Applies new parameters; (re)starts discovery when enabled, stops everything otherwise.
  void configure(const StunConfig& config);
  // A datagram from the shared socket that looksLikeStun().
  void handleDatagram(std::string_view datagram, const SocketAddress& from);

  const StunStatus& status() const { return status_; }
  bool running() const { return server_.has_value(); }

 private:
  struct Transaction {
    stun::TransactionId id{};
    std::string datagram;
    unsigned sends = 0;
    std::chrono::milliseconds nextDelay{};
    bool withIntegrity = false;
    bool bindingChange = false;
  };

  void stop();
  void sendRequest();
  void transmit();
  void onRetransmitTimer();
  void scheduleNext(std::chrono::milliseconds delay);
  void onResponse(const stun::Message& message);
  void onErrorResponse(const stun::Message& message);
  void reportChange();
  void cancel(std::optional<EventLoop::TimerId>& timer);

  EventLoop& loop_;
  const Logger& log_;
  SendFn send_;
  std::uint16_t localPort_;
  AddressChangedFn onAddressChanged_;
  Timing timing_;
  StunConfig config_;
  std::optional<SocketAddress> server_;
  std::optional<Transaction> transaction_;
  bool useIntegrity_ = false;  // set by a 401 from the server
  bool bindingChangePending_ = false;
  StunStatus status_;
  NotificationLimiter limiter_;
  std::optional<EventLoop::TimerId> retransmitTimer_;
  std::optional<EventLoop::TimerId> nextRequestTimer_;
  std::optional<EventLoop::TimerId> notifyTimer_;
};

}  // namespace tr69::connreq
