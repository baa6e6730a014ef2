#include "acs/http_server.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace tr69::testacs {

namespace {

constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

struct RequestState {
  std::string body;
  bool tooLarge = false;
};

// Serves the bytes it holds, then fails the response so that MHD closes the connection short of
// the announced Content-Length.
struct TruncatedBody {
  std::string bytes;
  static ssize_t read(void* cls, uint64_t position, char* buffer, size_t max) {
    auto* self = static_cast<TruncatedBody*>(cls);
    if (position >= self->bytes.size()) return MHD_CONTENT_READER_END_WITH_ERROR;
    const size_t count = std::min<size_t>(max, self->bytes.size() - position);
    std::memcpy(buffer, self->bytes.data() + position, count);
    return static_cast<ssize_t>(count);
  }
  static void release(void* cls) { delete static_cast<TruncatedBody*>(cls); }
};

// A body sent `block` bytes at a time with a pause before each block (throttled download).
struct ThrottledBody {
  std::string bytes;
  std::size_t block = 1024;
  std::chrono::milliseconds pause{0};
  std::mutex* mutex = nullptr;
  std::condition_variable* wake = nullptr;
  const bool* stopping = nullptr;
  static ssize_t read(void* cls, uint64_t position, char* buffer, size_t max) {
    auto* self = static_cast<ThrottledBody*>(cls);
    if (position >= self->bytes.size()) return MHD_CONTENT_READER_END_OF_STREAM;
    {
      std::unique_lock lock(*self->mutex);
      if (self->wake->wait_for(lock, self->pause, [&] { return *self->stopping; })) {
        return MHD_CONTENT_READER_END_WITH_ERROR;
      }
    }
    const size_t count =
        std::min<size_t>({max, self->block, self->bytes.size() - static_cast<size_t>(position)});
    std::memcpy(buffer, self->bytes.data() + position, count);
    return static_cast<ssize_t>(count);
  }
  static void release(void* cls) { delete static_cast<ThrottledBody*>(cls); }
};

struct ConnectionState {
  std::uint64_t id = 0;
};

MHD_Result collectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(cls);
  std::string name(key ? key : "");
  for (char& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto [it, inserted] = headers->emplace(name, value ? value : "");
  if (!inserted) it->second += ", " + std::string(value ? value : "");
  return MHD_YES;
}

bool verifyClientCertificate(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
  if (info == nullptr || info->tls_session == nullptr) return false;
  auto session = static_cast<gnutls_session_t>(info->tls_session);
  unsigned int listSize = 0;
  if (gnutls_certificate_get_peers(session, &listSize) == nullptr || listSize == 0) return false;
  unsigned int status = 0;
  return gnutls_certificate_verify_peers2(session, &status) == GNUTLS_E_SUCCESS && status == 0;
}

}  // namespace

std::optional<std::string> HttpRequest::header(const std::string& lowerName) const {
  auto it = headers.find(lowerName);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

struct HttpServer::Internals {
  static void notifyConnection(void* cls, MHD_Connection*, void** socketContext,
                               MHD_ConnectionNotificationCode code) {
    auto* server = static_cast<HttpServer*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      auto* state = new ConnectionState{server->nextConnectionId_++};
      *socketContext = state;
      if (server->observer_) server->observer_(state->id, true);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
      auto* state = static_cast<ConnectionState*>(*socketContext);
      if (state != nullptr) {
        if (server->observer_) server->observer_(state->id, false);
        delete state;
        *socketContext = nullptr;
      }
    }
  }

  static void completed(void*, MHD_Connection*, void** requestContext, MHD_RequestTerminationCode) {
    delete static_cast<RequestState*>(*requestContext);
    *requestContext = nullptr;
  }

  static MHD_Result access(void* cls, MHD_Connection* connection, const char* url,
                           const char* method, const char*, const char* uploadData,
                           size_t* uploadDataSize, void** requestContext) {
    auto* server = static_cast<HttpServer*>(cls);
    if (*requestContext == nullptr) {
      *requestContext = new RequestState;
      return MHD_YES;
    }
    auto* state = static_cast<RequestState*>(*requestContext);
    if (*uploadDataSize != 0) {
      if (state->body.size() + *uploadDataSize > kMaxBodyBytes) {
        state->tooLarge = true;
      } else {
        state->body.append(uploadData, *uploadDataSize);
      }
      *uploadDataSize = 0;
      return MHD_YES;
    }
    if (state->tooLarge) return MHD_NO;

    HttpRequest request;
    request.method = method ? method : "";
    request.url = url ? url : "";
    request.body = std::move(state->body);
    MHD_get_connection_values(connection, MHD_HEADER_KIND, &collectHeader, &request.headers);
    std::map<std::string, std::string> query;
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &collectHeader, &query);
    if (!query.empty()) {
      // MHD strips the query from `url`; rebuild it for handlers that need it.
      std::string rebuilt;
      for (const auto& [key, value] : query) {
        rebuilt += (rebuilt.empty() ? "?" : "&") + key + (value.empty() ? "" : "=" + value);
      }
      request.url += rebuilt;
    }
    if (const MHD_ConnectionInfo* info =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        info != nullptr && info->socket_context != nullptr) {
      request.connectionId = static_cast<ConnectionState*>(info->socket_context)->id;
    }
    request.tls = server->options_.tls.has_value();
    if (request.tls && !server->options_.tls->trustedClientCaPem.empty()) {
      request.clientCertificateVerified = verifyClientCertificate(connection);
      if (server->options_.tls->requireClientCertificate && !request.clientCertificateVerified) {
        return MHD_NO;
      }
    }

    HttpResponse response = server->handler_(request);
    if (response.delayMs > 0) {
      std::unique_lock lock(server->stopMutex_);
      server->stopCv_.wait_for(lock, std::chrono::milliseconds(response.delayMs),
                               [&] { return server->stopping_; });
    }
    if (response.abortConnection) return MHD_NO;
    MHD_Response* reply = nullptr;
    if (response.truncateAfter && *response.truncateAfter < response.body.size()) {
      auto* source = new TruncatedBody{response.body.substr(0, *response.truncateAfter)};
      reply = MHD_create_response_from_callback(response.body.size(), 4096, &TruncatedBody::read,
                                                source, &TruncatedBody::release);
    } else if (response.chunkDelayMs > 0 && !response.body.empty()) {
      auto* source = new ThrottledBody{response.body,
                                       std::max<std::size_t>(1, response.chunkBytes),
                                       std::chrono::milliseconds(response.chunkDelayMs),
                                       &server->stopMutex_,
                                       &server->stopCv_,
                                       &server->stopping_};
      reply = MHD_create_response_from_callback(response.body.size(), 4096, &ThrottledBody::read,
                                                source, &ThrottledBody::release);
    } else {
      reply = MHD_create_response_from_buffer(response.body.size(), response.body.data(),
                                              MHD_RESPMEM_MUST_COPY);
    }
    if (reply == nullptr) return MHD_NO;
    for (const auto& [name, value] : response.headers) {
      MHD_add_response_header(reply, name.c_str(), value.c_str());
    }
    if (response.closeConnection) MHD_add_response_header(reply, "Connection", "close");
    const MHD_Result queued =
        MHD_queue_response(connection, static_cast<unsigned>(response.status), reply);
    MHD_destroy_response(reply);
    return queued;
  }
};

