// The one UDP socket of TR-111 Part 2: it receives UDP connection requests and sends/receives
// the STUN Binding Requests that keep the NAT binding open (they must share the port). Each
// datagram is routed by content: first byte 0x00/0x01 is STUN, "GET " a connection request.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "tr69/base/event_loop.h"
#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/base/unique_fd.h"
#include "tr69/connreq/socket_address.h"

namespace tr69::connreq {

class UdpEndpoint {
 public:
  using Handler = std::function<void(std::string_view datagram, const SocketAddress& from)>;

  struct Options {
    std::string bindAddress = "0.0.0.0";  // numeric; "::" for IPv6 (dual stack)
    std::uint16_t port = 0;               // 0: any free port (tests); read back with port()
    unsigned maxDatagramsPerWakeup = 64;  // bounded work per readiness, the loop stays fair
  };

  UdpEndpoint(EventLoop& loop, const Logger& log);
  ~UdpEndpoint();
  UdpEndpoint(const UdpEndpoint&) = delete;
  UdpEndpoint& operator=(const UdpEndpoint&) = delete;

  Status open(const Options& options);
  void close();
  bool isOpen() const { return socket_.valid(); }
  std::uint16_t port() const { return port_; }

  void setStunHandler(Handler handler) { stunHandler_ = std::move(handler); }
  void setRequestHandler(Handler handler) { requestHandler_ = std::move(handler); }

  bool send(std::string_view datagram, const SocketAddress& to);

  unsigned droppedDatagrams() const { return dropped_; }

 private:
  void onReadable();

  EventLoop& loop_;
  const Logger& log_;
  Options options_;
  UniqueFd socket_;
  std::uint16_t port_ = 0;
  Handler stunHandler_;
  Handler requestHandler_;
  unsigned dropped_ = 0;
};

}  // namespace tr69::connreq
