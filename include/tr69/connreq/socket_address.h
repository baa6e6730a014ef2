// An IPv4/IPv6 socket address as used by the UDP socket and the STUN client.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tr69::connreq {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  // From a numeric address ("127.0.0.1", "::1"); nullopt for anything else.
  static std::optional<SocketAddress> fromNumeric(std::string_view ip, std::uint16_t port);
  // Resolves a host name or numeric address (getaddrinfo; may block on DNS for a name).
  static std::optional<SocketAddress> resolve(const std::string& host, std::uint16_t port);
  static SocketAddress fromSockaddr(const sockaddr* addr, socklen_t length);

  int family() const { return storage.ss_family; }
  std::string ip() const;
  std::uint16_t port() const;
  void setPort(std::uint16_t port);
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  // "ip:port" or "[ip]:port".
  std::string toString() const;
  bool operator==(const SocketAddress& other) const;
};

// The local address the kernel would use to reach `remote` (a connected UDP probe socket, no
// traffic sent).
std::optional<std::string> localAddressToward(const SocketAddress& remote);

}  // namespace tr69::connreq
