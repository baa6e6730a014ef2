#include "acs/stun_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "tr69/base/crypto.h"

namespace tr69::testacs {

namespace {

constexpr std::size_t kHeaderBytes = 20;

void put16(std::string& out, std::uint16_t value) {
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value & 0xff));
}

std::uint16_t get16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(bytes[at]) << 8) |
                                    static_cast<unsigned char>(bytes[at + 1]));
}

std::string addressValue(std::uint32_t addressHostOrder, std::uint16_t port) {
  std::string value;
  value.push_back('\0');
  value.push_back('\x01');  // IPv4
  put16(value, port);
  put16(value, static_cast<std::uint16_t>(addressHostOrder >> 16));
  put16(value, static_cast<std::uint16_t>(addressHostOrder & 0xffff));
  return value;
}

std::string errorCodeValue(int code, std::string_view reason) {
  std::string value(2, '\0');
  value.push_back(static_cast<char>(code / 100));
  value.push_back(static_cast<char>(code % 100));
  value += reason;
  return value;
}

std::string trimmedUsername(std::string value) {
  while (!value.empty() && (value.back() == ' ' || value.back() == '\0'))
    value.pop_back();
  return value;
}

}  // namespace

const StunAttribute* StunMessage::find(std::uint16_t wanted) const {
  for (const StunAttribute& attribute : attributes) {
    if (attribute.type == wanted) return &attribute;
  }
  return nullptr;
}

std::optional<StunMessage> parseStunMessage(std::string_view datagram) {
  if (datagram.size() < kHeaderBytes) return std::nullopt;
  StunMessage message;
  message.type = get16(datagram, 0);
  if (message.type & 0xC000) return std::nullopt;  // the top two bits of a STUN type are 0
  const std::size_t length = get16(datagram, 2);
  if (length != datagram.size() - kHeaderBytes || length % 4 != 0) return std::nullopt;
  message.transactionId = std::string(datagram.substr(4, 16));
  std::size_t at = kHeaderBytes;
  while (at < datagram.size()) {
    if (datagram.size() - at < 4) return std::nullopt;
    StunAttribute attribute;
    attribute.type = get16(datagram, at);
    const std::size_t valueLength = get16(datagram, at + 2);
    const std::size_t padded = (valueLength + 3) / 4 * 4;
    if (datagram.size() - at - 4 < padded) return std::nullopt;
    attribute.value = std::string(datagram.substr(at + 4, valueLength));
    attribute.offset = at;
    message.attributes.push_back(std::move(attribute));
    at += 4 + padded;
  }
  return message;
}

std::string stunMessageIntegrity(std::string_view password, std::string_view bytesBeforeMi) {
  std::string input(bytesBeforeMi);
  input.resize((input.size() + 63) / 64 * 64, '\0');
  return hmacSha1(password, input);
}

std::string buildStunMessage(std::uint16_t type, std::string_view transactionId,
                             const std::vector<StunAttribute>& attributes,
                             const std::optional<std::string>& password) {
  std::string body;
  for (const StunAttribute& attribute : attributes) {
    put16(body, attribute.type);
    put16(body, static_cast<std::uint16_t>(attribute.value.size()));
    body += attribute.value;
    body.resize((body.size() + 3) / 4 * 4, '\0');
  }
  std::string message;
  put16(message, type);
  put16(message, static_cast<std::uint16_t>(body.size() + (password ? 24 : 0)));
  message += std::string(transactionId).substr(0, 16);
  message.resize(kHeaderBytes, '\0');
  message += body;
  if (password) {
    const std::string mac = stunMessageIntegrity(*password, message);
    put16(message, kStunMessageIntegrity);
    put16(message, 20);
    message += mac;
  }
  return message;
}

