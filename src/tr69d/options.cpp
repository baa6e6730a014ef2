#include "tr69/tr69d/options.h"

#include <arpa/inet.h>

#include <map>
#include <optional>
#include <sstream>

namespace tr69::daemon {
namespace {

Fault bad(const std::string& message) {
  return Fault(FaultCode::kInvalidArguments, message);
}

enum class Flag {
  kConfigDir,
  kStateDir,
  kIdentity,
  kPidFile,
  kControlSocket,
  kLogLevel,
  kApply,
  kReboot,
  kFirmware,
  kListenAddress,
  kSystemRoot,
  kRetryMinimumWait,
  kRetryMultiplier,
  kAcsTimeout,
  kForeground,
  kLogStderr,
  kHelp,
  kVersion
};

struct FlagInfo {
  Flag flag;
  bool takesValue;
};

const std::map<std::string, FlagInfo>& flags() {
  static const std::map<std::string, FlagInfo> table = {
      {"--config-dir", {Flag::kConfigDir, true}},
      {"--state-dir", {Flag::kStateDir, true}},
      {"--identity", {Flag::kIdentity, true}},
      {"--pid-file", {Flag::kPidFile, true}},
      {"--control-socket", {Flag::kControlSocket, true}},
      {"--log-level", {Flag::kLogLevel, true}},
      {"--apply-command", {Flag::kApply, true}},
      {"--reboot-command", {Flag::kReboot, true}},
      {"--firmware-command", {Flag::kFirmware, true}},
      {"--listen-address", {Flag::kListenAddress, true}},
      {"--system-root", {Flag::kSystemRoot, true}},
      {"--retry-minimum-wait", {Flag::kRetryMinimumWait, true}},
      {"--retry-multiplier", {Flag::kRetryMultiplier, true}},
      {"--acs-timeout", {Flag::kAcsTimeout, true}},
      {"--foreground", {Flag::kForeground, false}},
      {"--log-stderr", {Flag::kLogStderr, false}},
      {"--help", {Flag::kHelp, false}},
      {"-h", {Flag::kHelp, false}},
      {"--version", {Flag::kVersion, false}},
  };
  return table;
}

// A decimal number in [low, high], or nullopt.
std::optional<std::uint32_t> numberIn(const std::string& text, std::uint32_t low,
                                      std::uint32_t high) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::uint32_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (value < low || value > high) return std::nullopt;
  return value;
}

Status apply(Options& options, Flag flag, const std::string& value) {
  switch (flag) {
    case Flag::kConfigDir:
      options.configDir = value;
      break;
    case Flag::kStateDir:
      options.stateDir = value;
      break;
    case Flag::kIdentity:
      options.identityFile = value;
      break;
    case Flag::kPidFile:
      options.pidFile = value;
      break;
    case Flag::kControlSocket:
      options.controlSocket = value;
      break;
    case Flag::kLogLevel:
      if (!parseLogLevel(value, options.logLevel)) {
        return bad("--log-level: expected error, warning, info or debug, got '" + value + "'");
      }
      break;
    case Flag::kApply:
      options.applyCommand = value;
      break;
    case Flag::kReboot:
      options.rebootCommand = value;
      break;
    case Flag::kFirmware:
      options.firmwareCommand = value;
      break;
    case Flag::kListenAddress: {
      // Checked here: a bad address found only when the listeners start would leave a daemon
      // running that no connection request can reach.
      unsigned char buffer[sizeof(in6_addr)];
      if (inet_pton(AF_INET, value.c_str(), buffer) != 1 &&
          inet_pton(AF_INET6, value.c_str(), buffer) != 1) {
        return bad("--listen-address: expected a numeric IPv4 or IPv6 address, got '" + value +
                   "'");
      }
      options.listenAddress = value;
      break;
    }
    case Flag::kSystemRoot:
      options.systemRoot = value;
      break;
    case Flag::kRetryMinimumWait: {
      const auto seconds = numberIn(value, 1, 65535);
      if (!seconds)
        return bad("--retry-minimum-wait: expected 1..65535 seconds, got '" + value + "'");
      options.retry.minimumWaitSeconds = *seconds;
      break;
    }
    case Flag::kRetryMultiplier: {
      const auto multiplier = numberIn(value, 1000, 65535);
      if (!multiplier) return bad("--retry-multiplier: expected 1000..65535, got '" + value + "'");
      options.retry.intervalMultiplier = *multiplier;
      break;
    }
    case Flag::kAcsTimeout: {
      const auto seconds = numberIn(value, 1, 3600);
      if (!seconds) return bad("--acs-timeout: expected 1..3600 seconds, got '" + value + "'");
      options.acsTimeout = std::chrono::seconds(*seconds);
      break;
    }
    case Flag::kForeground:
      options.foreground = true;
      break;
    case Flag::kLogStderr:
      options.logToStderr = true;
      break;
    case Flag::kHelp:
      options.showHelp = true;
      break;
    case Flag::kVersion:
      options.showVersion = true;
      break;
  }
  return {};
}

}  // namespace

