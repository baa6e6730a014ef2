// ConnectionRequestService: everything of the connreq module wired together, for the daemon.
//
//   HTTP listener ──┐
//                   ├─► ConnectionRequestGate ─► ConnectionRequestSink (the session engine)
//   UDP endpoint ───┤        ▲ sessionStarted / informSent / sessionEnded (engine)
//     ├ "GET " ─► UdpConnectionRequestHandler (ts/id persisted in the state dir)
//     └ STUN ──► StunClient ─► udpAddressChanged (NATDetected, UDPConnectionRequestAddress)
//   setLocalAddress() ─► ConnectionRequestUrlTracker ─► connectionRequestUrlChanged
//
// The owner reports values to the model: ConnectionRequestURL (forced inform; re-reported on
// change), UDPConnectionRequestAddress and NATDetected (value change, already spaced by
// UDPConnectionRequestAddressNotificationLimit).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "tr69/base/event_loop.h"
#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/connreq/gate.h"
#include "tr69/connreq/http_server.h"
#include "tr69/connreq/stun_client.h"
#include "tr69/connreq/udp_endpoint.h"
#include "tr69/connreq/udp_handler.h"
#include "tr69/connreq/udp_replay_store.h"
#include "tr69/connreq/url.h"

namespace tr69::connreq {

struct ConnectionRequestSettings {
  bool enabled = true;                  // ManagementServer.EnableCWMP: false closes everything
  std::string bindAddress = "0.0.0.0";  // numeric; "::" for dual stack
  std::uint16_t httpPort = 7547;        // `tr69 connection request port`
  std::string path = "/";               // `tr69 connection request path`
  std::string username;                 // `tr69 connection request username`
  std::string password;                 // `tr69 connection request password`
  unsigned nonceTimeoutSeconds = 300;
  // UDP connection requests and STUN share this port; 0 means "the same number as httpPort".
  std::uint16_t udpPort = 0;
  StunConfig stun;  // ManagementServer.STUN* (+ the ACS host for an empty STUNServerAddress)
};

class ConnectionRequestService {
 public:
  struct Callbacks {
    std::function<void(const std::string& url)> connectionRequestUrlChanged;
    std::function<void(const StunStatus& status)> udpAddressChanged;
  };

  ConnectionRequestService(
      EventLoop& loop, const Logger& log, ConnectionRequestSink& sink,
      const std::filesystem::path& stateDir, Callbacks callbacks,
      ConnectionRequestPolicyOptions policy = ConnectionRequestPolicyOptions());
  ~ConnectionRequestService();

  // Opens (or re-opens, when the port or address changed) the listeners and applies every
  // setting. Fails if a port cannot be bound; what could be opened stays open.
  Status apply(const ConnectionRequestSettings& settings);
  void stop();

  // The phone's current IP address (the phone/live layer calls this on every change).
  void setLocalAddress(const std::string& ip);

  // Engine side.
  ConnectionRequestGate& gate() { return gate_; }

  const std::string& connectionRequestUrl() const { return urlTracker_.url(); }
  // STUN's public binding when STUN is bound, otherwise local address and UDP port.
  std::string udpConnectionRequestAddress() const;
  bool natDetected() const { return stun_ && stun_->status().natDetected; }
  std::uint16_t httpPort() const { return http_.port(); }
  std::uint16_t udpPort() const { return udp_.port(); }

 private:
  EventLoop& loop_;
  const Logger& log_;
  Callbacks callbacks_;
  ConnectionRequestGate gate_;
  HttpConnectionRequestServer http_;
  UdpReplayStore replayStore_;
  UdpConnectionRequestHandler udpHandler_;
  UdpEndpoint udp_;
  std::unique_ptr<StunClient> stun_;
  ConnectionRequestUrlTracker urlTracker_;
  ConnectionRequestSettings settings_;
  bool applied_ = false;
  std::string localIp_;
};

}  // namespace tr69::connreq