Status StunServer::start(StunServerOptions options) {
  options_ = std::move(options);
  socket_ = UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socket_) return Fault(FaultCode::kInternalError, "STUN socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options_.port);
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::bind(socket_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return Fault(FaultCode::kInternalError, "STUN bind() failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(socket_.get(), reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  return {};
}

void StunServer::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  socket_.reset();
}

void StunServer::run() {
  char buffer[2048];
  while (!stopping_) {
    pollfd entry{socket_.get(), POLLIN, 0};
    if (::poll(&entry, 1, 50) <= 0) continue;
    sockaddr_in from{};
    socklen_t length = sizeof from;
    const ssize_t received = ::recvfrom(socket_.get(), buffer, sizeof buffer, 0,
                                        reinterpret_cast<sockaddr*>(&from), &length);
    if (received <= 0) continue;
    handle(std::string_view(buffer, static_cast<std::size_t>(received)), from);
  }
}

void StunServer::handle(std::string_view datagram, const sockaddr_in& from) {
  auto message = parseStunMessage(datagram);
  if (!message || message->type != kStunBindingRequest) {
    std::lock_guard lock(mutex_);
    ++ignored_;
    changed_.notify_all();
    return;
  }
  StunRequestRecord record;
  record.at = std::chrono::steady_clock::now();
  record.sourcePort = ntohs(from.sin_port);
  if (const StunAttribute* crb = message->find(kStunConnectionRequestBinding)) {
    record.connectionRequestBinding = true;
    record.connectionRequestBindingValid = crb->value == kTr111BindingValue;
  }
  record.bindingChange = message->find(kStunBindingChange) != nullptr;
  if (const StunAttribute* user = message->find(kStunUsername)) {
    record.username = trimmedUsername(user->value);
  }
  if (const StunAttribute* mi = message->find(kStunMessageIntegrity)) {
    record.messageIntegrity = true;
    const bool last = &message->attributes.back() == mi;
    record.messageIntegrityValid =
        last && !options_.password.empty() &&
        constantTimeEquals(mi->value,
                           stunMessageIntegrity(options_.password, datagram.substr(0, mi->offset)));
  }
  const bool credentialsRequired = !options_.username.empty();
  if (credentialsRequired) {
    if (!record.messageIntegrity) {
      record.errorCode = 401;
    } else if (!record.username) {
      record.errorCode = 432;
    } else if (!record.messageIntegrityValid) {
      record.errorCode = 431;
    } else if (*record.username != options_.username) {
      record.errorCode = 401;
    }
  }
  std::string reply;
  const std::uint32_t source = ntohl(from.sin_addr.s_addr);
  if (record.errorCode != 0) {
    const char* reason = record.errorCode == 401   ? "Unauthorized"
                         : record.errorCode == 431 ? "Integrity Check Failure"
                                                   : "Missing Username";
    reply = buildStunMessage(kStunBindingErrorResponse, message->transactionId,
                             {{kStunErrorCode, errorCodeValue(record.errorCode, reason), 0}});
  } else {
    record.mappedPort = static_cast<std::uint16_t>(record.sourcePort + portOffset_.load());
    const std::uint32_t local = 0x7f000001;
    std::optional<std::string> key;
    if (record.messageIntegrityValid) key = options_.password;
    reply = buildStunMessage(kStunBindingResponse, message->transactionId,
                             {{kStunMappedAddress, addressValue(source, record.mappedPort), 0},
                              {kStunSourceAddress, addressValue(local, port_), 0},
                              {kStunChangedAddress, addressValue(local, port_), 0}},
                             key);
  }
  if (options_.transcript) {
    options_.transcript->note(
        "STUN binding request from port " + std::to_string(record.sourcePort) +
        (record.connectionRequestBinding ? " CONNECTION-REQUEST-BINDING" : "") +
        (record.bindingChange ? " BINDING-CHANGE" : "") +
        (record.username ? " USERNAME=" + *record.username : "") +
        (record.messageIntegrity ? (record.messageIntegrityValid ? " MI(valid)" : " MI(invalid)")
                                 : "") +
        (record.errorCode ? " -> error " + std::to_string(record.errorCode)
                          : " -> mapped port " + std::to_string(record.mappedPort)));
  }
  {
    // Recorded before the answer leaves, so a client that got the answer sees the record.
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(record));
    changed_.notify_all();
  }
  ::sendto(socket_.get(), reply.data(), reply.size(), 0, reinterpret_cast<const sockaddr*>(&from),
           sizeof from);
}

std::vector<StunRequestRecord> StunServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool StunServer::waitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

std::size_t StunServer::ignoredDatagrams() const {
  std::lock_guard lock(mutex_);
  return ignored_;
}

}  // namespace tr69::testacs
