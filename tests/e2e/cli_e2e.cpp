// End to end (label e2e): the command-line contract of the real tr69d and tr69ctl programs
// (every flag, every start-up error path), signals (SIGHUP reload, SIGTERM during a session) and
// tr69ctl against a running daemon. Every wait is bounded; children are stopped by pid.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "acs/agent_fixture.h"
#include "acs/connreq_client.h"
#include "acs/file_server.h"
#include "tr69/base/file_util.h"

#ifndef TR69CTL_BINARY_DEFAULT
#define TR69CTL_BINARY_DEFAULT ""
#endif

namespace tr69::testacs {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct RunResult {
  bool exited = false;
  int code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  auto text = readFile(path, 4 * 1024 * 1024);
  return text ? *text : std::string();
}

// Runs a program to completion (bounded: SIGKILL after `timeout`) with stdout and stderr kept
// apart, in `scratch` (a directory for the two capture files).
RunResult runProgram(const std::vector<std::string>& argv, const std::string& scratch,
                     std::chrono::milliseconds timeout = 20s) {
  static int counter = 0;
  const std::string base = scratch + "/run-" + std::to_string(++counter);
  const std::string outPath = base + ".out", errPath = base + ".err";
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int null = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || null < 0) ::_exit(126);
    ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  RunResult run;
  if (pid < 0) return run;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pid_t done = 0;
  while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  if (done == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  } else if (WIFEXITED(status)) {
    run.exited = true;
    run.code = WEXITSTATUS(status);
  }
  run.out = slurp(outPath);
  run.err = slurp(errPath);
  return run;
}

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// A zombie (ended, not yet reaped by init) counts as gone.
bool processAlive(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close == std::string::npos || stat.compare(close, 3, ") Z") != 0;
}

std::string ctlBinary() {
  const char* fromEnvironment = std::getenv("TR69CTL_BINARY");
  if (fromEnvironment != nullptr && *fromEnvironment != '\0') return fromEnvironment;
  return TR69CTL_BINARY_DEFAULT;
}

// ---------------------------------------------------------------------------------------------
// The tr69d command line and its start-up checks (no ACS session needed).

class DaemonCommandLine : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = AgentTest::agentBinary();
    if (binary_.empty()) GTEST_SKIP() << "no tr69d binary (set TR69D_BINARY)";
    ASSERT_TRUE(env_.valid());
    ASSERT_TRUE(env_.writeIdentity(PhoneIdentity{}).ok());
    AgentConfig config;
    config.acsUrl = "http://127.0.0.1:9/acs";  // never reached: these runs stop at start-up
    ASSERT_TRUE(env_.writeConfig(config).ok());
  }

  // tr69d with the fixture's directories, `replace` overriding flags by name.
  RunResult tr69d(std::vector<std::string> args) {
    std::vector<std::string> argv{binary_};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProgram(argv, env_.root());
  }
  std::vector<std::string> dirs() const {
    return {"--config-dir",  env_.configDir(), "--state-dir",
            env_.stateDir(), "--identity",     env_.identityFile()};
  }
  std::vector<std::string> with(std::vector<std::string> args,
                                const std::vector<std::string>& more) const {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
  void expectStartupFailure(const RunResult& run, int code, const std::string& message) {
    EXPECT_TRUE(run.exited);
    EXPECT_EQ(run.code, code) << run.err;
    EXPECT_NE(run.err.find(message), std::string::npos) << "stderr: " << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_FALSE(fs::exists(env_.stateDir() + "/tr69d.pid"));
  }

  std::string binary_;
  AgentEnvironment env_;
};

TEST_F(DaemonCommandLine, HelpListsEveryFlagOnStdoutAndExitsZero) {
  const RunResult run = tr69d({"--help"});
  EXPECT_TRUE(run.exited);
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.err, "");
  for (const char* flag :
       {"--config-dir", "--state-dir", "--identity", "--foreground", "--log-level", "--log-stderr",
        "--apply-command", "--reboot-command", "--firmware-command", "--listen-address",
        "--system-root", "--pid-file", "--control-socket", "--help", "--version"}) {
    EXPECT_NE(run.out.find(flag), std::string::npos) << flag << " missing from --help";
  }
  EXPECT_EQ(tr69d({"-h"}).out, run.out);
}

