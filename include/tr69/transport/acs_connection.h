// HTTP(S) client to the ACS for CWMP sessions (cwmp.md 1.5, 9; dependencies.md 4).
//
//   HttpClient client(loop, logger);                  // once per daemon
//   auto conn = client.openSession(settings);          // once per CWMP session
//   conn.value()->post(informXml, [](PostResult r) { ... });
//   ... post(nextBody, ...) from the callback, post("") for the empty POST ...
//   conn.value().reset();                              // session over: connection and cookies go
//
// One AcsConnection is one CWMP session: one libcurl easy handle reused for every POST (so the
// TCP/TLS connection, the digest state and the session cookies persist across the session) and its
// own multi handle (so the connection is closed when the session ends and the next session starts
// on a fresh connection, as ACSs that key sessions by connection expect). The transport reports
// what happened on the wire; protocol decisions (retry, fault handling) belong to the session
// engine.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "tr69/base/event_loop.h"
#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/transport/curl_multi_driver.h"

namespace tr69::transport {

struct TlsSettings {
  // PEM file with the certificates trusted for the ACS ("tr69 trusted certificates", resolved to a
  // local path by the caller). Empty: the system's default trust store.
  std::string caFile;
  // Client certificate and key (PEM) for mutual TLS. When only the key is set, the key file must
  // also hold the certificate.
  std::string clientCertFile;
  std::string clientKeyFile;
  // "tr69 server authentication required". See tls_policy.cpp for what "off" means.
  bool verifyServer = true;
};

struct ConnectionSettings {
  std::string url;  // ManagementServer.URL (http or https)
  std::string username;
  std::string password;  // never logged
  TlsSettings tls;
  // Basic sends the password in clear; over plain http only Digest is offered unless this is set.
  bool allowBasicOverPlainHttp = false;
  std::chrono::milliseconds connectTimeout{10'000};
  std::chrono::milliseconds requestTimeout{30'000};  // whole request incl. redirects (cwmp.md 1.5)
  std::size_t maxResponseBytes = 1024 * 1024;
  long maxRedirects = 5;
  std::string userAgent = "tr69d";
};

// A complete HTTP exchange with status 200 or 204.
struct HttpReply {
  long status = 0;
  std::string body;
  std::string contentType;
  std::string effectiveUrl;  // where the request finally went (after redirects)
  bool redirected = false;
  long newConnections = 0;  // TCP connections opened for this request (0: reused)
  long localPort = 0;       // local port of the connection that carried the last request
  // 204, or 200 with an empty (or whitespace-only) body: the ACS has no more requests.
  bool acsHasNoMoreRequests() const;
};

enum class FailureKind {
  kConnect,            // DNS, refused, unreachable, connect timeout
  kTls,                // handshake, certificate verification, client certificate problems
  kTimeout,            // no complete response within requestTimeout
  kTooManyRedirects,   // more than maxRedirects
  kBodyTooLarge,       // response larger than maxResponseBytes
  kConnectionDropped,  // the ACS closed or reset the connection before a complete response
  kAuthentication,     // 401 after credentials were offered (or none configured)
  kHttpStatus,         // any other status than 200/204; body kept (an ACS fault may ride on 500)
  kBusy,               // post() while a request of this session is still running
  kOther,
};

struct HttpFailure {
  FailureKind kind = FailureKind::kOther;
  long httpStatus = 0;  // when the ACS answered
  std::string message;  // one line, no secrets
  std::string body;     // response body for kHttpStatus / kAuthentication
  std::string contentType;
  std::string effectiveUrl;
};

std::string_view failureKindName(FailureKind kind);

class PostResult {
 public:
  PostResult(HttpReply reply) : v_(std::move(reply)) {}  // NOLINT(google-explicit-constructor)
  PostResult(HttpFailure failure)
      : v_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  const HttpReply& reply() const { return std::get<0>(v_); }
  const HttpFailure& failure() const { return std::get<1>(v_); }

 private:
  std::variant<HttpReply, HttpFailure> v_;
};

class AcsConnection {
 public:
  using Callback = std::function<void(PostResult)>;

  // Use HttpClient::openSession.
  AcsConnection(EventLoop& loop, const Logger& logger, ConnectionSettings settings, CURL* easy);
  // Ends the session: aborts a running request (its callback is not called), drops the cookies
  // and closes the connection.
  ~AcsConnection();
  AcsConnection(const AcsConnection&) = delete;
  AcsConnection& operator=(const AcsConnection&) = delete;

  // Sends one POST. A non-empty body goes with `Content-Type: text/xml; charset="utf-8"` and an
  // empty `SOAPAction:`; an empty body is the CWMP empty POST (Content-Length: 0, neither header).
  // `done` runs later on the loop, exactly once, unless the connection is destroyed first.
  void post(std::string body, Callback done);
  bool busy() const { return static_cast<bool>(done_); }

  // The URL the next POST goes to: the configured one, or where the ACS redirected this session.
  const std::string& currentUrl() const { return url_; }

 private:
  void finish(CURLcode code);
  bool resendAfterCrossOriginRedirect(CURLcode code);
  PostResult buildResult(CURLcode code);
  void keepCookiesForWholeSession();
  static std::size_t onBody(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* self);
  static curl_socket_t openSocket(void* self, curlsocktype purpose, curl_sockaddr* address);

  EventLoop& loop_;
  const Logger& logger_;
  ConnectionSettings settings_;
  std::string url_;
  std::unique_ptr<CURL, void (*)(CURL*)> easy_;
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> soapHeaders_;
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> emptyPostHeaders_;
  CurlMultiDriver driver_;  // after easy_: destroyed first, while the easy handle still exists
  std::string requestBody_;
  std::string responseBody_;
  bool bodyTooLarge_ = false;
  bool resentAfterRedirect_ = false;
  // One TCP connection per session (cwmp.md 1.5/1.6). Once a response came back on it, a new
  // connection is refused unless that response announced `Connection: close`: a dropped
  // connection then fails the request instead of letting libcurl silently send it again on a
  // fresh connection (libcurl retries a request whose reused connection died without an answer).
  std::size_t responses_ = 0;    // complete HTTP responses received in this session
  bool closeAnnounced_ = false;  // the last response carried `Connection: close`
  bool reuseOnly_ = false;       // the request in flight must use the existing connection
  bool refusedReconnect_ = false;
  char errorBuffer_[CURL_ERROR_SIZE] = {};
  Callback done_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

class HttpClient {
 public:
  // Initialises libcurl (reference counted by libcurl itself).
  HttpClient(EventLoop& loop, const Logger& logger);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Checks the settings (http/https URL, readable TLS files) and prepares a session.
  Result<std::unique_ptr<AcsConnection>> openSession(ConnectionSettings settings);

 private:
  EventLoop& loop_;
  const Logger& logger_;
};

// The URL without user information, for log lines.
std::string redactUrl(const std::string& url);

}  // namespace tr69::transport
