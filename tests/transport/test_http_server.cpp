#include "test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <stdexcept>

#include "tr69/base/crypto.h"

namespace tr69::transport::testing {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

std::string reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 307:
      return "Temporary Redirect";
    case 401:
      return "Unauthorized";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

// Plain or TLS byte stream over one accepted socket.
class Stream {
 public:
  Stream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  long read(char* buffer, std::size_t size) {
    if (ssl_ != nullptr) return SSL_read(ssl_, buffer, static_cast<int>(size));
    return ::recv(fd_, buffer, size, 0);
  }
  bool writeAll(std::string_view data) {
    while (!data.empty()) {
      const long n = ssl_ != nullptr ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                                     : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

 private:
  int fd_;
  SSL* ssl_;
};

std::string serialize(const TestResponse& response) {
  std::string out =
      "HTTP/1.1 " + std::to_string(response.status) + " " + reasonPhrase(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers)
    out += name + ": " + value + "\r\n";
  if (response.close) out += "Connection: close\r\n";
  if (response.chunked) {
    out += "Transfer-Encoding: chunked\r\n\r\n";
    for (std::size_t pos = 0; pos < response.body.size(); pos += 1000) {
      const std::string piece = response.body.substr(pos, 1000);
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      out += size + piece + "\r\n";
    }
    out += "0\r\n\r\n";
    return out;
  }
  if (response.status != 204)
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += "\r\n" + response.body;
  return out;
}

}  // namespace

std::optional<std::string> TestRequest::header(std::string_view name) const {
  const std::string wanted = lower(name);
  for (const auto& [key, value] : headers) {
    if (lower(key) == wanted) return value;
  }
  return std::nullopt;
}

TestHttpServer::TestHttpServer(Handler handler, std::optional<TlsServerConfig> tls)
    : handler_(std::move(handler)) {
  // A peer that hangs up makes SSL_shutdown/send raise SIGPIPE; tests want an error return.
  std::signal(SIGPIPE, SIG_IGN);
  if (tls) {
    tlsContext_ = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(tlsContext_, tls->certFile.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tlsContext_, tls->keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
      throw std::runtime_error("test server: cannot load certificate or key");
    }
    if (!tls->clientCaFile.empty()) {
      SSL_CTX_load_verify_locations(tlsContext_, tls->clientCaFile.c_str(), nullptr);
      SSL_CTX_set_verify(
          tlsContext_,
          SSL_VERIFY_PEER | (tls->requireClientCert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
          nullptr);
    }
  }
  listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listenFd_, 16) != 0) {
    throw std::runtime_error("test server: cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptThread_ = std::thread([this] { acceptLoop(); });
}

TestHttpServer::~TestHttpServer() {
  stop();
  if (tlsContext_ != nullptr) SSL_CTX_free(tlsContext_);
}

std::string TestHttpServer::url(std::string_view path, std::string_view host) const {
  return std::string(tlsContext_ != nullptr ? "https://" : "http://") + std::string(host) + ":" +
         std::to_string(port_) + std::string(path);
}

std::vector<TestRequest> TestHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

void TestHttpServer::stop() {
  if (stopping_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : connectionFds_)
      ::shutdown(fd, SHUT_RDWR);
  }
  stopSignal_.notify_all();
  ::shutdown(listenFd_, SHUT_RDWR);
  if (acceptThread_.joinable()) acceptThread_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : connectionFds_)
      ::shutdown(fd, SHUT_RDWR);
    threads.swap(connectionThreads_);
  }
  for (std::thread& thread : threads)
    thread.join();
  std::lock_guard<std::mutex> lock(mutex_);
  for (int fd : connectionFds_)
    ::close(fd);
  connectionFds_.clear();
  ::close(listenFd_);
}

void TestHttpServer::acceptLoop() {
  while (!stopping_) {
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(listenFd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_) return;
      if (errno == EINTR) continue;
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    const std::size_t index = connectionCount_++;
    connectionFds_.push_back(fd);
    const int clientPort = ntohs(peer.sin_port);
    connectionThreads_.emplace_back(
        [this, fd, index, clientPort] { serve(fd, index, clientPort); });
  }
}