TEST_F(DaemonCommandLine, VersionPrintsOneLineAndExitsZero) {
  const RunResult run = tr69d({"--version"});
  EXPECT_EQ(run.code, 0);
  ASSERT_EQ(run.out.rfind("tr69d ", 0), 0u) << run.out;
  EXPECT_EQ(run.out.find('\n'), run.out.size() - 1);
  EXPECT_EQ(run.err, "");
}

TEST_F(DaemonCommandLine, UnknownFlagIsExitTwo) {
  expectStartupFailure(tr69d(with(dirs(), {"--bogus"})), 2, "unknown option '--bogus'");
  expectStartupFailure(tr69d({"stray-argument"}), 2, "unknown option 'stray-argument'");
}

TEST_F(DaemonCommandLine, MissingOrEmptyValueIsExitTwo) {
  for (const char* flag : {"--config-dir", "--state-dir", "--identity", "--pid-file",
                           "--control-socket", "--log-level", "--apply-command", "--reboot-command",
                           "--firmware-command", "--listen-address", "--system-root"}) {
    SCOPED_TRACE(flag);
    expectStartupFailure(tr69d({flag}), 2, std::string(flag) + " needs a value");
    expectStartupFailure(tr69d({std::string(flag) + "="}), 2, "needs a non-empty value");
  }
}

TEST_F(DaemonCommandLine, SwitchGivenAValueIsExitTwo) {
  expectStartupFailure(tr69d(with(dirs(), {"--foreground=yes"})), 2, "--foreground takes no value");
}

TEST_F(DaemonCommandLine, BadLogLevelIsExitTwo) {
  expectStartupFailure(tr69d(with(dirs(), {"--log-level", "loud"})), 2,
                       "--log-level: expected error, warning, info or debug, got 'loud'");
}

TEST_F(DaemonCommandLine, BadListenAddressIsExitTwo) {
  expectStartupFailure(tr69d(with(dirs(), {"--listen-address", "phone.local"})), 2,
                       "--listen-address: expected a numeric IPv4 or IPv6 address");
}

TEST_F(DaemonCommandLine, MissingConfigDirIsExitOne) {
  const std::string missing = env_.root() + "/no-config";
  expectStartupFailure(tr69d({"--config-dir", missing, "--state-dir", env_.stateDir()}), 1,
                       "config dir " + missing + " does not exist");
}

TEST_F(DaemonCommandLine, ConfigDirThatIsAFileIsExitOne) {
  const std::string file = env_.root() + "/a-file";
  ASSERT_TRUE(writeFileAtomic(file, "x\n").ok());
  expectStartupFailure(tr69d({"--config-dir", file, "--state-dir", env_.stateDir()}), 1,
                       "config dir " + file + " is not a directory");
}

TEST_F(DaemonCommandLine, MissingAastraCfgIsExitOne) {
  fs::remove(env_.configDir() + "/aastra.cfg");
  expectStartupFailure(tr69d(dirs()), 1, "cannot read " + env_.configDir() + "/aastra.cfg");
}

TEST_F(DaemonCommandLine, AastraCfgThatIsADirectoryIsExitOne) {
  // Fails for root too (unlike a chmod 000 file).
  fs::remove(env_.configDir() + "/aastra.cfg");
  fs::create_directory(env_.configDir() + "/aastra.cfg");
  expectStartupFailure(tr69d(dirs()), 1,
                       "cannot read " + env_.configDir() + "/aastra.cfg: is a directory");
}

TEST_F(DaemonCommandLine, UnreadableAastraCfgIsExitOne) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads a mode 000 file; covered by the directory case";
  ::chmod((env_.configDir() + "/aastra.cfg").c_str(), 0);
  expectStartupFailure(tr69d(dirs()), 1, "cannot read " + env_.configDir() + "/aastra.cfg");
}

