// The apply hook: after a committed session the phone's SIP stack must re-read the configuration
// of the lines that changed and re-register them. tr69d does that by running a configurable
// command (tr69d --apply-command CMD) once per session commit:
//
//   CMD [ARGS...] N1 N2 ...      the touched line numbers as extra arguments, ascending
//   environment: TR69_APPLY_LINES="N1 N2 ..." (the same list)
//
// CMD is split on blanks into argv (no shell, no quoting); nothing from the ACS ever reaches the
// command line except the line numbers. The child runs with stdin from /dev/null; it is killed
// (SIGKILL) when it runs longer than the timeout. The call blocks the caller for at most the
// timeout (it runs between sessions, when nothing else waits on the agent).
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"

namespace tr69::phone {

struct ApplyCommand {
  std::vector<std::string> argv;  // empty: applying is disabled (logged, succeeds)
  std::chrono::milliseconds timeout{10000};

  // Splits `command` on blanks ("/usr/sbin/sipapply -q" -> {"/usr/sbin/sipapply", "-q"}).
  static ApplyCommand fromString(std::string_view command,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
};

// Runs the command for `lines`; kInternalError when it cannot be started, exits non-zero, is
// killed by a signal or times out (the message says which).
Status runApplyCommand(const ApplyCommand& command, const std::set<int>& lines, const Logger& log);

}  // namespace tr69::phone
