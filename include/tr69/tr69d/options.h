// The tr69d command line (design.md "Names used on the command line").
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/session/retry_backoff.h"

namespace tr69::daemon {

// Defaults suited to the phone image. [INFERRED] The Aastra firmware's real paths are not in any
// source we have; an integrator passes --config-dir/--state-dir from the init script.
inline constexpr const char* kDefaultConfigDir = "/etc/tr69d";
inline constexpr const char* kDefaultStateDir = "/var/lib/tr69d";
inline constexpr const char* kDefaultIdentityFile = "/etc/tr69d/identity";

struct Options {
  std::filesystem::path configDir = kDefaultConfigDir;
  std::filesystem::path stateDir = kDefaultStateDir;
  std::filesystem::path identityFile;   // empty: <config-dir>/identity, else kDefaultIdentityFile
  std::filesystem::path pidFile;        // empty: <state-dir>/tr69d.pid
  std::filesystem::path controlSocket;  // empty: <state-dir>/tr69d.sock
  bool foreground = false;
  LogLevel logLevel = LogLevel::kInfo;
  bool logToStderr = false;  // --log-stderr; --foreground implies it
  std::string applyCommand;
  std::string rebootCommand;
  std::string firmwareCommand;
  // Address the connection-request listeners bind to (tests and the demo use 127.0.0.1).
  std::string listenAddress = "0.0.0.0";
  // Root of the live system files (proc/uptime, proc/net/route, ...); tests use a fake tree.
  std::filesystem::path systemRoot = "/";
  // The session retry back-off (cwmp.md 4.3): Device:1 has no CWMPRetry* parameters, so an
  // integrator (or a test) sets them here; the standard defaults otherwise.
  session::RetryPolicy retry;
  // How long to wait for each ACS response (cwmp.md 1.5: 30 s).
  std::chrono::seconds acsTimeout{30};
  bool showHelp = false;
  bool showVersion = false;
};

// Parses argv (argv[0] is the program name). Accepts "--flag value" and "--flag=value".
// A bad flag, a missing value or a bad level is kInvalidArguments with a message for the user.
Result<Options> parseOptions(const std::vector<std::string>& args);

std::string usage(const std::string& program);

}  // namespace tr69::daemon