TEST_F(DaemonCommandLine, StateDirThatIsAFileIsExitOne) {
  const std::string file = env_.root() + "/state-file";
  ASSERT_TRUE(writeFileAtomic(file, "x\n").ok());
  expectStartupFailure(tr69d({"--config-dir", env_.configDir(), "--state-dir", file, "--identity",
                              env_.identityFile()}),
                       1, "cannot create state dir " + file + ": a file of that name exists");
}

TEST_F(DaemonCommandLine, StateDirUnderAFileIsExitOne) {
  const std::string file = env_.root() + "/state-file";
  ASSERT_TRUE(writeFileAtomic(file, "x\n").ok());
  expectStartupFailure(tr69d({"--config-dir", env_.configDir(), "--state-dir", file + "/state",
                              "--identity", env_.identityFile()}),
                       1, "cannot create state dir " + file + "/state");
}

TEST_F(DaemonCommandLine, UnwritableStateDirIsExitOne) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes a mode 0500 dir; covered by the file cases";
  ::chmod(env_.stateDir().c_str(), 0500);
  expectStartupFailure(tr69d(dirs()), 1, "state dir " + env_.stateDir() + " is not writable");
  ::chmod(env_.stateDir().c_str(), 0700);
}

TEST_F(DaemonCommandLine, MissingIdentityIsExitOne) {
  const std::string missing = env_.root() + "/no-identity";
  expectStartupFailure(tr69d({"--config-dir", env_.configDir(), "--state-dir", env_.stateDir(),
                              "--identity", missing}),
                       1, "cannot read identity file " + missing);
}

TEST_F(DaemonCommandLine, DefaultIdentityIsInTheConfigDir) {
  // Without --identity the file is <config-dir>/identity.
  expectStartupFailure(tr69d({"--config-dir", env_.configDir(), "--state-dir", env_.stateDir()}), 1,
                       "cannot read identity file " + env_.configDir() + "/identity");
}

