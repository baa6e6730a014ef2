#include "acs/agent_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "tr69/base/file_util.h"
#include "tr69/base/unique_fd.h"

namespace tr69::testacs {

namespace {

ProcessExit fromStatus(int status) {
  ProcessExit out;
  if (WIFEXITED(status)) {
    out.exited = true;
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signaled = true;
    out.signal = WTERMSIG(status);
  }
  return out;
}

}  // namespace

TempDirectory::TempDirectory(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDirectory::~TempDirectory() {
  if (path_.empty() || std::getenv("TR69_KEEP_TEST_DIRS") != nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_) stop();
}

Status ChildProcess::start(const std::vector<std::string>& argv, const std::string& outputPath) {
  if (argv.empty()) return Fault(FaultCode::kInvalidArguments, "empty command line");
  if (pid_ > 0 && !exit_) return Fault(FaultCode::kRequestDenied, "process already running");
  UniqueFd output(::open(outputPath.empty() ? "/dev/null" : outputPath.c_str(),
                         O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!output) return Fault(FaultCode::kInternalError, "cannot open " + outputPath);
  std::vector<char*> args;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return Fault(FaultCode::kInternalError, "fork failed");
  if (pid == 0) {
    ::dup2(output.get(), STDOUT_FILENO);
    ::dup2(output.get(), STDERR_FILENO);
    ::execv(args[0], args.data());
    const char message[] = "exec failed\n";
    (void)!::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(127);
  }
  pid_ = pid;
  exit_.reset();
  return {};
}

bool ChildProcess::running() {
  if (pid_ <= 0 || exit_) return false;
  int status = 0;
  const pid_t done = ::waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    exit_ = fromStatus(status);
    return false;
  }
  return done == 0;
}

std::chrono::milliseconds scaledTimeout(std::chrono::milliseconds timeout) {
  const char* text = std::getenv("TR69_TEST_TIMEOUT_SCALE");
  const double scale = text != nullptr ? std::strtod(text, nullptr) : 1.0;
  if (!(scale > 0.0) || scale > 1000.0) return timeout;
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(timeout.count()) * scale));
}

bool pollUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + scaledTimeout(timeout);
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::optional<ProcessExit> ChildProcess::waitExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + scaledTimeout(timeout);
  while (true) {
    if (!running()) return exit_;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool ChildProcess::signal(int number) {
  if (!running()) return false;
  return ::kill(pid_, number) == 0;
}

ProcessExit ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return {};
  if (exit_) return *exit_;
  signal(SIGTERM);
  if (auto ended = waitExit(grace)) return *ended;
  ::kill(pid_, SIGKILL);
  auto ended = waitExit(grace);
  ProcessExit out = ended.value_or(ProcessExit{});
  out.killed = true;
  exit_ = out;
  return out;
}

AgentEnvironment::AgentEnvironment() : root_("tr69d-e2e") {
  if (!root_.valid()) return;
  std::error_code ignored;
  std::filesystem::create_directories(configDir(), ignored);
  std::filesystem::create_directories(stateDir(), ignored);
  // A fake system root: the daemon reads its address, uptime and routes from here, never from
  // the host, and reports 127.0.0.1 in its ConnectionRequestURL.
  std::filesystem::create_directories(systemRoot() + "/run/tr69d", ignored);
  std::filesystem::create_directories(systemRoot() + "/proc", ignored);
  (void)writeFileAtomic(systemRoot() + "/run/tr69d/ipaddress", "127.0.0.1\n");
  (void)writeFileAtomic(systemRoot() + "/proc/uptime", "42.00 10.00\n");
}

Status AgentEnvironment::writeIdentity(const PhoneIdentity& identity) const {
  const std::string text = "model: " + identity.model + "\nmac: " + identity.mac +
                           "\nserial: " + identity.serial +
                           "\nsoftware version: " + identity.softwareVersion +
                           "\nhardware version: " + identity.hardwareVersion + "\n";
  return writeFileAtomic(identityFile(), text);
}

Result<std::uint16_t> AgentEnvironment::writeConfig(const AgentConfig& config) const {
  const std::uint16_t crPort =
      config.connectionRequestPort != 0 ? config.connectionRequestPort : findFreeTcpPort();
  std::string text = "tr69: 1\n";
  text += "tr69 server: " + config.acsUrl + "\n";
  text += "tr69 username: " + config.acsUsername + "\n";
  text += "tr69 password: " + config.acsPassword + "\n";
  text += "tr69 connection request username: " + config.connectionRequestUsername + "\n";
  text += "tr69 connection request password: " + config.connectionRequestPassword + "\n";
  text += "tr69 connection request port: " + std::to_string(crPort) + "\n";
  for (const std::string& line : config.extraLines)
    text += line + "\n";
  if (Status s = writeFileAtomic(configDir() + "/aastra.cfg", text, 0600); !s) return s.fault();
  return crPort;
}

std::vector<std::string> AgentEnvironment::commandLine(
    const std::string& binary, const std::vector<std::string>& extraArgs) const {
  std::vector<std::string> argv = {binary,          "--config-dir",     configDir(),
                                   "--state-dir",   stateDir(),         "--identity",
                                   identityFile(),  "--foreground",     "--log-level",
                                   "debug",         "--listen-address", "127.0.0.1",
                                   "--system-root", systemRoot()};
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  return argv;
}

std::uint16_t findFreeTcpPort() {
  UniqueFd socketFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (!socketFd ||
      ::bind(socketFd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return 0;
  }
  socklen_t length = sizeof address;
  ::getsockname(socketFd.get(), reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

}  // namespace tr69::testacs
