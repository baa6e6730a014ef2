// Process lifecycle pieces of the daemon: pid file, signals as file descriptors, start-up checks.
#pragma once

#include <signal.h>

#include <filesystem>
#include <initializer_list>

#include "tr69/base/fault.h"
#include "tr69/base/unique_fd.h"
#include "tr69/tr69d/options.h"

namespace tr69::daemon {

// Holds an exclusive lock on the pid file for the life of the process and writes our pid into
// it. A second tr69d with the same pid file fails to start (kRequestDenied) instead of fighting
// over the state directory. The file is removed on destruction.
class PidFile {
 public:
  static Result<PidFile> acquire(const std::filesystem::path& path);
  PidFile(PidFile&&) noexcept = default;
  PidFile& operator=(PidFile&&) noexcept = default;
  ~PidFile();

 private:
  PidFile(std::filesystem::path path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  std::filesystem::path path_;
  UniqueFd fd_;
};

// Blocks the given signals for the process and delivers them through a signalfd, so the event
// loop handles them like any other input. Restores the previous mask on destruction.
class SignalFd {
 public:
  static Result<SignalFd> open(std::initializer_list<int> signals);
  SignalFd(SignalFd&& other) noexcept;
  SignalFd& operator=(SignalFd&&) = delete;
  ~SignalFd();

  int fd() const { return fd_.get(); }
  // Reads one pending signal number; 0 when none is pending.
  int read();

 private:
  SignalFd(UniqueFd fd, sigset_t previous) : fd_(std::move(fd)), previous_(previous) {}
  UniqueFd fd_;
  sigset_t previous_{};
  bool restore_ = true;
};

// The start-up checks with the messages an integrator needs: the config dir exists and is
// readable and holds aastra.cfg; the state dir exists (created if its parent does) and is
// writable; the identity file is readable.
Status checkStartup(const Options& options);

}  // namespace tr69::daemon