TEST_F(DaemonCommandLine, MalformedIdentityIsExitOneWithTheReason) {
  ASSERT_TRUE(writeFileAtomic(env_.identityFile(), "serial: 1\n").ok());  // no model, no mac
  const RunResult run = tr69d(with(dirs(), {"--foreground"}));
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_NE(run.err.find("cannot start"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(env_.identityFile()), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(env_.stateDir() + "/tr69d.pid"));
}

TEST_F(DaemonCommandLine, MissingStateDirIsCreatedWhenItsParentExists) {
  const std::string fresh = env_.root() + "/fresh-state";
  // The daemon starts (and is told to stop at once): the directory exists afterwards.
  ChildProcess daemon;
  ASSERT_TRUE(daemon
                  .start({binary_, "--config-dir", env_.configDir(), "--state-dir", fresh,
                          "--identity", env_.identityFile(), "--foreground", "--listen-address",
                          "127.0.0.1", "--system-root", env_.systemRoot()},
                         env_.logFile())
                  .ok());
  EXPECT_TRUE(waitFor([&] { return fs::exists(fresh + "/tr69d.pid"); }, 20s))
      << slurp(env_.logFile());
  EXPECT_TRUE(fs::is_directory(fresh));
  EXPECT_FALSE(daemon.stop(5s).killed);
}

// ---------------------------------------------------------------------------------------------
// The running daemon: flags that change what it does, signals and tr69ctl.

class DaemonProcess : public AgentTest {
 protected:
  RunResult ctl(std::vector<std::string> args) {
    const std::string binary = ctlBinary();
    std::vector<std::string> argv{binary, "--state-dir", environment().stateDir()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProgram(argv, environment().root());
  }
  bool waitForSocket() {
    return waitFor([&] { return fs::exists(environment().stateDir() + "/tr69d.sock"); }, 20s);
  }
  std::string log() { return slurp(environment().logFile()); }
  void expectNoAcsFailures() {
    for (const std::string& failure : acs().failures())
      ADD_FAILURE() << failure;
  }
  void SetUp() override {
    AgentTest::SetUp();
    if (ctlBinary().empty()) GTEST_SKIP() << "no tr69ctl binary (set TR69CTL_BINARY)";
  }
};

TEST_F(DaemonProcess, SecondInstanceWithTheSamePidFileIsRefused) {
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  const RunResult second =
      runProgram(environment().commandLine(agentBinary()), environment().root());
  EXPECT_EQ(second.code, 1) << second.err;
  EXPECT_NE(second.err.find("another tr69d holds " + environment().stateDir() + "/tr69d.pid"),
            std::string::npos)
      << second.err;
  EXPECT_TRUE(agent().running()) << "the second start disturbed the first daemon";
  EXPECT_EQ(slurp(environment().stateDir() + "/tr69d.pid"), std::to_string(agent().pid()) + "\n");
  EXPECT_EQ(acs().sessionCount(), 1u);
}

TEST_F(DaemonProcess, WithoutForegroundItDetachesAndReportsStartup) {
  // Without --foreground the parent returns once the daemon runs; the pid file names it.
  if (agentBinary().empty()) GTEST_SKIP() << "no tr69d binary";
  ASSERT_TRUE(environment().writeIdentity(identity()).ok());
  ASSERT_TRUE(environment().writeConfig(config()).ok());
  std::vector<std::string> argv = environment().commandLine(agentBinary());
  argv.erase(std::find(argv.begin(), argv.end(), "--foreground"));
  const RunResult start = runProgram(argv, environment().root());
  const std::string pidPath = environment().stateDir() + "/tr69d.pid";
  const pid_t pid = static_cast<pid_t>(std::atoi(slurp(pidPath).c_str()));
  // Not our child: the fixture cannot stop it, so a failing assertion must not leave it running.
  struct KillOnExit {
    pid_t pid;
    ~KillOnExit() {
      if (pid > 0) ::kill(pid, SIGKILL);
    }
  } guard{pid};
  ASSERT_EQ(start.code, 0) << start.err;
  ASSERT_TRUE(processAlive(pid));
  EXPECT_TRUE(acs().waitForCompletedSessions(1, 30s));
  // A second detached start fails and says so through its exit status.
  EXPECT_EQ(runProgram(argv, environment().root()).code, 1);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  ASSERT_TRUE(waitFor([&] { return !processAlive(pid); }, 10s));
  guard.pid = 0;
  EXPECT_FALSE(fs::exists(pidPath));
}

TEST_F(DaemonProcess, PidFileAndControlSocketGoWhereTheyAreTold) {
  const std::string pidFile = environment().root() + "/run/custom.pid";
  const std::string socket = environment().root() + "/run/ctl.sock";
  fs::create_directories(environment().root() + "/run");
  startAgent({"--pid-file", pidFile, "--control-socket", socket});
  if (IsSkipped()) return;
  ASSERT_TRUE(waitFor([&] { return fs::exists(socket); }, 20s)) << log();
  EXPECT_EQ(slurp(pidFile), std::to_string(agent().pid()) + "\n");
  EXPECT_FALSE(fs::exists(environment().stateDir() + "/tr69d.pid"));
  const RunResult status =
      runProgram({ctlBinary(), "--socket", socket, "status"}, environment().root());
  EXPECT_EQ(status.code, 0) << status.err;
  EXPECT_NE(status.out.find("model:"), std::string::npos);
  EXPECT_FALSE(stopAgent().killed);
  EXPECT_FALSE(fs::exists(pidFile));
}

TEST_F(DaemonProcess, ControlSocketIsOwnerOnly) {
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForSocket()) << log();
  struct stat info {};
  ASSERT_EQ(::stat((environment().stateDir() + "/tr69d.sock").c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_EQ(info.st_uid, ::geteuid());
}

TEST_F(DaemonProcess, LogLevelFiltersWhatIsLogged) {
  startAgent({"--log-level", "warning"});  // the fixture's "debug" comes first; the last wins
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  EXPECT_FALSE(stopAgent().killed);
  const std::string text = log();
  EXPECT_EQ(text.find(" info "), std::string::npos) << text;
  EXPECT_EQ(text.find(" debug "), std::string::npos) << text;
}

TEST_F(DaemonProcess, DebugLevelLogsTheSessionButNoSecret) {
  startAgent();  // --log-level debug
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  EXPECT_FALSE(stopAgent().killed);
  const std::string text = log();
  EXPECT_NE(text.find(" debug "), std::string::npos);
  EXPECT_NE(text.find(" info "), std::string::npos);
  for (const std::string& secret : {config().acsPassword, config().connectionRequestPassword}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "secret in the log";
  }
}

TEST_F(DaemonProcess, ListenAddressIsInTheConnectionRequestUrl) {
  startAgent();  // --listen-address 127.0.0.1
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  const RunResult status = ctl({"--json", "status"});
  ASSERT_EQ(status.code, 0) << status.err;
  EXPECT_NE(status.out.find("\"connection-request-url\":\"http://127.0.0.1:"), std::string::npos)
      << status.out;
  // The listener answers there (a request without credentials is challenged).
  EXPECT_EQ(sendHttpConnectionRequest(connectionRequestUrl(), "", "").status, 401);
}

TEST_F(DaemonProcess, SystemRootIsWhereLiveValuesComeFrom) {
  ASSERT_TRUE(
      writeFileAtomic(environment().systemRoot() + "/proc/uptime", "123456.78 1.00\n").ok());
  startAgent();  // --system-root <root>/sysroot
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForSocket()) << log();
  const RunResult get = ctl({"--json", "get", "Device.DeviceInfo.UpTime"});
  ASSERT_EQ(get.code, 0) << get.err;
  const std::string prefix = "{\"Device.DeviceInfo.UpTime\":\"";
  ASSERT_EQ(get.out.rfind(prefix, 0), 0u) << get.out;
  const long uptime = std::atol(get.out.c_str() + prefix.size());
  EXPECT_GE(uptime, 123456);
  EXPECT_LT(uptime, 123456 + 600);
}

TEST_F(DaemonProcess, ApplyCommandRunsWithTheChangedLine) {
  const std::string marker = environment().root() + "/applied";
  const std::string script = environment().root() + "/apply.sh";
  ASSERT_TRUE(writeFileAtomic(script, "#!/bin/sh\necho \"$@\" >> " + marker + "\n", 0700).ok());
  startAgent({"--apply-command", script});
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  const RunResult set =
      ctl({"set", "Device.Services.VoiceService.1.VoiceProfile.2.SIP.ProxyServer", "pbx2"});
  ASSERT_EQ(set.code, 0) << set.err;
  ASSERT_TRUE(waitFor([&] { return fs::exists(marker); }, 20s)) << log();
  EXPECT_EQ(slurp(marker), "2\n");
}

TEST_F(DaemonProcess, RebootCommandRunsAfterTheRebootRpc) {
  const std::string marker = environment().root() + "/rebooted";
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(simpleRequest("Reboot").with("CommandKey", "r1")));
  scenario.sessions.push_back(first);
  acs().setScenario(scenario);
  startAgent({"--reboot-command", "touch " + marker});
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  ASSERT_TRUE(waitFor([&] { return fs::exists(marker); }, 20s)) << log();
  // With a reboot command the daemon leaves the restart to the system: it exits 0.
  const auto exit = agent().waitExit(10s);
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(exit->exited);
  EXPECT_EQ(exit->code, 0);
}

TEST_F(DaemonProcess, FirmwareCommandGetsTheDownloadedImage) {
  FileServer files;
  ASSERT_TRUE(files.start(FileServerOptions{}).ok());
  const std::string image = "AASTRA-FIRMWARE-IMAGE-6757i-3.3.1.5000";
  files.addFile("fw.st", image);
  const std::string installed = environment().root() + "/installed.st";
  const std::string script = environment().root() + "/firmware.sh";
  ASSERT_TRUE(writeFileAtomic(script, "#!/bin/sh\ncat \"$1\" > " + installed + "\n", 0700).ok());
  Scenario scenario;
  SessionScript first;
  first.steps.push_back(Step::rpc(simpleRequest("Download")
                                      .with("CommandKey", "fw-1")
                                      .with("URL", files.url("fw.st"))
                                      .with("FileSize", std::to_string(image.size()))));
  scenario.sessions.push_back(first);
  SessionScript after;  // the daemon re-executes itself after the install (no reboot command)
  after.expectEvents.push_back({"1 BOOT", std::nullopt});
  after.expectEvents.push_back({"7 TRANSFER COMPLETE", std::nullopt});
  after.expectEvents.push_back({"M Download", std::string("fw-1")});
  scenario.sessions.push_back(after);
  acs().setScenario(scenario);
  startAgent({"--firmware-command", script});
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 40s)) << log();
  EXPECT_EQ(slurp(installed), image);
  const auto tc = acs().sessions()[1].transferCompletes;
  ASSERT_EQ(tc.size(), 1u);
  EXPECT_EQ(tc[0].commandKey, "fw-1");
  EXPECT_EQ(tc[0].faultCode, 0u);
  expectNoAcsFailures();
}

