// What the connreq module tells the session engine: "the ACS asked for a session".
// The module never starts sessions itself; it calls a ConnectionRequestSink, and the engine
// reports the session's progress back through ConnectionRequestGate (gate.h).
#pragma once

#include <string_view>

namespace tr69::connreq {

// Where an accepted connection request came from.
enum class ConnectionRequestSource {
  kHttp,  // TR-069 §3.2.2 HTTP GET with digest authentication
  kUdp,   // TR-111 Part 2 / Annex G UDP datagram
};

std::string_view connectionRequestSourceName(ConnectionRequestSource source);

// Implemented by the session engine. onConnectionRequest means: queue the event
// "6 CONNECTION REQUEST" and open a session as soon as possible. It is called from the event
// loop (never from inside the HTTP or UDP handler that accepted the request), at most once per
// session that the gate wants; merged requests do not call it again.
class ConnectionRequestSink {
 public:
  virtual ~ConnectionRequestSink() = default;
  virtual void onConnectionRequest(ConnectionRequestSource source) = 0;
};

// Answer of the gate to one authenticated request.
enum class Admission {
  kAccepted,     // answer 200; a session was requested, merged or scheduled as a follow-up
  kRateLimited,  // answer 503 (HTTP) or drop with a log line (UDP)
};

}  // namespace tr69::connreq
