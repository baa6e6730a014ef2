#include "tr69/tr69d/agent.h"

#include <malloc.h>

#include <csignal>
#include <filesystem>
#include <sstream>

#include "tr69/base/event_loop.h"
#include "tr69/base/file_util.h"
#include "tr69/config/config_file.h"
#include "tr69/config/config_store.h"
#include "tr69/config/tr69_settings.h"
#include "tr69/connreq/service.h"
#include "tr69/cwmp/rpc_handler.h"
#include "tr69/datamodel/descriptor.h"
#include "tr69/datamodel/dm.h"
#include "tr69/model/tree.h"
#include "tr69/phone/agent_values.h"
#include "tr69/phone/identity.h"
#include "tr69/phone/live_system.h"
#include "tr69/phone/phone_storage.h"
#include "tr69/session/engine.h"
#include "tr69/session/parameter_rpcs.h"
#include "tr69/session/state_store.h"
#include "tr69/tr69d/action_rpcs.h"
#include "tr69/tr69d/command.h"
#include "tr69/tr69d/control.h"
#include "tr69/tr69d/lifecycle.h"
#include "tr69/transfer/transfer_manager.h"
#include "tr69/transport/acs_connection.h"

namespace tr69::daemon {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// `tr69 trusted certificates` / `tr69 private key` name files on the configuration server; the
// phone's provisioning fetches them next to the config files. [INFERRED] tr69d uses them when
// they name a readable local file, absolute or relative to the config directory.
std::string localFile(const fs::path& configDir, const std::string& name) {
  if (name.empty()) return {};
  fs::path path(name);
  if (path.is_relative()) path = configDir / path.filename();
  std::error_code ec;
  return fs::is_regular_file(path, ec) ? path.string() : std::string();
}

// How often the phone's address is re-read (below --system-root) to keep ConnectionRequestURL and
// the UDP connection-request address current. [INFERRED] The phone's network scripts give no
// change signal we know of; polling a small file is cheap. Also re-read before every session.
constexpr auto kAddressPollInterval = std::chrono::seconds(5);

session::EventCode mEventOf(transfer::TransferKind kind) {
  switch (kind) {
    case transfer::TransferKind::kUpload:
      return session::EventCode::kMUpload;
    case transfer::TransferKind::kScheduleDownload:
      return session::EventCode::kMScheduleDownload;
    case transfer::TransferKind::kDownload:
      break;
  }
  return session::EventCode::kMDownload;
}

}  // namespace

class Agent::Impl final : public connreq::ConnectionRequestSink, public transfer::DeviceActions {
 public:
  Impl(const Options& options, const Logger& log, phone::Identity identity, SignalFd signals)
      : options_(options),
        log_(log),
        identity_(std::move(identity)),
        signals_(std::move(signals)),
        config_({options.configDir, identity_.model, identity_.mac}, log),
        system_(options.systemRoot),
        phone_(datamodel::aastraModel(), identity_, config_, system_, agentValues_,
               {options.stateDir / "stored.xml",
                phone::ApplyCommand::fromString(options.applyCommand)},
               log),
        tree_(datamodel::aastraModel(), phone_, phone_.lineCount()),
        store_(options.stateDir, log),
        http_(loop_, log),
        transfers_(loop_, log, *this, transferOptions(), transferEvents()),
        // local.cfg is written when a SetParameterValues commits: ParameterKey and attributes
        // go to the journal at the same moment, so a crash before the session ends leaves the
        // two consistent.
        parameters_(tree_,
                    [this] {
                      committed_ = true;
                      (void)engine_.persist();
                    }),
        engine_(loop_, log, tree_, handler_, http_, store_, engineHooks(), engineOptions()),
        actions_(engine_, transfers_),
        handler_(parameters_, actions_),
        connreq_(loop_, log, *this, options.stateDir, connreqCallbacks()) {}

  Status start() {
    loop_.watchFd(signals_.fd(), EventLoop::kReadable, [this](std::uint32_t) { onSignal(); });
    auto server = ControlServer::start(loop_, log_, options_.controlSocket,
                                       [this](const ControlFields& f) { return control(f); });
    if (!server) return server.fault();
    control_ = std::move(server).value();
    if (Status s = engine_.start(); !s) return s;
    // Results still in transfers.xml: not yet handed over, or handed over just before a crash
    // (onTransferResult tells the two apart by id).
    for (const auto& result : transfers_.pendingResults())
      onTransferResult(result);
    applyConnectionRequestSettings();
    pollAddress();
    return {};
  }