TEST_F(DaemonProcess, SighupReloadsTrAndSipKeys) {
  config().connectionRequestPort = findFreeTcpPort();  // the rewritten aastra.cfg keeps it
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  const std::string proxy = "Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer";
  const RunResult before =
      ctl({"--json", "get", "Device.ManagementServer.PeriodicInformEnable", proxy});
  ASSERT_EQ(before.code, 0) << before.err;
  EXPECT_NE(before.out.find("\"Device.ManagementServer.PeriodicInformEnable\":\"false\""),
            std::string::npos)
      << before.out;
  config().extraLines = {"tr69 periodic inform enable: 1", "tr69 periodic inform interval: 2",
                         "sip line1 proxy ip: reloaded.example"};
  ASSERT_TRUE(environment().writeConfig(config()).ok());
  ASSERT_TRUE(agent().signal(SIGHUP));
  ASSERT_TRUE(waitFor(
      [&] {
        return ctl({"get", proxy}).out.find("reloaded.example") != std::string::npos;
      },
      20s))
      << log();
  const RunResult after = ctl({"get", "Device.ManagementServer.PeriodicInformInterval"});
  EXPECT_NE(after.out.find("Device.ManagementServer.PeriodicInformInterval: 2"), std::string::npos)
      << after.out;
  // The reloaded periodic settings take effect: periodic Informs follow.
  EXPECT_TRUE(acs().waitForInformWithEvent("2 PERIODIC", 30s));
  EXPECT_TRUE(agent().running());
  expectNoAcsFailures();
}

