#include "tr69/connreq/udp_endpoint.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "tr69/connreq/stun_message.h"

namespace tr69::connreq {

UdpEndpoint::UdpEndpoint(EventLoop& loop, const Logger& log) : loop_(loop), log_(log) {}

UdpEndpoint::~UdpEndpoint() {
  close();
}

Status UdpEndpoint::open(const Options& options) {
  close();
  options_ = options;
  auto address = SocketAddress::fromNumeric(options.bindAddress, options.port);
  if (!address) {
    return Fault(FaultCode::kInvalidArguments,
                 "UDP connection request: bad bind address " + options.bindAddress);
  }
  UniqueFd fd(::socket(address->family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return Fault(FaultCode::kInternalError, std::string("socket: ") + std::strerror(errno));
  if (address->family() == AF_INET6) {
    int off = 0;
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
  if (::bind(fd.get(), address->get(), address->length) != 0) {
    return Fault(FaultCode::kInternalError, "UDP connection request: bind " + address->toString() +
                                                ": " + std::strerror(errno));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&bound), length).port();
  socket_ = std::move(fd);
  loop_.watchFd(socket_.get(), EventLoop::kReadable, [this](std::uint32_t) { onReadable(); });
  log_.info("UDP connection requests and STUN on ", options.bindAddress, " port ", port_);
  return {};
}

void UdpEndpoint::close() {
  if (!socket_) return;
  loop_.unwatchFd(socket_.get());
  socket_.reset();
  port_ = 0;
}

bool UdpEndpoint::send(std::string_view datagram, const SocketAddress& to) {
  if (!socket_) return false;
  SocketAddress target = to;
  // An IPv4 destination from a dual-stack IPv6 socket goes as a v4-mapped address.
  if (options_.bindAddress.find(':') != std::string::npos && to.family() == AF_INET) {
    if (auto mapped = SocketAddress::fromNumeric("::ffff:" + to.ip(), to.port())) target = *mapped;
  }
  const auto sent = ::sendto(socket_.get(), datagram.data(), datagram.size(), MSG_DONTWAIT,
                             target.get(), target.length);
  return sent == static_cast<ssize_t>(datagram.size());
}

void UdpEndpoint::onReadable() {
  char buffer[2048];
  for (unsigned i = 0; i < options_.maxDatagramsPerWakeup && socket_; ++i) {
    sockaddr_storage from{};
    socklen_t fromLength = sizeof(from);
    const auto n = ::recvfrom(socket_.get(), buffer, sizeof(buffer), MSG_TRUNC,
                              reinterpret_cast<sockaddr*>(&from), &fromLength);
    if (n < 0) break;  // EAGAIN: drained
    if (static_cast<std::size_t>(n) > sizeof(buffer)) {
      ++dropped_;
      log_.debug("UDP: oversized datagram (", n, " bytes) dropped");
      continue;
    }
    const std::string_view datagram(buffer, static_cast<std::size_t>(n));
    SocketAddress sender =
        SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&from), fromLength);
    // Report a v4-mapped sender as plain IPv4 so that it compares equal to the STUN server.
    if (sender.family() == AF_INET6 && sender.ip().starts_with("::ffff:")) {
      if (auto v4 = SocketAddress::fromNumeric(sender.ip().substr(7), sender.port())) sender = *v4;
    }
    if (stun::looksLikeStun(datagram)) {
      if (stunHandler_) stunHandler_(datagram, sender);
    } else if (datagram.starts_with("GET ")) {
      if (requestHandler_) requestHandler_(datagram, sender);
    } else {
      ++dropped_;
      log_.debug("UDP: unrecognised datagram from ", sender.toString(), " dropped");
    }
  }
}

}  // namespace tr69::connreq
