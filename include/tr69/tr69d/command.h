// Running the operator's commands (--reboot-command, --firmware-command) from the daemon.
#pragma once

#include <string>

#include "tr69/base/fault.h"

namespace tr69::daemon {

// Runs `command` with /bin/sh -c and waits for it. The child gets an empty signal mask (the daemon
// blocks TERM/INT/HUP for its signalfd) and no inherited descriptors beyond stdio (every
// descriptor of the daemon is close-on-exec). A non-zero exit or a signal is kInternalError.
Status runShellCommand(const std::string& command);

}  // namespace tr69::daemon
