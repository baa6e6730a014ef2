#include "tr69/tr69d/command.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace tr69::daemon {

Status runShellCommand(const std::string& command) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  const int rc =
      posix_spawn(&pid, "/bin/sh", nullptr, &attr, const_cast<char* const*>(argv), environ);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return Fault(FaultCode::kInternalError, std::string("cannot run /bin/sh: ") + strerror(rc));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Fault(FaultCode::kInternalError, "waitpid failed");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  if (WIFSIGNALED(status)) {
    return Fault(FaultCode::kInternalError,
                 "command killed by signal " + std::to_string(WTERMSIG(status)));
  }
  return Fault(FaultCode::kInternalError,
               "command exited with status " + std::to_string(WEXITSTATUS(status)));
}

}  // namespace tr69::daemon
