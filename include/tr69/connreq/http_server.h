// The HTTP connection-request listener (TR-069 §3.2.2) on libmicrohttpd, driven by the daemon's
// EventLoop: MHD runs WITHOUT its own thread (MHD_USE_EPOLL); its epoll fd is watched by the
// loop, MHD_run() runs on readiness and on a timer set from MHD_get_timeout().
//
// Digest: realm "tr69d" (configurable), qop=auth, MD5 (the algorithm every ACS speaks);
// nonces expire after `nonceTimeoutSeconds` (default 300 s) and an expired or unknown nonce
// gets a challenge with stale=true, so clients re-authenticate without asking the user.
// Decisions: see http_decision.h. A valid request goes to the ConnectionRequestGate, which
// answers 200 (empty body, sent before any session starts) or 503 (rate limit).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tr69/base/event_loop.h"
#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/connreq/gate.h"
#include "tr69/connreq/log_throttle.h"

struct MHD_Daemon;
struct MHD_Connection;

namespace tr69::connreq {

class HttpConnectionRequestServer {
 public:
  struct Options {
    std::string bindAddress = "0.0.0.0";  // numeric; "::" listens dual-stack
    std::uint16_t port = 7547;            // `tr69 connection request port`; 0 = any (tests)
    std::string path = "/";               // `tr69 connection request path`
    std::string username;                 // `tr69 connection request username`
    std::string password;                 // `tr69 connection request password`
    std::string realm = "tr69d";
    unsigned nonceTimeoutSeconds = 300;
    unsigned connectionLimit = 32;  // concurrent connections; more are closed at once
    unsigned connectionTimeoutSeconds = 10;
    std::size_t maxBodyBytes = 4096;  // a body is ignored; beyond this the connection is closed
  };

  struct Stats {
    unsigned accepted = 0;     // 200
    unsigned rateLimited = 0;  // 503
    unsigned challenged = 0;   // 401
    unsigned notFound = 0;     // 404
    unsigned badMethod = 0;    // 405
  };

  HttpConnectionRequestServer(EventLoop& loop, const Logger& log, ConnectionRequestGate& gate);
  ~HttpConnectionRequestServer();
  HttpConnectionRequestServer(const HttpConnectionRequestServer&) = delete;
  HttpConnectionRequestServer& operator=(const HttpConnectionRequestServer&) = delete;

  // Starts listening (stops a running instance first). Fails on a bad address or a busy port.
  Status start(const Options& options);
  void stop();
  bool running() const { return daemon_ != nullptr; }
  // The bound port (useful with port 0).
  std::uint16_t port() const { return boundPort_; }

  // Take effect for the next request; the port or bind address need start() again.
  void setCredentials(std::string username, std::string password);
  void setPath(std::string path);

  const Stats& stats() const { return stats_; }

  // libmicrohttpd callbacks (C linkage trampolines live in the .cpp).
  int handleRequest(MHD_Connection* connection, const char* url, const char* method,
                    std::size_t* uploadSize, void** requestState);

 private:
  void run();
  unsigned connectionCount() const;
  void rearmTimer();
  int queueEmpty(MHD_Connection* connection, unsigned status, const char* allow = nullptr);
  void logRefusal(const std::string& message);

  EventLoop& loop_;
  const Logger& log_;
  ConnectionRequestGate& gate_;
  Options options_;
  MHD_Daemon* daemon_ = nullptr;
  int epollFd_ = -1;
  std::uint16_t boundPort_ = 0;
  std::string nonceSecret_;  // must outlive the daemon (MHD_OPTION_DIGEST_AUTH_RANDOM)
  std::string opaque_;
  std::optional<EventLoop::TimerId> timer_;
  Stats stats_;
  LogThrottle throttle_{10, std::chrono::seconds(10)};
};

}  // namespace tr69::connreq
