#include "tr69/connreq/http_server.h"

#include <microhttpd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include "tr69/base/crypto.h"
#include "tr69/connreq/http_decision.h"
#include "tr69/connreq/socket_address.h"

namespace tr69::connreq {
namespace {

struct RequestState {
  std::size_t bodyBytes = 0;
};

MHD_Result accessHandler(void* cls, MHD_Connection* connection, const char* url, const char* method,
                         const char* /*version*/, const char* /*uploadData*/,
                         std::size_t* uploadSize, void** requestState) {
  auto* server = static_cast<HttpConnectionRequestServer*>(cls);
  return server->handleRequest(connection, url, method, uploadSize, requestState) == MHD_YES
             ? MHD_YES
             : MHD_NO;
}

void requestCompleted(void* /*cls*/, MHD_Connection* /*connection*/, void** requestState,
                      MHD_RequestTerminationCode /*code*/) {
  delete static_cast<RequestState*>(*requestState);
  *requestState = nullptr;
}

void mhdLog(void* cls, const char* format, va_list args) {
  char buffer[512];
  std::vsnprintf(buffer, sizeof(buffer), format, args);
  std::string_view text(buffer);
  while (!text.empty() && text.back() == '\n')
    text.remove_suffix(1);
  static_cast<const Logger*>(cls)->debug("libmicrohttpd: ", text);
}

}  // namespace

HttpConnectionRequestServer::HttpConnectionRequestServer(EventLoop& loop, const Logger& log,
                                                         ConnectionRequestGate& gate)
    : loop_(loop), log_(log), gate_(gate) {}

HttpConnectionRequestServer::~HttpConnectionRequestServer() {
  stop();
}

Status HttpConnectionRequestServer::start(const Options& options) {
  stop();
  options_ = options;
  auto address = SocketAddress::fromNumeric(options.bindAddress, options.port);
  if (!address) {
    return Fault(FaultCode::kInvalidArguments,
                 "connection request: bad bind address " + options.bindAddress);
  }
  nonceSecret_ = randomBytes(32);
  opaque_ = randomHex(32);
  unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
  if (address->family() == AF_INET6) flags |= MHD_USE_DUAL_STACK;
  daemon_ = MHD_start_daemon(
      flags, options.port, nullptr, nullptr, &accessHandler, this, MHD_OPTION_SOCK_ADDR,
      address->get(), MHD_OPTION_DIGEST_AUTH_RANDOM, nonceSecret_.size(), nonceSecret_.data(),
      MHD_OPTION_NONCE_NC_SIZE, 64u, MHD_OPTION_CONNECTION_LIMIT, options.connectionLimit,
      MHD_OPTION_CONNECTION_TIMEOUT, options.connectionTimeoutSeconds,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<std::size_t>(16 * 1024),
      MHD_OPTION_NOTIFY_COMPLETED, &requestCompleted, nullptr, MHD_OPTION_EXTERNAL_LOGGER, &mhdLog,
      &log_, MHD_OPTION_END);
  if (daemon_ == nullptr) {
    return Fault(FaultCode::kInternalError,
                 "connection request: cannot listen on " + address->toString() + " (port in use?)");
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_EPOLL_FD);
  epollFd_ = info ? info->epoll_fd : -1;
  const MHD_DaemonInfo* portInfo = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  boundPort_ = portInfo ? portInfo->port : options.port;
  if (epollFd_ < 0) {
    stop();
    return Fault(FaultCode::kInternalError, "connection request: libmicrohttpd without epoll");
  }
  loop_.watchFd(epollFd_, EventLoop::kReadable, [this](std::uint32_t) { run(); });
  rearmTimer();
  log_.info("connection requests on http://", options.bindAddress, ":", boundPort_,
            options.path.starts_with('/') ? "" : "/", options.path);
  if (options.username.empty() || options.password.empty()) {
    log_.warning("connection request username or password empty: every request gets 401");
  }
  return {};
}

void HttpConnectionRequestServer::stop() {
  if (timer_) loop_.cancelTimer(*timer_);
  timer_.reset();
  if (epollFd_ >= 0) loop_.unwatchFd(epollFd_);
  epollFd_ = -1;
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
  boundPort_ = 0;
}

void HttpConnectionRequestServer::setCredentials(std::string username, std::string password) {
  options_.username = std::move(username);
  options_.password = std::move(password);
}

void HttpConnectionRequestServer::setPath(std::string path) {
  options_.path = std::move(path);
}

unsigned HttpConnectionRequestServer::connectionCount() const {
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
  return info ? info->num_connections : 0;
}

void HttpConnectionRequestServer::run() {
  if (daemon_ == nullptr) return;
  // When a run closes connections while the connection limit was reached, libmicrohttpd puts
  // the listening socket back into its epoll set only on the next run; without that second run
  // nothing would wake the loop and queued clients would wait forever.
  for (int round = 0; round < 4; ++round) {
    const unsigned before = connectionCount();
    MHD_run(daemon_);
    if (connectionCount() >= before) break;
  }
  rearmTimer();
}

void HttpConnectionRequestServer::rearmTimer() {
  if (timer_) loop_.cancelTimer(*timer_);
  timer_.reset();
  if (daemon_ == nullptr) return;
  MHD_UNSIGNED_LONG_LONG timeoutMs = 0;
  if (MHD_get_timeout(daemon_, &timeoutMs) != MHD_YES) return;  // nothing timed: fd events only
  timer_ = loop_.addTimer(std::chrono::milliseconds(timeoutMs), [this] {
    timer_.reset();
    run();
  });
}

void HttpConnectionRequestServer::logRefusal(const std::string& message) {
  unsigned suppressed = 0;
  const bool allowed = throttle_.allow(std::chrono::steady_clock::now(), suppressed);
  if (suppressed > 0) log_.warning("connection request: ", suppressed, " more refusals not logged");
  if (allowed) log_.warning(message);
}

int HttpConnectionRequestServer::queueEmpty(MHD_Connection* connection, unsigned status,
                                            const char* allow) {
  MHD_Response* response = MHD_create_response_from_buffer(0, nullptr, MHD_RESPMEM_PERSISTENT);
  if (response == nullptr) return MHD_NO;
  if (allow != nullptr) MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, allow);
  // A final answer frees the connection slot at once (401 keeps it for the digest retry).
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
  const MHD_Result result = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return result;
}

