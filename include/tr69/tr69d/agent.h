// The daemon's object graph: every module wired together on one EventLoop (design.md).
//
//   config files ─► ConfigStore ─► PhoneStorage ─► model::Tree ◄─ RPC handlers ◄─ Engine ◄─► ACS
//   identity, /proc ─┘                ▲ AgentValues ◄─ connreq (CR URL, STUN)      ▲
//   TransferManager ─ results ────────┼────────────────────────────────────────────┘
//   signals (TERM, INT, HUP), tr69ctl control socket ─► Agent
//
// Agent::run() returns when the daemon must exit: SIGTERM/SIGINT (exit code 0) or a deferred
// reboot / factory reset / firmware install after a session (exit code 0, restart requested).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/tr69d/options.h"

namespace tr69::daemon {

enum class ExitReason { kTerminated, kReboot, kFatal };

class Agent {
 public:
  static Result<std::unique_ptr<Agent>> create(const Options& options, const Logger& log);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Runs the event loop until the daemon must exit.
  ExitReason run();

  class Impl;

 private:
  explicit Agent(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tr69::daemon
