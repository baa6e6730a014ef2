// Handles UDP connection-request datagrams (from UdpEndpoint): parse, verify, remember the
// accepted ts/id (in memory at once; durably at once, or shortly after with deferPersistence),
// then submit to the gate. Bad requests are ignored silently (no UDP answer ever) with a log line
// that never contains the signature or the password; log lines about refused datagrams are
// throttled so that a flood cannot flood the log.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "tr69/base/event_loop.h"
#include "tr69/base/log.h"
#include "tr69/connreq/gate.h"
#include "tr69/connreq/log_throttle.h"
#include "tr69/connreq/socket_address.h"
#include "tr69/connreq/udp_replay_store.h"
#include "tr69/connreq/udp_request.h"

namespace tr69::connreq {

class UdpConnectionRequestHandler {
 public:
  struct Stats {
    unsigned accepted = 0;  // valid; submitted to the gate
    unsigned rateLimited = 0;
    unsigned malformed = 0;
    unsigned refused = 0;  // wrong user, bad signature, stale, replayed, no credentials
  };

  // `store` may be null (no persistence, tests of the pure flow).
  UdpConnectionRequestHandler(ConnectionRequestGate& gate, const Logger& log,
                              const UdpReplayStore* store);
  ~UdpConnectionRequestHandler();
  UdpConnectionRequestHandler(const UdpConnectionRequestHandler&) = delete;
  UdpConnectionRequestHandler& operator=(const UdpConnectionRequestHandler&) = delete;

  // Writes the accepted ts/id `delay` after the request instead of before the gate is asked, so
  // that the durable write (two fsyncs: 1-15 ms on the test disk, more on flash) is not between
  // the request and the session's Inform. Replays are refused from memory at once; a crash
  // inside the delay may let the last accepted datagram be replayed once after the restart.
  // A pending write is done on destruction.
  void deferPersistence(EventLoop& loop, std::chrono::milliseconds delay);

  // ConnectionRequestUsername / ConnectionRequestPassword.
  void setCredentials(std::string username, std::string password);

  void handle(std::string_view datagram, const SocketAddress& from);

  const UdpReplayState& replayState() const { return replay_; }
  const Stats& stats() const { return stats_; }

 private:
  void logRefusal(const SocketAddress& from, std::string_view why);
  void persist();

  ConnectionRequestGate& gate_;
  const Logger& log_;
  const UdpReplayStore* store_;
  std::string username_;
  std::string password_;
  UdpReplayState replay_;
  Stats stats_;
  LogThrottle throttle_{5, std::chrono::seconds(10)};
  EventLoop* loop_ = nullptr;
  std::chrono::milliseconds persistDelay_{0};
  std::optional<EventLoop::TimerId> persistTimer_;
};

}  // namespace tr69::connreq