TEST_F(DaemonProcess, SigtermDuringASessionPersistsStateAndRemovesThePidFile) {
  Scenario scenario;
  SessionScript slow;
  slow.informDelayMs = 4000;  // SIGTERM arrives while the Inform waits for its response
  scenario.sessions.push_back(slow);
  SessionScript after;
  after.expectEvents.push_back({"0 BOOTSTRAP", std::nullopt});
  after.expectEvents.push_back({"1 BOOT", std::nullopt});
  scenario.sessions.push_back(after);
  acs().setScenario(scenario);
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForPosts(1, 20s));
  const auto exit = stopAgent(10s);
  EXPECT_FALSE(exit.killed) << "tr69d did not end on SIGTERM during a session";
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0);
  EXPECT_FALSE(fs::exists(environment().stateDir() + "/tr69d.pid"));
  EXPECT_FALSE(fs::exists(environment().stateDir() + "/tr69d.sock"));
  EXPECT_NE(log().find("stopping"), std::string::npos);
  // The unfinished BOOTSTRAP was persisted: the next start delivers it.
  startAgent();
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));
  const auto sessions = acs().sessions();
  ASSERT_GE(sessions.size(), 2u);
  EXPECT_TRUE(sessions.back().inform.hasEvent("0 BOOTSTRAP"));
}

