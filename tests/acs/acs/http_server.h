// A small HTTP(S) server on libmicrohttpd for the test peers (ACS, file server, digest-protected
// endpoints). It binds loopback only, runs MHD's internal threads (one per connection, so a slow
// answer on one connection never blocks another), and hands each complete request to a handler.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tr69/base/fault.h"

struct MHD_Daemon;

namespace tr69::testacs {

struct HttpRequest {
  std::string method;
  std::string url;                             // path and query as received
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::uint64_t connectionId = 0;  // 1, 2, ... in order of TCP accept
  std::optional<std::string> header(const std::string& lowerName) const;
  bool clientCertificateVerified = false;  // TLS with a trusted client certificate
  bool tls = false;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool closeConnection = false;  // answer, then close (Connection: close)
  bool abortConnection = false;  // close the connection without any answer
  int delayMs = 0;               // wait before answering (interrupted by stop())
  // Announce the whole body's length but send only this many bytes, then close (truncated file).
  std::optional<std::size_t> truncateAfter;
  // Send the body in blocks of `chunkBytes`, pausing `chunkDelayMs` before each (a slow,
  // throttled download; the pauses end early when the server stops).
  int chunkDelayMs = 0;
  std::size_t chunkBytes = 1024;
  HttpResponse& with(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

struct TlsSettings {
  std::string certificatePem;
  std::string privateKeyPem;
  std::string trustedClientCaPem;  // non-empty: ask for a client certificate signed by this CA
  bool requireClientCertificate = false;  // without a verified client certificate: close
};

struct HttpServerOptions {
  std::string bindAddress = "127.0.0.1";  // 127.0.0.1 or ::1 only
  std::uint16_t port = 0;                 // 0: a free port
  std::optional<TlsSettings> tls;
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // Called when a TCP connection opens (true) or closes (false).
  using ConnectionObserver = std::function<void(std::uint64_t connectionId, bool opened)>;

  HttpServer() = default;
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Status start(const HttpServerOptions& options, Handler handler, ConnectionObserver observer = {});
  void stop();
  bool running() const { return daemon_ != nullptr; }
  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>" (or https, or [::1]).
  std::string baseUrl() const;

  // Internal, called from the libmicrohttpd callbacks.
  struct Internals;

 private:
  MHD_Daemon* daemon_ = nullptr;
  std::uint16_t port_ = 0;
  HttpServerOptions options_;
  Handler handler_;
  ConnectionObserver observer_;
  std::atomic<std::uint64_t> nextConnectionId_{1};
  std::mutex stopMutex_;
  std::condition_variable stopCv_;
  bool stopping_ = false;
  friend struct Internals;
};

}  // namespace tr69::testacs