int HttpConnectionRequestServer::handleRequest(MHD_Connection* connection, const char* url,
                                               const char* method, std::size_t* uploadSize,
                                               void** requestState) {
  if (*requestState == nullptr) {  // headers only so far
    *requestState = new RequestState();
    return MHD_YES;
  }
  auto* state = static_cast<RequestState*>(*requestState);
  if (*uploadSize != 0) {  // a body is never needed: discard it, within a bound
    state->bodyBytes += *uploadSize;
    *uploadSize = 0;
    return state->bodyBytes > options_.maxBodyBytes ? MHD_NO : MHD_YES;
  }

  const MHD_ConnectionInfo* peerInfo =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  std::string peer = "?";
  if (peerInfo != nullptr && peerInfo->client_addr != nullptr) {
    const socklen_t length =
        peerInfo->client_addr->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    peer = SocketAddress::fromSockaddr(peerInfo->client_addr, length).ip();
  }

  HttpRequestFacts facts;
  facts.method = method;
  facts.path = url;
  facts.configuredPath = options_.path;
  facts.credentialsConfigured = !options_.username.empty() && !options_.password.empty();
  DigestOutcome digest = DigestOutcome::kMissing;
  const HttpVerdict verdict = decideHttpConnectionRequest(facts, [&] {
    char* user = MHD_digest_auth_get_username(connection);
    if (user == nullptr) return digest = DigestOutcome::kMissing;
    const bool userMatches = constantTimeEquals(user, options_.username);
    MHD_free(user);
    const int check = MHD_digest_auth_check2(connection, options_.realm.c_str(),
                                             options_.username.c_str(), options_.password.c_str(),
                                             options_.nonceTimeoutSeconds, MHD_DIGEST_ALG_MD5);
    if (check == MHD_INVALID_NONCE) return digest = DigestOutcome::kStaleNonce;
    if (!userMatches) return digest = DigestOutcome::kWrongUser;
    return digest = (check == MHD_YES ? DigestOutcome::kValid : DigestOutcome::kBadResponse);
  });

  switch (verdict) {
    case HttpVerdict::kAccept: {
      if (gate_.submit(ConnectionRequestSource::kHttp) == Admission::kAccepted) {
        ++stats_.accepted;
        return queueEmpty(connection, MHD_HTTP_OK);
      }
      ++stats_.rateLimited;
      return queueEmpty(connection, MHD_HTTP_SERVICE_UNAVAILABLE);
    }
    case HttpVerdict::kNotFound:
      ++stats_.notFound;
      logRefusal("connection request from " + peer + ": unknown path (404)");
      return queueEmpty(connection, MHD_HTTP_NOT_FOUND);
    case HttpVerdict::kMethodNotAllowed:
      ++stats_.badMethod;
      logRefusal("connection request from " + peer + ": method " + std::string(method) + " (405)");
      return queueEmpty(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "GET");
    case HttpVerdict::kChallenge:
    case HttpVerdict::kChallengeStale:
      break;
  }
  ++stats_.challenged;
  if (!facts.credentialsConfigured) {
    logRefusal("connection request from " + peer +
               " refused (401): ConnectionRequestUsername/Password not configured");
  } else if (digest == DigestOutcome::kWrongUser || digest == DigestOutcome::kBadResponse) {
    logRefusal("connection request from " + peer + ": wrong credentials (401)");
  } else if (digest == DigestOutcome::kStaleNonce) {
    log_.debug("connection request from ", peer, ": stale nonce, challenging again");
  }
  MHD_Response* response = MHD_create_response_from_buffer(0, nullptr, MHD_RESPMEM_PERSISTENT);
  if (response == nullptr) return MHD_NO;
  const MHD_Result result = MHD_queue_auth_fail_response2(
      connection, options_.realm.c_str(), opaque_.c_str(), response,
      verdict == HttpVerdict::kChallengeStale ? MHD_YES : MHD_NO, MHD_DIGEST_ALG_MD5);
  MHD_destroy_response(response);
  return result;
}

}  // namespace tr69::connreq