TEST_F(DaemonProcess, CtlStatusGetSetInformAgainstTheDaemon) {
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 30s));

  const RunResult status = ctl({"status"});
  ASSERT_EQ(status.code, 0) << status.err;
  for (const char* line : {"acs-url:", "model:", "mac:", "session-active:", "last-session:",
                           "retry-count:", "next-periodic-inform:", "pending-events:",
                           "queued-transfers:", "connection-request-url:"}) {
    EXPECT_NE(status.out.find(line), std::string::npos) << line << "\n" << status.out;
  }
  EXPECT_NE(status.out.find("last-session:"), std::string::npos);
  EXPECT_NE(status.out.find("succeeded"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find(identity().model), std::string::npos);
  EXPECT_EQ(status.out.find(config().acsPassword), std::string::npos);

  const RunResult statusJson = ctl({"--json", "status"});
  ASSERT_EQ(statusJson.code, 0);
  EXPECT_EQ(statusJson.out.rfind("{\"acs-url\":\"" + acs().url(), 0), 0u) << statusJson.out;
  EXPECT_EQ(statusJson.out.back(), '\n');

  const RunResult get = ctl({"get", "Device.DeviceInfo.SerialNumber"});
  ASSERT_EQ(get.code, 0) << get.err;
  EXPECT_EQ(get.out, "Device.DeviceInfo.SerialNumber: " + identity().serial + "\n");
  const RunResult getJson = ctl({"--json", "get", "Device.DeviceInfo.SerialNumber"});
  EXPECT_EQ(getJson.out, "{\"Device.DeviceInfo.SerialNumber\":\"" + identity().serial + "\"}\n");

  const std::string proxy = "Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer";
  const RunResult set = ctl({"set", proxy, "local.example"});
  ASSERT_EQ(set.code, 0) << set.err;
  EXPECT_EQ(set.out, "status: 0\n");
  EXPECT_EQ(ctl({"get", proxy}).out, proxy + ": local.example\n");
  EXPECT_NE(
      slurp(environment().configDir() + "/local.cfg").find("sip line1 proxy ip: local.example"),
      std::string::npos);

  const RunResult badSet = ctl({"set", "Device.DeviceInfo.SerialNumber", "x"});
  EXPECT_EQ(badSet.code, 1);
  EXPECT_NE(badSet.err.find("tr69ctl: "), std::string::npos);
  const RunResult badGet = ctl({"--json", "get", "Device.NoSuchThing."});
  EXPECT_EQ(badGet.code, 1);
  EXPECT_EQ(badGet.out.rfind("{\"error\":{\"code\":", 0), 0u) << badGet.out;

  const RunResult inform = ctl({"inform"});
  ASSERT_EQ(inform.code, 0) << inform.err;
  EXPECT_EQ(inform.out, "inform: requested\n");
  EXPECT_TRUE(acs().waitForInformWithEvent("6 CONNECTION REQUEST", 30s));
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 30s));
  expectNoAcsFailures();
}

TEST_F(DaemonProcess, CtlWithoutADaemonIsAClearErrorAndExitOne) {
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForSocket()) << log();
  EXPECT_FALSE(stopAgent().killed);
  for (const char* command : {"status", "inform"}) {
    const RunResult run = ctl({command});
    EXPECT_EQ(run.code, 1) << command;
    EXPECT_NE(run.err.find("tr69d is not running"), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
  }
  const RunResult json = ctl({"--json", "get", "Device.DeviceInfo.SerialNumber"});
  EXPECT_EQ(json.code, 1);
  EXPECT_NE(json.out.find("\"message\":\"tr69d is not running"), std::string::npos) << json.out;
}

TEST_F(DaemonProcess, CtlOption125UsesTheIdentityFile) {
  if (AgentTest::agentBinary().empty()) GTEST_SKIP();
  ASSERT_TRUE(environment().writeIdentity(identity()).ok());
  const RunResult run = ctl({"--identity", environment().identityFile(), "--json", "option125"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("\"serial-number\":\"" + identity().serial + "\""), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("\"product-class\":\"" + identity().model + "\""), std::string::npos);
  const RunResult missing = ctl({"--identity", environment().root() + "/none", "option125"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("/none"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace tr69::testacs
