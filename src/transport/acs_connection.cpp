#include "tr69/transport/acs_connection.h"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include "tls_policy.h"

namespace tr69::transport {
namespace {

curl_slist* appendHeader(curl_slist* list, const char* header) {
  curl_slist* next = curl_slist_append(list, header);
  return next != nullptr ? next : list;
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    if (a != prefix[i]) return false;
  }
  return true;
}

bool isTlsError(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

std::string trimmedDetail(const char* errorBuffer, CURLcode code) {
  std::string detail = errorBuffer[0] != '\0' ? errorBuffer : curl_easy_strerror(code);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r'))
    detail.pop_back();
  return detail;
}

}  // namespace

bool HttpReply::acsHasNoMoreRequests() const {
  if (status == 204) return true;
  return std::all_of(body.begin(), body.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string_view failureKindName(FailureKind kind) {
  switch (kind) {
    case FailureKind::kConnect:
      return "connect";
    case FailureKind::kTls:
      return "tls";
    case FailureKind::kTimeout:
      return "timeout";
    case FailureKind::kTooManyRedirects:
      return "too-many-redirects";
    case FailureKind::kBodyTooLarge:
      return "body-too-large";
    case FailureKind::kConnectionDropped:
      return "connection-dropped";
    case FailureKind::kAuthentication:
      return "authentication";
    case FailureKind::kHttpStatus:
      return "http-status";
    case FailureKind::kBusy:
      return "busy";
    case FailureKind::kOther:
      return "other";
  }
  return "other";
}

std::string redactUrl(const std::string& url) {
  CURLU* handle = curl_url();
  if (handle == nullptr) return "<url>";
  std::string out = "<unparsable url>";
  if (curl_url_set(handle, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    curl_url_set(handle, CURLUPART_USER, nullptr, 0);
    curl_url_set(handle, CURLUPART_PASSWORD, nullptr, 0);
    char* text = nullptr;
    if (curl_url_get(handle, CURLUPART_URL, &text, 0) == CURLUE_OK && text != nullptr) {
      out = text;
      curl_free(text);
    }
  }
  curl_url_cleanup(handle);
  return out;
}

AcsConnection::AcsConnection(EventLoop& loop, const Logger& logger, ConnectionSettings settings,
                             CURL* easy)
    : loop_(loop),
      logger_(logger),
      settings_(std::move(settings)),
      url_(settings_.url),
      easy_(easy, &curl_easy_cleanup),
      soapHeaders_(nullptr, &curl_slist_free_all),
      emptyPostHeaders_(nullptr, &curl_slist_free_all),
      driver_(loop) {
  curl_slist* soap = nullptr;
  soap = appendHeader(soap, "Content-Type: text/xml; charset=\"utf-8\"");
  soap = appendHeader(soap, "SOAPAction;");  // ';' sends the header with an empty value
  soap = appendHeader(soap, "Expect:");      // no 100-continue round trip
  soapHeaders_.reset(soap);
  curl_slist* empty = nullptr;
  empty = appendHeader(empty, "Content-Type:");  // ':' suppresses libcurl's form content type
  empty = appendHeader(empty, "Expect:");
  emptyPostHeaders_.reset(empty);

  CURL* h = easy_.get();
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  // A session that started on https never follows a redirect down to plain http.
  const bool https = startsWithIgnoreCase(url_, "https://");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, settings_.maxRedirects);
  curl_easy_setopt(h, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
  curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");  // in-memory cookie engine, this session only
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(settings_.connectTimeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.requestTimeout.count()));
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(settings_.maxResponseBytes));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &AcsConnection::onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &AcsConnection::onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &AcsConnection::openSocket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer_);
  curl_easy_setopt(h, CURLOPT_USERAGENT, settings_.userAgent.c_str());
  if (!settings_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
    // Never a single bit: with exactly CURLAUTH_DIGEST libcurl first probes with an empty body,
    // which an ACS takes for the CWMP empty POST (cwmp.md 9). CURLAUTH_ONLY keeps the mask
    // multi-bit, so the first attempt carries the real body and the 401 picks Digest.
    const bool basicAllowed = https || settings_.allowBasicOverPlainHttp;
    curl_easy_setopt(
        h, CURLOPT_HTTPAUTH,
        basicAllowed ? (CURLAUTH_BASIC | CURLAUTH_DIGEST) : (CURLAUTH_DIGEST | CURLAUTH_ONLY));
  }
}

AcsConnection::~AcsConnection() {
  driver_.remove(easy_.get());
  curl_easy_setopt(easy_.get(), CURLOPT_COOKIELIST, "ALL");
}

void AcsConnection::post(std::string body, Callback done) {
  if (busy()) {
    std::weak_ptr<int> alive = alive_;
    loop_.post([alive, done = std::move(done)] {
      if (alive.lock()) {
        done(HttpFailure{
            FailureKind::kBusy, 0, "a request of this session is still running", {}, {}, {}});
      }
    });
    return;
  }
  CURL* h = easy_.get();
  requestBody_ = std::move(body);
  responseBody_.clear();
  bodyTooLarge_ = false;
  reuseOnly_ = responses_ > 0 && !closeAnnounced_;
  refusedReconnect_ = false;
  errorBuffer_[0] = '\0';
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(requestBody_.size()));
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, requestBody_.data());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER,
                   requestBody_.empty() ? emptyPostHeaders_.get() : soapHeaders_.get());
  done_ = std::move(done);
  Status started = driver_.start(h, [this](CURLcode code) { finish(code); });
  if (!started) {
    std::weak_ptr<int> alive = alive_;
    const std::string message = started.fault().message;
    loop_.post([this, alive, message] {
      if (!alive.lock()) return;
      Callback callback = std::move(done_);
      done_ = nullptr;
      callback(HttpFailure{FailureKind::kOther, 0, message, {}, {}, {}});
    });
  }
}