  ExitReason run() {
    while (!exit_)
      loop_.runOnce(60s);
    return *exit_;
  }

  // ---- connreq::ConnectionRequestSink ----
  void onConnectionRequest(connreq::ConnectionRequestSource) override {
    engine_.connectionRequest();
  }

  // ---- transfer::DeviceActions ----
  Status installFirmware(const fs::path& image) override {
    if (options_.firmwareCommand.empty()) {
      return Fault(FaultCode::kTransferFailure, "no --firmware-command configured");
    }
    return runCommand(options_.firmwareCommand + " '" + image.string() + "'");
  }
  Status applyConfigFile(const std::string& content) override {
    Status s = writeFileAtomic(config_.pathOf(config::ConfigLayer::kLocal), content,
                               config::kLocalConfigMode);
    if (!s) return s;
    reloadConfiguration(/*writtenByAgent=*/true);
    return phone_.applyPending();
  }
  Result<std::string> configBackup() override {
    auto content = readFile(config_.pathOf(config::ConfigLayer::kLocal));
    if (!content && content.fault().message.rfind("not found", 0) == 0) return std::string();
    return content;
  }
  Result<std::string> logFile() override {
    std::ostringstream out;
    out << "tr69d log for " << identity_.model << " " << identity_.mac << "\n";
    if (const auto& last = engine_.lastSession()) {
      out << "last session: "
          << (last->outcome == session::SessionOutcome::kSucceeded ? "succeeded" : "failed")
          << (last->reason.empty() ? "" : ": " + last->reason) << "\n";
    }
    return out.str();
  }
  std::string deviceMac() override { return identity_.mac; }

 private:
  transfer::TransferOptions transferOptions() const {
    transfer::TransferOptions o;
    o.stateDir = options_.stateDir;
    // [INFERRED] The guide names `tr69 trusted certificates` for HTTPS to the ACS only; file
    // servers named by the ACS are trusted the same way (the operator's PKI), and verified always.
    o.trustedCertificates = [this] { return trustedCertificatesFile(); };
    return o;
  }
  transfer::TransferManager::Events transferEvents() {
    return {[this](const transfer::TransferResult& r) { onTransferResult(r); },
            [this] { onFirmwareReady(); }};
  }
  // A session in progress installs the image when it ends (onSessionEnded); with none running
  // the install must not wait for the next session, which may be a periodic inform hours away.
  void onFirmwareReady() {
    if (engine_.sessionActive()) {
      log_.info("firmware downloaded; installing after this session");
      return;
    }
    loop_.post([this] {
      if (!engine_.sessionActive() && transfers_.firmwareReady()) installFirmwareAndReboot();
    });
  }
  void installFirmwareAndReboot() {
    if (Status s = transfers_.installPendingFirmware(); s) {
      reboot("firmware installed");
    } else {
      log_.error("firmware install failed: ", s.fault().message);
    }
  }
  // Moves a result from transfers.xml into the session journal, which owns it from then on
  // until the TransferCompleteResponse. Journal first, then transfers.xml: a crash in between
  // leaves the result in both, and the id check here keeps it from being handed over twice
  // (which would send a second TransferComplete after the ACS had acknowledged the first).
  void onTransferResult(const transfer::TransferResult& r) {
    const auto& journal = engine_.state().transferResults;
    const bool handedOver =
        std::any_of(journal.begin(), journal.end(),
                    [&](const session::TransferResult& j) { return j.transferId == r.id; });
    if (!handedOver) {
      engine_.transferCompleted(
          mEventOf(r.kind), {r.commandKey, static_cast<std::uint32_t>(r.faultCode), r.faultString,
                             r.startTime, r.completeTime, r.id});
      if (Status s = engine_.persist(); !s) return;  // stays in transfers.xml for the next start
    }
    transfers_.acknowledgeResult(r.id);
  }

  session::EngineOptions engineOptions() const {
    session::EngineOptions o;
    o.retry = options_.retry;
    return o;
  }

  session::EngineHooks engineHooks() {
    session::EngineHooks hooks;
    hooks.connectionSettings = [this] { return connectionSettings(); };
    hooks.sessionStarted = [this] {
      connreq_.gate().sessionStarted();
      refreshLocalAddress();  // the Inform reports the current ConnectionRequestURL
    };
    hooks.informSent = [this] { connreq_.gate().informSent(); };
    hooks.sessionEnded = [this](const session::SessionReport&) { onSessionEnded(); };
    return hooks;
  }

