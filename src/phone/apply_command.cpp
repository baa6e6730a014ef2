#include "tr69/phone/apply_command.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace tr69::phone {

ApplyCommand ApplyCommand::fromString(std::string_view command, std::chrono::milliseconds timeout) {
  ApplyCommand out;
  out.timeout = timeout;
  std::size_t pos = 0;
  while (pos < command.size()) {
    while (pos < command.size() && (command[pos] == ' ' || command[pos] == '\t'))
      ++pos;
    std::size_t end = pos;
    while (end < command.size() && command[end] != ' ' && command[end] != '\t')
      ++end;
    if (end > pos) out.argv.emplace_back(command.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

Status runApplyCommand(const ApplyCommand& command, const std::set<int>& lines, const Logger& log) {
  if (command.argv.empty()) {
    log.info("apply: no apply command configured; lines take effect at the next restart");
    return {};
  }
  std::vector<std::string> args = command.argv;
  std::string list;
  for (int line : lines) {
    args.push_back(std::to_string(line));
    if (!list.empty()) list.push_back(' ');
    list += std::to_string(line);
  }
  std::string env = "TR69_APPLY_LINES=" + list;
  std::vector<char*> envp;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, "TR69_APPLY_LINES=", 17) != 0) envp.push_back(*e);
  }
  envp.push_back(env.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    return Fault(FaultCode::kInternalError,
                 std::string("apply: fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
      ::dup2(devnull, STDIN_FILENO);
      ::close(devnull);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + command.timeout;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      return Fault(FaultCode::kInternalError,
                   std::string("apply: waitpid failed: ") + std::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      log.error("apply: ", command.argv[0], " timed out for lines ", list, "; killed");
      return Fault(FaultCode::kInternalError, "apply command timed out");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    log.info("apply: lines ", list.empty() ? "(none)" : list, " applied");
    return {};
  }
  const std::string why = WIFEXITED(status)
                              ? "exited with status " + std::to_string(WEXITSTATUS(status))
                              : "was killed by signal " + std::to_string(WTERMSIG(status));
  log.error("apply: ", command.argv[0], " ", why, " for lines ", list);
  return Fault(FaultCode::kInternalError, "apply command " + why);
}

}  // namespace tr69::phone
