#include "connreq/fake_stun_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>

namespace tr69::connreq::testing {

FakeStunServer::FakeStunServer(EventLoop& loop) : loop_(loop) {
  socket_.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(socket_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    throw std::runtime_error("fake STUN server: bind");
  socklen_t length = sizeof(addr);
  ::getsockname(socket_.get(), reinterpret_cast<sockaddr*>(&addr), &length);
  port_ = ntohs(addr.sin_port);
  loop_.watchFd(socket_.get(), EventLoop::kReadable, [this](std::uint32_t) { onReadable(); });
}

FakeStunServer::~FakeStunServer() {
  loop_.unwatchFd(socket_.get());
}

void FakeStunServer::requireIntegrity(std::string username, std::string password) {
  credentials_ = std::make_pair(std::move(username), std::move(password));
}

void FakeStunServer::onReadable() {
  for (int i = 0; i < 64; ++i) {
    char buffer[2048];
    sockaddr_storage from{};
    socklen_t fromLength = sizeof(from);
    const auto n = ::recvfrom(socket_.get(), buffer, sizeof(buffer), 0,
                              reinterpret_cast<sockaddr*>(&from), &fromLength);
    if (n < 0) return;
    const std::string_view datagram(buffer, static_cast<std::size_t>(n));
    auto request = stun::decode(datagram);
    if (!request || request->type != stun::kBindingRequest) continue;
    Received record{*request, false};
    if (credentials_) {
      record.integrityValid = request->username == credentials_->first &&
                              stun::verifyIntegrity(datagram, *request, credentials_->second);
    }
    received_.push_back(record);
    if (silent_) continue;
    const SocketAddress sender =
        SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&from), fromLength);
    stun::Message answer;
    answer.transactionId = request->transactionId;
    if (credentials_ && !record.integrityValid) {
      answer.type = stun::kBindingErrorResponse;
      answer.errorCode = stun::ErrorCode{401, "Unauthorized"};
    } else {
      answer.type = stun::kBindingResponse;
      answer.mappedAddress = mapped_.value_or(stun::StunAddress{sender.ip(), sender.port()});
      answer.sourceAddress = stun::StunAddress{"127.0.0.1", port_};
    }
    const std::string bytes =
        stun::encode(answer, record.integrityValid ? std::string_view(credentials_->second) : "");
    ::sendto(socket_.get(), bytes.data(), bytes.size(), 0, sender.get(), sender.length);
  }
}

}  // namespace tr69::connreq::testing