std::size_t AcsConnection::onBody(char* data, std::size_t size, std::size_t count, void* self) {
  auto* connection = static_cast<AcsConnection*>(self);
  const std::size_t bytes = size * count;
  if (connection->responseBody_.size() + bytes > connection->settings_.maxResponseBytes) {
    connection->bodyTooLarge_ = true;
    return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
  }
  connection->responseBody_.append(data, bytes);
  return bytes;
}

std::size_t AcsConnection::onHeader(char* data, std::size_t size, std::size_t count, void* self) {
  auto* connection = static_cast<AcsConnection*>(self);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (startsWithIgnoreCase(line, "http/")) {
    connection->closeAnnounced_ = false;  // a new response (after a redirect or a 401)
  } else if (startsWithIgnoreCase(line, "connection:")) {
    std::string value(line.substr(11));
    for (char& c : value)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (value.find("close") != std::string::npos) connection->closeAnnounced_ = true;
  }
  return bytes;
}

curl_socket_t AcsConnection::openSocket(void* self, curlsocktype purpose, curl_sockaddr* address) {
  auto* connection = static_cast<AcsConnection*>(self);
  if (purpose == CURLSOCKTYPE_IPCXN && connection->reuseOnly_) {
    connection->refusedReconnect_ = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

void AcsConnection::keepCookiesForWholeSession() {
  // cwmp.md 9: a session cookie must go with every POST of the session whatever its Path, so the
  // stored cookies are re-filed under path "/".
  curl_slist* cookies = nullptr;
  if (curl_easy_getinfo(easy_.get(), CURLINFO_COOKIELIST, &cookies) != CURLE_OK) return;
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> owner(cookies, &curl_slist_free_all);
  std::vector<std::string> lines;
  bool changed = false;
  for (curl_slist* item = cookies; item != nullptr; item = item->next) {
    std::string line = item->data;
    // Netscape format: domain, include-subdomains, path, secure, expiry, name, value.
    const std::size_t first = line.find('\t');
    const std::size_t second = first == std::string::npos ? first : line.find('\t', first + 1);
    const std::size_t third = second == std::string::npos ? second : line.find('\t', second + 1);
    if (third == std::string::npos) continue;
    if (line.compare(second + 1, third - second - 1, "/") != 0) {
      // Rebuilt rather than line.replace(): GCC 12 -O2 warns -Wrestrict on that (PR105329),
      // which broke the Release build (bench/run.sh).
      std::string rooted = line.substr(0, second + 1);
      rooted += '/';
      rooted.append(line, third, std::string::npos);
      line = std::move(rooted);
      changed = true;
    }
    lines.push_back(std::move(line));
  }
  if (!changed) return;
  curl_easy_setopt(easy_.get(), CURLOPT_COOKIELIST, "ALL");
  for (const std::string& line : lines) {
    curl_easy_setopt(easy_.get(), CURLOPT_COOKIELIST, line.c_str());
  }
}

bool AcsConnection::resendAfterCrossOriginRedirect(CURLcode code) {
  // libcurl never hands the credentials to another host or port it was redirected to, so such an
  // ACS answers 401. The redirect target is now the session's URL: send the same request there
  // once more, with the credentials.
  if (code != CURLE_OK || settings_.username.empty() || resentAfterRedirect_) return false;
  long status = 0;
  long redirects = 0;
  char* effective = nullptr;
  curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(easy_.get(), CURLINFO_REDIRECT_COUNT, &redirects);
  curl_easy_getinfo(easy_.get(), CURLINFO_EFFECTIVE_URL, &effective);
  if (status != 401 || redirects == 0 || effective == nullptr || url_ == effective) return false;
  url_ = effective;
  resentAfterRedirect_ = true;
  logger_.info("ACS redirected the session to ", redactUrl(url_),
               ", which asks for credentials; sending the request there again");
  responseBody_.clear();
  bodyTooLarge_ = false;
  errorBuffer_[0] = '\0';
  curl_easy_setopt(easy_.get(), CURLOPT_URL, url_.c_str());
  return driver_.start(easy_.get(), [this](CURLcode next) { finish(next); }).ok();
}

void AcsConnection::finish(CURLcode code) {
  if (resendAfterCrossOriginRedirect(code)) return;
  resentAfterRedirect_ = false;
  PostResult result = buildResult(code);
  keepCookiesForWholeSession();
  requestBody_.clear();
  Callback callback = std::move(done_);
  done_ = nullptr;
  // The callback may destroy this connection; nothing touches members after it.
  if (callback) callback(std::move(result));
}

PostResult AcsConnection::buildResult(CURLcode code) {
  CURL* h = easy_.get();
  long status = 0;
  long redirects = 0;
  long connects = 0;
  long localPort = 0;
  char* effective = nullptr;
  char* contentType = nullptr;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo(h, CURLINFO_LOCAL_PORT, &localPort);
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
  curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &contentType);
  const std::string effectiveUrl = effective != nullptr ? effective : url_;
  const std::string type = contentType != nullptr ? contentType : "";
  const std::string where = redactUrl(effectiveUrl);
  const bool https = startsWithIgnoreCase(effectiveUrl, "https://");

  if (code != CURLE_OK) {
    const std::string detail = trimmedDetail(errorBuffer_, code);
    HttpFailure failure{FailureKind::kOther, status, {}, {}, type, effectiveUrl};
    if (refusedReconnect_) {
      failure.kind = FailureKind::kConnectionDropped;
      failure.message = "ACS " + where +
                        " closed the connection of the session; the request is not sent again "
                        "on a new connection";
    } else if (bodyTooLarge_ || code == CURLE_FILESIZE_EXCEEDED) {
      failure.kind = FailureKind::kBodyTooLarge;
      failure.message = "ACS response larger than " + std::to_string(settings_.maxResponseBytes) +
                        " bytes from " + where;
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      failure.kind = status == 0 && connects == 0 && localPort == 0 ? FailureKind::kConnect
                                                                    : FailureKind::kTimeout;
      failure.message = "ACS request timed out (" + where + "): " + detail;
    } else if (code == CURLE_TOO_MANY_REDIRECTS) {
      failure.kind = FailureKind::kTooManyRedirects;
      failure.message = "ACS redirected more than " + std::to_string(settings_.maxRedirects) +
                        " times (last: " + where + ")";
    } else if (isTlsError(code) || (https && (detail.find("SSL") != std::string::npos ||
                                              detail.find("alert") != std::string::npos))) {
      failure.kind = FailureKind::kTls;
      failure.message = "TLS failure with ACS " + where + ": " + detail;
    } else if (code == CURLE_UNSUPPORTED_PROTOCOL && redirects > 0) {
      failure.message = "refused redirect from ACS " + redactUrl(url_) + " to " + where +
                        " (an https session is never redirected to http)";
    } else if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
               code == CURLE_COULDNT_RESOLVE_PROXY) {
      failure.kind = FailureKind::kConnect;
      failure.message = "cannot connect to ACS " + where + ": " + detail;
    } else if (code == CURLE_PARTIAL_FILE || code == CURLE_GOT_NOTHING ||
               code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR) {
      failure.kind = FailureKind::kConnectionDropped;
      failure.message = "ACS " + where + " closed the connection: " + detail;
    } else {
      failure.message = "HTTP request to ACS " + where + " failed: " + detail;
    }
    if (failure.kind == FailureKind::kTls) {
      logger_.error(failure.message);
    } else {
      logger_.warning(failure.message);
    }
    return failure;
  }

  ++responses_;
  if (redirects > 0 && effectiveUrl != url_) {
    logger_.info("ACS redirected the session to ", where, "; using it until the session ends");
    url_ = effectiveUrl;
  }
  if (status == 200 || status == 204) {
    HttpReply reply;
    reply.status = status;
    reply.body = std::move(responseBody_);
    reply.contentType = type;
    reply.effectiveUrl = effectiveUrl;
    reply.redirected = redirects > 0;
    reply.newConnections = connects;
    reply.localPort = localPort;
    responseBody_.clear();
    return reply;
  }
  HttpFailure failure{FailureKind::kHttpStatus, status, {},
                      std::move(responseBody_), type,   effectiveUrl};
  responseBody_.clear();
  if (status == 401) {
    failure.kind = FailureKind::kAuthentication;
    failure.message = settings_.username.empty()
                          ? "ACS " + where + " requires authentication; no username configured"
                          : "ACS " + where + " rejected the credentials of user '" +
                                settings_.username + "' (401)" +
                                (https || settings_.allowBasicOverPlainHttp
                                     ? ""
                                     : "; Basic is not offered over plain http");
  } else {
    failure.message = "ACS " + where + " answered HTTP " + std::to_string(status);
  }
  logger_.warning(failure.message);
  return failure;
}

HttpClient::HttpClient(EventLoop& loop, const Logger& logger) : loop_(loop), logger_(logger) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

HttpClient::~HttpClient() {
  curl_global_cleanup();
}

Result<std::unique_ptr<AcsConnection>> HttpClient::openSession(ConnectionSettings settings) {
  const bool https = startsWithIgnoreCase(settings.url, "https://");
  if (!https && !startsWithIgnoreCase(settings.url, "http://")) {
    return Fault(FaultCode::kInvalidArguments,
                 "ACS URL must start with http:// or https://: " + redactUrl(settings.url));
  }
  CURL* easy = curl_easy_init();
  if (easy == nullptr) return Fault(FaultCode::kInternalError, "curl_easy_init failed");
  std::unique_ptr<CURL, void (*)(CURL*)> guard(easy, &curl_easy_cleanup);
  if (https) {
    if (Status s = applyTlsPolicy(easy, settings.tls, logger_); !s) {
      logger_.error("TLS setup for ACS ", redactUrl(settings.url), ": ", s.fault().message);
      return s.fault();
    }
  }
  return std::make_unique<AcsConnection>(loop_, logger_, std::move(settings), guard.release());
}

}  // namespace tr69::transport