  connreq::ConnectionRequestService::Callbacks connreqCallbacks() {
    connreq::ConnectionRequestService::Callbacks callbacks;
    callbacks.connectionRequestUrlChanged = [this](const std::string& url) {
      agentValues_.set("connection-request-url", url);
      tree_.recordChange("Device.ManagementServer.ConnectionRequestURL", model::ChangeCause::kLive);
    };
    callbacks.udpAddressChanged = [this](const connreq::StunStatus& status) {
      // STUN switched off (or lost its binding): back to the local address and port.
      agentValues_.set("udp-connection-request-address",
                       status.udpConnectionRequestAddress.empty()
                           ? connreq_.udpConnectionRequestAddress()
                           : status.udpConnectionRequestAddress);
      agentValues_.set("nat-detected", status.natDetected ? "true" : "false");
    };
    return callbacks;
  }

  std::string trustedCertificatesFile() const {
    const auto settings = config::Tr69Settings::fromSnapshot(config_.snapshot(), log_);
    return localFile(options_.configDir, settings.trustedCertificates);
  }

  transport::ConnectionSettings connectionSettings() {
    transport::ConnectionSettings s;
    auto text = [this](datamodel::ParamHandle<std::string, 0> h) {
      auto v = tree_.get(h);
      return v ? *v : std::string();
    };
    s.url = text(dm::ManagementServer::URL);
    s.username = text(dm::ManagementServer::Username);
    s.password = text(dm::ManagementServer::Password);
    const auto settings = config::Tr69Settings::fromSnapshot(config_.snapshot(), log_);
    s.tls.caFile = localFile(options_.configDir, settings.trustedCertificates);
    s.tls.clientKeyFile = localFile(options_.configDir, settings.privateKey);
    s.tls.verifyServer = settings.serverAuthenticationRequired;
    s.requestTimeout = options_.acsTimeout;
    return s;
  }

  void applyConnectionRequestSettings() {
    const auto settings = config::Tr69Settings::fromSnapshot(config_.snapshot(), log_);
    connreq::ConnectionRequestSettings cr;
    cr.bindAddress = options_.listenAddress;
    cr.httpPort = settings.connectionRequestPort;
    cr.path = settings.connectionRequestUrlPath();
    auto text = [this](datamodel::ParamHandle<std::string, 0> h) {
      auto v = tree_.get(h);
      return v ? *v : std::string();
    };
    cr.username = text(dm::ManagementServer::ConnectionRequestUsername);
    cr.password = text(dm::ManagementServer::ConnectionRequestPassword);
    cr.stun.enable = tree_.get(dm::ManagementServer::STUNEnable).ok() &&
                     *tree_.get(dm::ManagementServer::STUNEnable);
    cr.stun.serverAddress = text(dm::ManagementServer::STUNServerAddress);
    if (auto port = tree_.get(dm::ManagementServer::STUNServerPort)) {
      cr.stun.serverPort = static_cast<std::uint16_t>(*port);
    }
    cr.stun.username = text(dm::ManagementServer::STUNUsername);
    cr.stun.password = text(dm::ManagementServer::STUNPassword);
    if (auto v = tree_.get(dm::ManagementServer::STUNMaximumKeepAlivePeriod)) {
      cr.stun.maximumKeepAlivePeriod = *v;
    }
    if (auto v = tree_.get(dm::ManagementServer::STUNMinimumKeepAlivePeriod)) {
      cr.stun.minimumKeepAlivePeriod = *v;
    }
    if (auto v = tree_.get(dm::ManagementServer::UDPConnectionRequestAddressNotificationLimit)) {
      cr.stun.notificationLimit = *v;
    }
    if (auto parts = config::parseAcsUrl(text(dm::ManagementServer::URL))) {
      cr.stun.acsHost = parts->host;
    }
    stunEnabled_ = cr.stun.enable;
    if (Status s = connreq_.apply(cr); !s) {
      log_.error("connection requests: ", s.fault().message);
    }
    refreshLocalAddress();
  }

