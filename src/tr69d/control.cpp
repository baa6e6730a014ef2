#include "tr69/tr69d/control.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

namespace tr69::daemon {
namespace {

constexpr std::size_t kMaxRequestBytes = 64 * 1024;
constexpr std::size_t kMaxReplyBytes = 16 * 1024 * 1024;

std::vector<std::string> splitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    out.push_back(unescapeControlField(line.substr(start, tab - start)));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

Result<sockaddr_un> socketAddress(const std::filesystem::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string p = path.string();
  if (p.size() >= sizeof addr.sun_path) {
    return Fault(FaultCode::kInvalidArguments, "control socket path too long: " + p);
  }
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  return addr;
}

std::string encodeReply(const Result<ControlReply>& reply) {
  std::string out;
  if (reply.ok()) {
    out = "ok\n";
    for (const auto& [key, value] : *reply) {
      out += escapeControlField(key) + "\t" + escapeControlField(value) + "\n";
    }
  } else {
    out = "error\t" + std::to_string(reply.fault().number()) + "\t" +
          escapeControlField(reply.fault().message) + "\n";
  }
  return out + "\n";
}

}  // namespace

std::string escapeControlField(const std::string& field) {
  std::string out;
  out.reserve(field.size());
  for (char c : field) {
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string unescapeControlField(const std::string& field) {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      out += field[i];
      continue;
    }
    switch (field[++i]) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      default:
        out += field[i];
    }
  }
  return out;
}

Result<std::unique_ptr<ControlServer>> ControlServer::start(EventLoop& loop, const Logger& log,
                                                            const std::filesystem::path& path,
                                                            ControlHandler handler) {
  auto addr = socketAddress(path);
  if (!addr) return addr.fault();
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return Fault(FaultCode::kInternalError, std::string("socket: ") + std::strerror(errno));
  ::unlink(path.c_str());
  // Create the socket owner-only from the start, not chmod after a window of exposure.
  const mode_t old = ::umask(0177);
  const int rc = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr);
  ::umask(old);
  if (rc != 0 || ::listen(fd.get(), 8) != 0) {
    return Fault(FaultCode::kInternalError,
                 "cannot listen on " + path.string() + ": " + std::strerror(errno));
  }
  ::chmod(path.c_str(), 0600);
  return std::unique_ptr<ControlServer>(
      new ControlServer(loop, log, path, std::move(fd), std::move(handler)));
}

ControlServer::ControlServer(EventLoop& loop, const Logger& log, std::filesystem::path path,
                             UniqueFd fd, ControlHandler handler)
    : loop_(loop),
      log_(log),
      path_(std::move(path)),
      listen_(std::move(fd)),
      handler_(std::move(handler)) {
  loop_.watchFd(listen_.get(), EventLoop::kReadable, [this](std::uint32_t) { accept(); });
}

ControlServer::~ControlServer() {
  for (auto& [fd, client] : clients_)
    loop_.unwatchFd(fd);
  loop_.unwatchFd(listen_.get());
  ::unlink(path_.c_str());
}

void ControlServer::accept() {
  for (;;) {
    UniqueFd fd(::accept4(listen_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd) return;
    const int raw = fd.get();
    clients_[raw].fd = std::move(fd);
    loop_.watchFd(raw, EventLoop::kReadable, [this, raw](std::uint32_t ev) { onClient(raw, ev); });
  }
}

void ControlServer::drop(int fd) {
  loop_.unwatchFd(fd);
  clients_.erase(fd);
}

void ControlServer::onClient(int fd, std::uint32_t events) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  Client& client = it->second;
  if (events & EventLoop::kReadable) {
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      drop(fd);
      return;
    }
    client.in.append(buf, static_cast<std::size_t>(n));
    if (client.in.size() > kMaxRequestBytes) {
      log_.warning("control: request over ", kMaxRequestBytes, " bytes dropped");
      drop(fd);
      return;
    }
    const std::size_t eol = client.in.find('\n');
    if (eol == std::string::npos) return;
    const ControlFields request = splitTabs(client.in.substr(0, eol));
    Result<ControlReply> reply =
        request.empty() || request[0].empty()
            ? Result<ControlReply>(Fault(FaultCode::kInvalidArguments, "empty request"))
            : handler_(request);
    client.out = encodeReply(reply);
    loop_.watchFd(fd, EventLoop::kWritable, [this, fd](std::uint32_t ev) { onClient(fd, ev); });
    return;
  }
  if (events & EventLoop::kWritable) {
    const ssize_t n = ::send(fd, client.out.data(), client.out.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
      drop(fd);
      return;
    }
    client.out.erase(0, static_cast<std::size_t>(n));
    if (client.out.empty()) drop(fd);
    return;
  }
  drop(fd);
}

Result<ControlReply> controlRequest(const std::filesystem::path& path, const ControlFields& request,
                                    std::chrono::milliseconds timeout) {
  auto addr = socketAddress(path);
  if (!addr) return addr.fault();
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return Fault(FaultCode::kInternalError, std::string("socket: ") + std::strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr) != 0) {
    return Fault(FaultCode::kRequestDenied,
                 "tr69d is not running (no control socket at " + path.string() + ")");
  }
  std::string line;
  for (std::size_t i = 0; i < request.size(); ++i) {
    if (i) line += '\t';
    line += escapeControlField(request[i]);
  }
  line += '\n';
  if (::send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(line.size())) {
    return Fault(FaultCode::kInternalError, "cannot send control request");
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string in;
  for (;;) {
    if (const std::size_t end = in.find("\n\n"); end != std::string::npos) {
      in.resize(end + 1);
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Fault(FaultCode::kInternalError, "tr69d did not answer in time");
    pollfd pfd{fd.get(), POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n <= 0) return Fault(FaultCode::kInternalError, "tr69d closed the control connection");
    in.append(buf, static_cast<std::size_t>(n));
    if (in.size() > kMaxReplyBytes) return Fault(FaultCode::kResourcesExceeded, "reply too large");
  }
  std::istringstream lines(in);
  std::string status;
  std::getline(lines, status);
  const auto head = splitTabs(status);
  if (head.at(0) == "error") {
    const auto code = head.size() > 1 ? static_cast<FaultCode>(std::stoul("0" + head[1]))
                                      : FaultCode::kInternalError;
    return Fault(code, head.size() > 2 ? head[2] : "error");
  }
  if (head.at(0) != "ok") return Fault(FaultCode::kInternalError, "malformed reply from tr69d");
  ControlReply reply;
  for (std::string l; std::getline(lines, l);) {
    if (l.empty()) continue;
    auto fields = splitTabs(l);
    fields.resize(2);
    reply.emplace_back(fields[0], fields[1]);
  }
  return reply;
}

}  // namespace tr69::daemon