Result<Options> parseOptions(const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> inlineValue;
    if (const auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name.resize(eq);
    }
    const auto it = flags().find(name);
    if (it == flags().end()) return bad("unknown option '" + args[i] + "' (see --help)");
    std::string value;
    if (it->second.takesValue) {
      if (inlineValue) {
        value = *inlineValue;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return bad(name + " needs a value");
      }
      if (value.empty()) return bad(name + " needs a non-empty value");
    } else if (inlineValue) {
      return bad(name + " takes no value");
    }
    if (Status s = apply(options, it->second.flag, value); !s) return s.fault();
  }
  if (options.foreground) options.logToStderr = true;
  if (options.identityFile.empty()) options.identityFile = options.configDir / "identity";
  if (options.pidFile.empty()) options.pidFile = options.stateDir / "tr69d.pid";
  if (options.controlSocket.empty()) options.controlSocket = options.stateDir / "tr69d.sock";
  return options;
}

std::string usage(const std::string& program) {
  // Built with a stream: GCC 12's -Wrestrict misfires on long operator+ chains (GCC PR105329).
  std::ostringstream out;
  out << "Usage: " << program << " --config-dir DIR --state-dir DIR [options]\n"
      << "TR-069 (CWMP) and TR-111 agent for Aastra SIP phones.\n\n"
      << "  --config-dir DIR        phone configuration: aastra.cfg, <model>.cfg, <mac>.cfg,\n"
      << "                          local.cfg (default " << kDefaultConfigDir << ")\n"
      << "  --state-dir DIR         agent state: events, transfers, attributes (default "
      << kDefaultStateDir << ")\n"
      << "  --identity FILE         model, mac, serial, software/hardware version\n"
      << "                          (default <config-dir>/identity)\n"
      << "  --foreground            stay in the foreground and log to stderr\n"
      << "  --log-level LEVEL       error, warning, info (default) or debug\n"
      << "  --log-stderr            log to stderr instead of syslog\n"
      << "  --apply-command CMD     run after a committed change, with the changed line numbers\n"
      << "  --reboot-command CMD    run to reboot the phone (default: re-execute tr69d)\n"
      << "  --firmware-command CMD  run with the path of a downloaded firmware image\n"
      << "  --listen-address ADDR   connection-request listeners bind here (default 0.0.0.0)\n"
      << "  --system-root DIR       where proc/, sys/, etc/ are read from (default /)\n"
      << "  --retry-minimum-wait S  CWMPRetryMinimumWaitInterval (default 5; 1..65535)\n"
      << "  --retry-multiplier N    CWMPRetryIntervalMultiplier (default 2000; 1000..65535)\n"
      << "  --acs-timeout S         seconds to wait for each ACS response (default 30)\n"
      << "  --pid-file FILE         (default <state-dir>/tr69d.pid)\n"
      << "  --control-socket FILE   tr69ctl socket (default <state-dir>/tr69d.sock)\n"
      << "  --help, --version\n";
  return out.str();
}

}  // namespace tr69::daemon
