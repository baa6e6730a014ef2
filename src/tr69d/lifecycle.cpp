#include "tr69/tr69d/lifecycle.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace tr69::daemon {
namespace {

Fault denied(const std::string& message) {
  return Fault(FaultCode::kRequestDenied, message);
}

std::string errnoText() {
  return std::strerror(errno);
}

}  // namespace

Result<PidFile> PidFile::acquire(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return denied("cannot open pid file " + path.string() + ": " + errnoText());
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    return denied("another tr69d holds " + path.string() + " (already running?)");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) != 0 ||
      ::pwrite(fd.get(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    return denied("cannot write pid file " + path.string() + ": " + errnoText());
  }
  return PidFile(path, std::move(fd));
}

PidFile::~PidFile() {
  if (fd_) ::unlink(path_.c_str());
}

Result<SignalFd> SignalFd::open(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals)
    sigaddset(&set, s);
  sigset_t previous;
  if (::sigprocmask(SIG_BLOCK, &set, &previous) != 0) {
    return Fault(FaultCode::kInternalError, "sigprocmask: " + errnoText());
  }
  UniqueFd fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd) {
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    return Fault(FaultCode::kInternalError, "signalfd: " + errnoText());
  }
  return SignalFd(std::move(fd), previous);
}

SignalFd::SignalFd(SignalFd&& other) noexcept
    : fd_(std::move(other.fd_)), previous_(other.previous_), restore_(other.restore_) {
  other.restore_ = false;
}

SignalFd::~SignalFd() {
  if (restore_) ::sigprocmask(SIG_SETMASK, &previous_, nullptr);
}

int SignalFd::read() {
  signalfd_siginfo info{};
  const ssize_t n = ::read(fd_.get(), &info, sizeof info);
  if (n != static_cast<ssize_t>(sizeof info)) return 0;
  return static_cast<int>(info.ssi_signo);
}

Status checkStartup(const Options& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(options.configDir, ec)) {
    return denied("config dir " + options.configDir.string() +
                  (fs::exists(options.configDir, ec) ? " is not a directory" : " does not exist"));
  }
  // access() says yes to a directory (and to anything for root): a file is checked as a file.
  const auto readableFile = [](const fs::path& path) -> std::string {
    if (::access(path.c_str(), R_OK) != 0) return errnoText();
    std::error_code ignored;
    if (fs::is_directory(path, ignored)) return "is a directory";
    return {};
  };
  const fs::path aastra = options.configDir / "aastra.cfg";
  if (const std::string why = readableFile(aastra); !why.empty()) {
    return denied("cannot read " + aastra.string() + ": " + why);
  }
  if (fs::exists(options.stateDir, ec) && !fs::is_directory(options.stateDir, ec)) {
    return denied("cannot create state dir " + options.stateDir.string() +
                  ": a file of that name exists");
  }
  if (!fs::is_directory(options.stateDir, ec)) {
    if (!fs::create_directory(options.stateDir, ec) || ec) {
      return denied("cannot create state dir " + options.stateDir.string() + ": " + ec.message());
    }
  }
  if (::access(options.stateDir.c_str(), W_OK | X_OK) != 0) {
    return denied("state dir " + options.stateDir.string() + " is not writable: " + errnoText());
  }
  if (const std::string why = readableFile(options.identityFile); !why.empty()) {
    return denied("cannot read identity file " + options.identityFile.string() + ": " + why);
  }
  return {};
}

}  // namespace tr69::daemon
