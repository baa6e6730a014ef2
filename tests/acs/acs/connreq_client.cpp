#include "acs/connreq_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <map>

#include "tr69/base/crypto.h"
#include "tr69/base/unique_fd.h"

namespace tr69::testacs {

namespace {

size_t countBody(char*, size_t size, size_t count, void* user) {
  *static_cast<std::size_t*>(user) += size * count;
  return size * count;
}

size_t captureChallenge(char* data, size_t size, size_t count, void* user) {
  std::string line(data, size * count);
  if (line.size() > 17 && strncasecmp(line.c_str(), "WWW-Authenticate:", 17) == 0) {
    std::string value = line.substr(17);
    while (!value.empty() && value.front() == ' ')
      value.erase(value.begin());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
      value.pop_back();
    *static_cast<std::string*>(user) = value;
  }
  return size * count;
}

}  // namespace

HttpConnectionRequestResult sendHttpConnectionRequest(const std::string& url,
                                                      const std::string& username,
                                                      const std::string& password, bool allowBasic,
                                                      long timeoutSeconds) {
  HttpConnectionRequestResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    result.error = "curl_easy_init failed";
    return result;
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeoutSeconds);
  curl_easy_setopt(
      curl, CURLOPT_HTTPAUTH,
      static_cast<long>(allowBasic ? (CURLAUTH_DIGEST | CURLAUTH_BASIC) : CURLAUTH_DIGEST));
  curl_easy_setopt(curl, CURLOPT_USERNAME, username.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &countBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.bodyBytes);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &captureChallenge);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.challenge);
  const CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  } else {
    result.error = curl_easy_strerror(code);
  }
  curl_easy_cleanup(curl);
  return result;
}

std::string udpConnectionRequestSignature(const UdpConnectionRequest& request) {
  const std::string text = std::to_string(request.timestamp) + std::to_string(request.id) +
                           request.username + request.cnonce;
  return toHex(hmacSha1(request.password, text));
}

std::string buildUdpConnectionRequest(const UdpConnectionRequest& request) {
  return "GET http://" + request.authority + "?ts=" + std::to_string(request.timestamp) +
         "&id=" + std::to_string(request.id) + "&un=" + request.username + "&cn=" + request.cnonce +
         "&sig=" + udpConnectionRequestSignature(request) +
         " HTTP/1.1\r\nHost: " + request.authority + "\r\n\r\n";
}

std::optional<ParsedUdpConnectionRequest> parseUdpConnectionRequest(const std::string& datagram) {
  const std::string prefix = "GET http://";
  if (datagram.rfind(prefix, 0) != 0) return std::nullopt;
  const auto lineEnd = datagram.find("\r\n");
  if (lineEnd == std::string::npos) return std::nullopt;
  const std::string line = datagram.substr(0, lineEnd);
  const auto space = line.rfind(' ');
  if (space == std::string::npos || line.substr(space + 1) != "HTTP/1.1") return std::nullopt;
  const std::string uri = line.substr(prefix.size(), space - prefix.size());
  const auto question = uri.find('?');
  if (question == std::string::npos) return std::nullopt;
  ParsedUdpConnectionRequest out;
  out.authority = uri.substr(0, question);
  std::map<std::string, std::string> fields;
  std::size_t start = question + 1;
  while (start < uri.size()) {
    auto end = uri.find('&', start);
    if (end == std::string::npos) end = uri.size();
    const std::string pair = uri.substr(start, end - start);
    const auto equals = pair.find('=');
    if (equals == std::string::npos) return std::nullopt;
    fields[pair.substr(0, equals)] = pair.substr(equals + 1);
    start = end + 1;
  }
  for (const char* key : {"ts", "id", "un", "cn", "sig"}) {
    if (!fields.count(key)) return std::nullopt;
  }
  out.ts = fields["ts"];
  out.id = fields["id"];
  out.un = fields["un"];
  out.cn = fields["cn"];
  out.sig = fields["sig"];
  return out;
}

Status sendUdpDatagrams(const std::string& host, std::uint16_t port, const std::string& message,
                        int copies) {
  sockaddr_storage address{};
  socklen_t length = 0;
  int family = AF_INET;
  if (host == "127.0.0.1") {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &v4->sin_addr);
    length = sizeof(sockaddr_in);
  } else if (host == "::1") {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    inet_pton(AF_INET6, "::1", &v6->sin6_addr);
    length = sizeof(sockaddr_in6);
    family = AF_INET6;
  } else {
    return Fault(FaultCode::kInvalidArguments, "UDP requests go to 127.0.0.1 or ::1 only");
  }
  UniqueFd socketFd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socketFd) return Fault(FaultCode::kInternalError, "socket() failed");
  for (int i = 0; i < copies; ++i) {
    if (::sendto(socketFd.get(), message.data(), message.size(), 0,
                 reinterpret_cast<const sockaddr*>(&address), length) < 0) {
      return Fault(FaultCode::kInternalError, std::string("sendto: ") + std::strerror(errno));
    }
  }
  return {};
}

}  // namespace tr69::testacs