  // Re-reads the phone's address: ConnectionRequestURL follows it (and STUN rediscovers the
  // binding); without STUN, UDPConnectionRequestAddress is the local address and UDP port (with
  // STUN, the STUN client reports it, spaced by the notification limit).
  void refreshLocalAddress() {
    connreq_.setLocalAddress(system_.network().ipAddress);
    if (!stunEnabled_) {
      agentValues_.set("udp-connection-request-address", connreq_.udpConnectionRequestAddress());
      agentValues_.set("nat-detected", "false");
    }
  }

  void pollAddress() {
    loop_.addTimer(kAddressPollInterval, [this] {
      refreshLocalAddress();
      pollAddress();
    });
  }

  void onSessionEnded() {
    // A session (a whole-tree GetParameterValues above all) leaves freed heap behind that glibc
    // keeps; the agent then idles for hours, so give it back (bench/footprint.sh measures this).
    // The engine frees the ended session (its connection and codec) in a task it posted before
    // calling this hook, so a task posted now runs after that.
    loop_.post([] { malloc_trim(0); });
    connreq_.gate().sessionEnded();
    phone::recordLocalChanges(tree_, phone_.takeLocalChanges());
    if (committed_) {
      committed_ = false;
      if (Status s = phone_.applyPending(); !s) log_.warning("apply: ", s.fault().message);
      // An ACS change of the tr69 settings takes effect at once (periodic inform, CR listener).
      engine_.periodicSettingsChanged();
      applyConnectionRequestSettings();
    }
    switch (actions_.takeDeferredAction()) {
      case DeferredAction::kNone:
        break;
      case DeferredAction::kReboot:
        reboot("Reboot RPC");
        return;
      case DeferredAction::kFactoryReset:
        factoryReset();
        return;
    }
    if (transfers_.firmwareReady()) installFirmwareAndReboot();
  }

  void factoryReset() {
    log_.warning("factory reset: clearing local.cfg and the agent state");
    std::error_code ec;
    fs::remove(config_.pathOf(config::ConfigLayer::kLocal), ec);
    fs::remove(options_.stateDir / "stored.xml", ec);
    transfers_.factoryReset();
    if (Status s = engine_.resetState(); !s) log_.error("factory reset: ", s.fault().message);
    reboot("factory reset");
  }

  void reboot(const std::string& why) {
    (void)engine_.persist();
    if (!options_.rebootCommand.empty()) {
      log_.info("rebooting (", why, "): running the reboot command");
      if (Status s = runCommand(options_.rebootCommand); !s) {
        log_.error("reboot command failed: ", s.fault().message);
      }
    } else {
      log_.info("rebooting (", why, "): restarting tr69d");
    }
    exit_ = ExitReason::kReboot;
    loop_.stop();
  }

  // Operator-configured commands (not ACS data) run through the shell like init scripts do,
  // with the signals the daemon blocks for its signalfd unblocked again.
  Status runCommand(const std::string& command) { return runShellCommand(command); }

  // writtenByAgent: the agent wrote the file (a downloaded configuration), so the changed SIP
  // lines are applied too; a SIGHUP reload only reports the changes.
  void reloadConfiguration(bool writtenByAgent = false) {
    const auto changed = writtenByAgent ? phone_.reloadWrittenConfig() : phone_.reloadConfig();
    for (const auto& name : changed) {
      tree_.recordChange(name, model::ChangeCause::kLocalConfig);
    }
    engine_.periodicSettingsChanged();
    applyConnectionRequestSettings();
    engine_.checkValueChanges();
  }

  void onSignal() {
    for (int sig = signals_.read(); sig != 0; sig = signals_.read()) {
      if (sig == SIGHUP) {
        log_.info("SIGHUP: reloading the configuration");
        reloadConfiguration();
      } else {
        log_.info("signal ", sig, ": stopping");
        (void)engine_.persist();
        exit_ = ExitReason::kTerminated;
        loop_.stop();
      }
    }
  }

  Result<ControlReply> control(const ControlFields& request);

  Options options_;
  const Logger& log_;
  phone::Identity identity_;
  SignalFd signals_;
  EventLoop loop_;
  config::ConfigStore config_;
  phone::HostSystem system_;
  phone::AgentValues agentValues_;
  phone::PhoneStorage phone_;
  model::Tree tree_;
  session::StateStore store_;
  transport::HttpClient http_;
  transfer::TransferManager transfers_;
  session::ModelParameterRpcs parameters_;
  session::Engine engine_;
  DeviceActionRpcs actions_;
  cwmp::CombinedRpcHandler handler_;
  connreq::ConnectionRequestService connreq_;
  std::unique_ptr<ControlServer> control_;
  bool committed_ = false;
  bool stunEnabled_ = false;
  std::optional<ExitReason> exit_;

