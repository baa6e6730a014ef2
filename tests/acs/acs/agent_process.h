// Process and directory handling for end-to-end tests: a temporary directory tree, the files a
// tr69d run needs (config dir with aastra.cfg, state dir, identity file), and a child process
// started with fork/exec whose stderr goes to a file and that is stopped by its pid (SIGTERM,
// then SIGKILL after a bound). Every wait is bounded.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tr69/base/fault.h"

namespace tr69::testacs {

// mkdtemp under $TMPDIR (or /tmp); removed with its content on destruction unless
// TR69_KEEP_TEST_DIRS is set in the environment.
class TempDirectory {
 public:
  explicit TempDirectory(const std::string& prefix = "tr69-test");
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::string& path() const { return path_; }
  bool valid() const { return !path_.empty(); }

 private:
  std::string path_;
};

struct ProcessExit {
  bool exited = false;  // normal exit with `code`
  int code = 0;
  bool signaled = false;  // ended by `signal`
  int signal = 0;
  bool killed = false;  // stop() had to send SIGKILL
};

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // argv[0] is the program path (no PATH search). stdout and stderr go to `outputPath`
  // (appended; /dev/null when empty).
  Status start(const std::vector<std::string>& argv, const std::string& outputPath = "");
  pid_t pid() const { return pid_; }
  bool running();
  // Waits at most `timeout` for the process to end on its own.
  std::optional<ProcessExit> waitExit(std::chrono::milliseconds timeout);
  // SIGTERM, wait at most `grace`, then SIGKILL and reap (bounded by another `grace`).
  ProcessExit stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  // Sends a signal (e.g. SIGHUP) to the child by pid; false when not running.
  bool signal(int number);

 private:
  pid_t pid_ = -1;
  std::optional<ProcessExit> exit_;
};

// Identity of the simulated phone (the identity file, `key: value` lines).
struct PhoneIdentity {
  std::string model = "6757i";
  std::string mac = "00085D0A0B0C";
  std::string serial = "00085D0A0B0C";
  std::string softwareVersion = "3.3.1.4322";
  std::string hardwareVersion = "6757i rev 2";
};

// Settings for the generated aastra.cfg. The `tr69 ...` key names other than the periodic-inform
// ones are hypotheses of aastra-config.md [U]; they are spelt only here.
struct AgentConfig {
  std::string acsUrl;
  std::string acsUsername = "acs-user";
  std::string acsPassword = "acs-secret";
  std::string connectionRequestUsername = "cr-user";
  std::string connectionRequestPassword = "cr-secret";
  std::uint16_t connectionRequestPort = 0;  // 0: chosen free port
  std::vector<std::string> extraLines;      // appended verbatim ("key: value")
};

// The directory layout of one tr69d run: <root>/config, <root>/state, <root>/identity.cfg,
// <root>/tr69d.log.
class AgentEnvironment {
 public:
  AgentEnvironment();
  bool valid() const { return root_.valid(); }
  const std::string& root() const { return root_.path(); }
  std::string configDir() const { return root() + "/config"; }
  std::string stateDir() const { return root() + "/state"; }
  std::string systemRoot() const { return root() + "/sysroot"; }
  std::string identityFile() const { return root() + "/identity.cfg"; }
  std::string logFile() const { return root() + "/tr69d.log"; }

  Status writeIdentity(const PhoneIdentity& identity) const;
  // Writes config/aastra.cfg; returns the connection-request port used.
  Result<std::uint16_t> writeConfig(const AgentConfig& config) const;
  // The daemon's command line (cwmp design.md contract) for `binary`.
  std::vector<std::string> commandLine(const std::string& binary,
                                       const std::vector<std::string>& extraArgs = {}) const;

 private:
  TempDirectory root_;
};

// `timeout` times $TR69_TEST_TIMEOUT_SCALE (a positive number; unset or invalid: 1). Every bounded
// wait of the test peers (TestAcs waits, ChildProcess::waitExit/stop) goes through it, so that a
// slow run (tr69d under valgrind, scripts/valgrind.sh) keeps its bounds without editing tests.
std::chrono::milliseconds scaledTimeout(std::chrono::milliseconds timeout);

// Checks `condition` every 20 ms until it holds or the (scaled) timeout passes; for what the
// test ACS is not told of (TestAcs::waitUntil wakes only on ACS traffic): files served, log
// lines, processes.
bool pollUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read back, close).
std::uint16_t findFreeTcpPort();

}  // namespace tr69::testacs