void TestHttpServer::serve(int fd, std::size_t index, int clientPort) {
  SSL* ssl = nullptr;
  std::string peerName;
  auto finish = [&] {
    if (ssl != nullptr) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    ::shutdown(fd, SHUT_RDWR);
    // The fd stays open (and listed) until stop(), so shutdown() never hits a reused number.
  };
  if (tlsContext_ != nullptr) {
    ssl = SSL_new(tlsContext_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) {
      ERR_clear_error();
      finish();
      return;
    }
    if (X509* cert = SSL_get1_peer_certificate(ssl)) {
      char cn[256] = {};
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
      peerName = cn;
      X509_free(cert);
    }
  }
  Stream stream(fd, ssl);
  std::string buffer;
  char chunk[16384];
  while (!stopping_) {
    std::size_t headerEnd;
    while ((headerEnd = buffer.find("\r\n\r\n")) == std::string::npos) {
      const long n = stream.read(chunk, sizeof chunk);
      if (n <= 0 || stopping_) return finish();
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    TestRequest request;
    request.clientPort = clientPort;
    request.connectionIndex = index;
    request.peerCommonName = peerName;
    const std::string head = buffer.substr(0, headerEnd);
    buffer.erase(0, headerEnd + 4);
    std::size_t lineEnd = head.find("\r\n");
    const std::string requestLine = head.substr(0, lineEnd);
    const std::size_t sp1 = requestLine.find(' ');
    const std::size_t sp2 = requestLine.find(' ', sp1 + 1);
    request.method = requestLine.substr(0, sp1);
    request.target = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
    std::size_t contentLength = 0;
    while (lineEnd != std::string::npos) {
      const std::size_t start = lineEnd + 2;
      lineEnd = head.find("\r\n", start);
      const std::string line =
          head.substr(start, lineEnd == std::string::npos ? std::string::npos : lineEnd - start);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      request.headers.emplace_back(line.substr(0, colon), trim(line.substr(colon + 1)));
      if (lower(line.substr(0, colon)) == "content-length") {
        contentLength = std::stoul(trim(line.substr(colon + 1)));
      }
    }
    while (buffer.size() < contentLength) {
      const long n = stream.read(chunk, sizeof chunk);
      if (n <= 0 || stopping_) return finish();
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    request.body = buffer.substr(0, contentLength);
    buffer.erase(0, contentLength);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
    }
    const TestResponse response = handler_(request);
    if (response.delay.count() > 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      stopSignal_.wait_for(lock, response.delay, [this] { return stopping_.load(); });
      if (stopping_) return finish();
    }
    std::string wire = serialize(response);
    if (response.cutAfterBytes) wire.resize(std::min(wire.size(), *response.cutAfterBytes));
    if (!stream.writeAll(wire) || response.cutAfterBytes || response.close) return finish();
  }
  finish();
}

std::string digestResponse(const std::string& user, const std::string& realm,
                           const std::string& password, const std::string& method,
                           const std::string& uri, const std::string& nonce, const std::string& nc,
                           const std::string& cnonce, const std::string& qop) {
  const std::string ha1 = toHex(md5(user + ":" + realm + ":" + password));
  const std::string ha2 = toHex(md5(method + ":" + uri));
  return toHex(md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2));
}

std::vector<std::pair<std::string, std::string>> parseDigestHeader(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  if (lower(header.substr(0, 7)) != "digest ") return out;
  header.remove_prefix(7);
  while (!header.empty()) {
    while (!header.empty() && (header.front() == ' ' || header.front() == ',')) {
      header.remove_prefix(1);
    }
    const std::size_t eq = header.find('=');
    if (eq == std::string_view::npos) break;
    std::string key = lower(trim(header.substr(0, eq)));
    header.remove_prefix(eq + 1);
    std::string value;
    if (!header.empty() && header.front() == '"') {
      const std::size_t close = header.find('"', 1);
      value = std::string(header.substr(1, close - 1));
      header.remove_prefix(close == std::string_view::npos ? header.size() : close + 1);
    } else {
      const std::size_t comma = header.find(',');
      value = trim(header.substr(0, comma));
      header.remove_prefix(comma == std::string_view::npos ? header.size() : comma);
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace tr69::transport::testing
