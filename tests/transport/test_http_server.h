// A small scriptable HTTP/1.1 (and HTTPS, OpenSSL) server on 127.0.0.1 for transport tests.
// One thread accepts, one thread per connection serves requests in order (keep-alive). Every
// request is recorded with the client's port and its connection's index. Handlers run on server
// threads. Stopping closes every socket and joins every thread.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tr69::transport::testing {

struct TestRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int clientPort = 0;
  std::size_t connectionIndex = 0;  // 0 for the first accepted connection
  std::string peerCommonName;       // CN of the client certificate (TLS only)

  // First header with this name (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
};

struct TestResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool chunked = false;                      // Transfer-Encoding: chunked instead of Content-Length
  std::chrono::milliseconds delay{0};        // wait (interruptible by stop) before answering
  std::optional<std::size_t> cutAfterBytes;  // send only this much of the response, then close
  bool close = false;                        // Connection: close after this response
};

struct TlsServerConfig {
  std::string certFile;
  std::string keyFile;
  std::string clientCaFile;  // when set, a client certificate is requested and verified
  bool requireClientCert = false;
};

class TestHttpServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;

  explicit TestHttpServer(Handler handler, std::optional<TlsServerConfig> tls = std::nullopt);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  std::string url(std::string_view path = "/acs", std::string_view host = "127.0.0.1") const;
  std::vector<TestRequest> requests() const;
  std::size_t connections() const { return connectionCount_.load(); }
  void stop();

 private:
  void acceptLoop();
  void serve(int fd, std::size_t index, int clientPort);

  Handler handler_;
  SSL_CTX* tlsContext_ = nullptr;
  int listenFd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connectionCount_{0};
  mutable std::mutex mutex_;
  std::condition_variable stopSignal_;
  std::vector<TestRequest> requests_;
  std::vector<int> connectionFds_;
  std::vector<std::thread> connectionThreads_;
  std::thread acceptThread_;
};

// The md5 digest response for qop=auth (RFC 2617), for servers checking Authorization headers.
std::string digestResponse(const std::string& user, const std::string& realm,
                           const std::string& password, const std::string& method,
                           const std::string& uri, const std::string& nonce, const std::string& nc,
                           const std::string& cnonce, const std::string& qop);

// Parses `Digest k="v", k2=v2, ...` into pairs (keys lower-case); empty when not Digest.
std::vector<std::pair<std::string, std::string>> parseDigestHeader(std::string_view header);

}  // namespace tr69::transport::testing
