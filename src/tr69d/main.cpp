// tr69d: wiring only. The command line is parsed by options.cpp, the object graph lives in
// agent.cpp; this file turns them into a process (daemonizing, pid file, exit codes, restart).
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "tr69/base/log.h"
#include "tr69/tr69d/agent.h"
#include "tr69/tr69d/lifecycle.h"
#include "tr69/tr69d/options.h"

#ifndef TR69_VERSION
#define TR69_VERSION "0.0.0"
#endif

namespace {

using namespace tr69;
using namespace tr69::daemon;

// Detaches from the terminal. The parent returns only when the child reports that it started
// (pid file taken, agent running) or failed, so init scripts see a meaningful exit status.
int daemonize(int& readyFd) {
  int pipeFds[2];
  if (pipe2(pipeFds, O_CLOEXEC) != 0) return -1;
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid > 0) {
    close(pipeFds[1]);
    char status = 1;
    const ssize_t n = read(pipeFds[0], &status, 1);
    close(pipeFds[0]);
    _exit(n == 1 && status == 0 ? 0 : 1);
  }
  close(pipeFds[0]);
  setsid();
  if (fork() > 0) _exit(0);  // not a session leader: never acquires a controlling terminal
  const int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO) close(null);
  }
  readyFd = pipeFds[1];
  return 0;
}

void reportReady(int& readyFd, bool ok) {
  if (readyFd < 0) return;
  const char status = ok ? 0 : 1;
  (void)!write(readyFd, &status, 1);
  close(readyFd);
  readyFd = -1;
}

}  // namespace

int main(int argc, char** argv) {
  // One malloc arena: the agent is single-threaded but for libcurl's resolver threads (a host
  // name ACS URL), and each of those would otherwise leave a per-thread arena heap resident.
  mallopt(M_ARENA_MAX, 1);
  const std::vector<std::string> args(argv, argv + argc);
  auto options = parseOptions(args);
  if (!options) {
    std::cerr << "tr69d: " << options.fault().message << "\n";
    return 2;
  }
  if (options->showHelp) {
    std::cout << usage("tr69d");
    return 0;
  }
  if (options->showVersion) {
    std::cout << "tr69d " << TR69_VERSION << "\n";
    return 0;
  }
  if (Status s = checkStartup(*options); !s) {
    std::cerr << "tr69d: " << s.fault().message << "\n";
    return 1;
  }
  int readyFd = -1;
  if (!options->foreground && daemonize(readyFd) != 0) {
    std::perror("tr69d: cannot daemonize");
    return 1;
  }
  Logger log = options->logToStderr ? Logger::toStderr(options->logLevel)
                                    : Logger::toSyslog("tr69d", options->logLevel);
  ExitReason reason = ExitReason::kFatal;
  {
    auto pid = PidFile::acquire(options->pidFile);
    if (!pid) {
      log.error(pid.fault().message);
      reportReady(readyFd, false);
      return 1;
    }
    auto agent = Agent::create(*options, log);
    if (!agent) {
      log.error("cannot start: ", agent.fault().message);
      reportReady(readyFd, false);
      return 1;
    }
    log.info("tr69d ", TR69_VERSION, " started (pid ", getpid(), ")");
    reportReady(readyFd, true);
    reason = (*agent)->run();
  }
  if (reason == ExitReason::kReboot && options->rebootCommand.empty()) {
    // Without a reboot command a reboot means restarting the agent with its own state.
    log.info("re-executing tr69d");
    std::vector<char*> argvCopy(argv, argv + argc);
    argvCopy.push_back(nullptr);
    execv("/proc/self/exe", argvCopy.data());
    log.error("re-exec failed");
    return 1;
  }
  log.info("tr69d stopped");
  return reason == ExitReason::kFatal ? 1 : 0;
}