  friend class Agent;
};

Result<ControlReply> Agent::Impl::control(const ControlFields& request) {
  const std::string& command = request[0];
  if (command == "status") {
    ControlReply reply;
    const auto settings = connectionSettings();
    reply.emplace_back("acs-url", transport::redactUrl(settings.url));
    reply.emplace_back("model", identity_.model);
    reply.emplace_back("mac", identity_.mac);
    reply.emplace_back("session-active", engine_.sessionActive() ? "yes" : "no");
    if (const auto& last = engine_.lastSession()) {
      reply.emplace_back("last-session", last->outcome == session::SessionOutcome::kSucceeded
                                             ? "succeeded"
                                             : "failed: " + last->reason);
    } else {
      reply.emplace_back("last-session", "none");
    }
    reply.emplace_back("retry-count", std::to_string(engine_.retryCount()));
    if (auto next = engine_.nextPeriodicInform()) {
      const auto secs = std::chrono::duration_cast<std::chrono::seconds>(
          *next - std::chrono::system_clock::now());
      reply.emplace_back("next-periodic-inform", "in " + std::to_string(secs.count()) + " s");
    } else {
      reply.emplace_back("next-periodic-inform", "disabled");
    }
    std::string events;
    for (const auto& e : engine_.pendingEvents()) {
      events += (events.empty() ? "" : ", ") + std::string(session::wireName(e.code));
    }
    reply.emplace_back("pending-events", events);
    std::string transfers;
    for (const auto& t : transfers_.allQueued()) {
      transfers += (transfers.empty() ? "" : ", ") + t.commandKey + " (" + t.fileType + ")";
    }
    reply.emplace_back("queued-transfers", transfers);
    reply.emplace_back("pending-transfer-results",
                       std::to_string(engine_.state().transferResults.size()));
    reply.emplace_back("connection-request-url", connreq_.connectionRequestUrl());
    return reply;
  }
  if (command == "get" && request.size() >= 2) {
    std::vector<std::string> names(request.begin() + 1, request.end());
    auto values = tree_.getValues(names);
    if (!values) return values.fault();
    ControlReply reply;
    for (const auto& v : *values)
      reply.emplace_back(v.name, v.value);
    return reply;
  }
  if (command == "set" && request.size() >= 3 && request.size() % 2 == 1) {
    std::vector<model::SetRequest> sets;
    for (std::size_t i = 1; i + 1 < request.size(); i += 2) {
      sets.push_back({request[i], request[i + 1], std::nullopt});
    }
    auto outcome = tree_.setValues(sets, model::ChangeCause::kLocalConfig);
    if (!outcome.ok()) {
      std::string message = outcome.fault.message;
      for (const auto& pf : outcome.parameterFaults) {
        message += "; " + pf.name + ": " + std::to_string(static_cast<unsigned>(pf.code)) + " " +
                   pf.message;
      }
      return Fault(outcome.fault.code, message);
    }
    if (Status s = phone_.applyPending(); !s) log_.warning("apply: ", s.fault().message);
    // A local change of the tr69 settings takes effect at once, as after an ACS change.
    engine_.periodicSettingsChanged();
    applyConnectionRequestSettings();
    engine_.checkValueChanges();
    return ControlReply{{"status", std::to_string(outcome.status)}};
  }
  if (command == "inform") {
    // A local request for a session: it travels as a connection request would.
    engine_.connectionRequest();
    return ControlReply{{"inform", "requested"}};
  }
  return Fault(FaultCode::kInvalidArguments, "unknown control request '" + command + "'");
}

Agent::Agent(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Agent::~Agent() = default;

Result<std::unique_ptr<Agent>> Agent::create(const Options& options, const Logger& log) {
  auto identity = phone::Identity::load(options.identityFile, log);
  if (!identity) return identity.fault();
  auto signals = SignalFd::open({SIGTERM, SIGINT, SIGHUP});
  if (!signals) return signals.fault();
  auto impl =
      std::make_unique<Impl>(options, log, std::move(identity).value(), std::move(signals).value());
  if (Status s = impl->start(); !s) return s.fault();
  return std::unique_ptr<Agent>(new Agent(std::move(impl)));
}

ExitReason Agent::run() {
  return impl_->run();
}

}  // namespace tr69::daemon