HttpServer::~HttpServer() {
  stop();
}

Status HttpServer::start(const HttpServerOptions& options, Handler handler,
                         ConnectionObserver observer) {
  if (daemon_ != nullptr) return Fault(FaultCode::kRequestDenied, "server already running");
  options_ = options;
  handler_ = std::move(handler);
  observer_ = std::move(observer);
  {
    std::lock_guard lock(stopMutex_);
    stopping_ = false;
  }
  sockaddr_in v4{};
  sockaddr_in6 v6{};
  const sockaddr* address = nullptr;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
  if (options.bindAddress == "127.0.0.1") {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(options.port);
    inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
    address = reinterpret_cast<const sockaddr*>(&v4);
  } else if (options.bindAddress == "::1") {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(options.port);
    inet_pton(AF_INET6, "::1", &v6.sin6_addr);
    address = reinterpret_cast<const sockaddr*>(&v6);
    flags |= MHD_USE_IPv6;
  } else {
    return Fault(FaultCode::kInvalidArguments,
                 "test servers bind 127.0.0.1 or ::1 only, not " + options.bindAddress);
  }
  std::vector<MHD_OptionItem> tlsItems;
  if (options_.tls) {
    flags |= MHD_USE_TLS;
    tlsItems.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, options_.tls->privateKeyPem.data()});
    tlsItems.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, options_.tls->certificatePem.data()});
    if (!options_.tls->trustedClientCaPem.empty()) {
      tlsItems.push_back({MHD_OPTION_HTTPS_MEM_TRUST, 0, options_.tls->trustedClientCaPem.data()});
    }
  }
  tlsItems.push_back({MHD_OPTION_END, 0, nullptr});
  daemon_ = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &Internals::access, this, MHD_OPTION_SOCK_ADDR, address,
      MHD_OPTION_NOTIFY_CONNECTION, &Internals::notifyConnection, this, MHD_OPTION_NOTIFY_COMPLETED,
      &Internals::completed, this, MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(60),
      MHD_OPTION_ARRAY, tlsItems.data(), MHD_OPTION_END);
  if (daemon_ == nullptr) {
    return Fault(FaultCode::kInternalError, "libmicrohttpd could not start on " +
                                                options.bindAddress + ":" +
                                                std::to_string(options.port));
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info != nullptr ? info->port : options.port;
  return {};
}

void HttpServer::stop() {
  if (daemon_ == nullptr) return;
  {
    std::lock_guard lock(stopMutex_);
    stopping_ = true;
  }
  stopCv_.notify_all();
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

std::string HttpServer::baseUrl() const {
  const std::string scheme = options_.tls ? "https" : "http";
  const std::string host = options_.bindAddress == "::1" ? "[::1]" : options_.bindAddress;
  return scheme + "://" + host + ":" + std::to_string(port_);
}

}  // namespace tr69::testacs
