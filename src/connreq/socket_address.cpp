#include "tr69/connreq/socket_address.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <cstring>

#include "tr69/base/unique_fd.h"

namespace tr69::connreq {

std::optional<SocketAddress> SocketAddress::fromNumeric(std::string_view ip, std::uint16_t port) {
  SocketAddress out;
  const std::string text(ip);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  if (::inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.length = sizeof(sockaddr_in);
    return out;
  }
  out.storage = {};
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (::inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.length = sizeof(sockaddr_in6);
    return out;
  }
  return std::nullopt;
}

std::optional<SocketAddress> SocketAddress::resolve(const std::string& host, std::uint16_t port) {
  if (auto numeric = fromNumeric(host, port)) return numeric;
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* result = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &result) != 0 || result == nullptr)
    return std::nullopt;
  SocketAddress out = fromSockaddr(result->ai_addr, result->ai_addrlen);
  ::freeaddrinfo(result);
  out.setPort(port);
  return out;
}

SocketAddress SocketAddress::fromSockaddr(const sockaddr* addr, socklen_t length) {
  SocketAddress out;
  if (length > sizeof(out.storage)) length = sizeof(out.storage);
  std::memcpy(&out.storage, addr, length);
  out.length = length;
  return out;
}

std::string SocketAddress::ip() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, buffer,
                sizeof(buffer));
  } else if (family() == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, buffer,
                sizeof(buffer));
  }
  return buffer;
}

std::uint16_t SocketAddress::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  if (family() == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  return 0;
}

void SocketAddress::setPort(std::uint16_t port) {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
}

std::string SocketAddress::toString() const {
  // Built by appending: GCC 12 -O3 reports a false -Wrestrict on chained operator+ here.
  std::string out;
  const bool v6 = family() == AF_INET6;
  if (v6) out.push_back('[');
  out.append(ip());
  if (v6) out.push_back(']');
  out.push_back(':');
  out.append(std::to_string(port()));
  return out;
}

bool SocketAddress::operator==(const SocketAddress& other) const {
  return family() == other.family() && ip() == other.ip() && port() == other.port();
}

std::optional<std::string> localAddressToward(const SocketAddress& remote) {
  UniqueFd probe(::socket(remote.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe) return std::nullopt;
  if (::connect(probe.get(), remote.get(), remote.length) != 0) return std::nullopt;
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  if (::getsockname(probe.get(), reinterpret_cast<sockaddr*>(&local), &length) != 0)
    return std::nullopt;
  return SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&local), length).ip();
}

}  // namespace tr69::connreq
