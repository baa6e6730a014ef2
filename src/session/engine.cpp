#include "tr69/session/engine.h"

#include <algorithm>
#include <ctime>
#include <set>
#include <variant>

#include "tr69/base/crypto.h"
#include "tr69/datamodel/dm.h"
#include "tr69/datamodel/value.h"

namespace tr69::session {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::vector<std::string> eventNames(const std::vector<Event>& events) {
  std::vector<std::string> names;
  for (const auto& e : events) {
    names.push_back(std::string(wireName(e.code)) +
                    (e.commandKey.empty() ? "" : " (" + e.commandKey + ")"));
  }
  return names;
}

std::string describe(const cwmp::AcsFault& fault) {
  return "ACS fault " + std::to_string(fault.cwmpCode) + " (" + fault.cwmpMessage + ")";
}

}  // namespace

struct Engine::Session {
  explicit Session(const cwmp::DecodeLimits& limits) : codec(limits) {}

  // Per session, not per engine: between sessions the gSOAP context (a 160 KiB struct soap) and
  // the last message's serializer data would otherwise stay on the heap for hours.
  cwmp::Codec codec;
  std::unique_ptr<transport::AcsConnection> connection;
  Phase phase = Phase::kInform;
  std::string acsUrl;  // the configured URL this session started with
  cwmp::CwmpVersion version = cwmp::CwmpVersion::k1_2;
  bool holdRequests = false;
  // An empty POST went out only because HoldRequests forbade the CPE's pending requests: they
  // are still due in this session once the ACS lifts the hold (cwmp.md 1.6, condition 2).
  bool requestsHeld = false;
  std::vector<Event> informEvents;
  std::string requestBody;  // the CPE request in flight, resent on fault 8005
  unsigned retryRequests = 0;
  std::size_t transferIndex = 0;  // state_.transferResults entry of the TransferComplete in flight
  // CommandKeys of the transfer M events this session's Inform carried and whose TransferComplete
  // has not been sent in it yet.
  std::vector<std::string> announcedTransfers;
};

Engine::Engine(EventLoop& loop, const Logger& log, model::Tree& tree, cwmp::RpcHandler& handler,
               transport::HttpClient& http, StateStore& store, EngineHooks hooks,
               EngineOptions options, UniformRandom random)
    : loop_(loop),
      log_(log),
      tree_(tree),
      handler_(handler),
      http_(http),
      store_(store),
      hooks_(std::move(hooks)),
      options_(options),
      random_(std::move(random)),
      periodicAnchor_(std::chrono::system_clock::now()) {}

Engine::~Engine() {
  for (auto id : scheduledInforms_)
    loop_.cancelTimer(id);
  if (sessionTimer_) loop_.cancelTimer(*sessionTimer_);
  if (periodicTimer_) loop_.cancelTimer(*periodicTimer_);
  if (pollTimer_) loop_.cancelTimer(*pollTimer_);
}

// ---- start-up and persistence --------------------------------------------------------------

Status Engine::start(const std::vector<Event>& bootEvents) {
  auto loaded = store_.load();
  if (!loaded) return loaded.fault();
  state_ = std::move(loaded).value();
  // The back-off table is indexed by the post-reboot retry count (cwmp.md 4.3): a start is a
  // first attempt again, with RetryCount 0.
  state_.retryCount = 0;
  for (const auto& lost : store_.lostSections()) {
    log_.warning("state: section ", lost, " was damaged and is lost");
  }
  for (const auto& unknown : events_.restore(state_.events)) {
    log_.warning("state: dropped unknown event '", unknown.code, "'");
  }
  if (auto it = state_.blobs.find("attributes"); it != state_.blobs.end()) {
    if (Status s = tree_.loadAttributes(it->second); !s) {
      log_.warning("state: parameter attributes not restored: ", s.fault().message);
    }
  }
  if (auto it = state_.blobs.find("baseline"); it != state_.blobs.end()) {
    if (auto b = model::NotificationBaseline::load(it->second)) baseline_ = std::move(*b);
  }
  if (baseline_.values.empty()) {
    if (auto b = tree_.takeBaseline()) baseline_ = std::move(*b);
  }
  (void)tree_.set(dm::ManagementServer::ParameterKey, state_.parameterKey, {},
                  model::ChangeCause::kAcs);

  const std::string url =
      hooks_.connectionSettings ? hooks_.connectionSettings().url : std::string();
  if (needsBootstrap(state_, url)) raise(EventCode::kBootstrap, {});
  raise(EventCode::kBoot, {});
  for (const auto& e : bootEvents)
    raise(e.code, e.commandKey);
  (void)persist();

  periodicAnchor_ = std::chrono::system_clock::now();
  armPeriodic();
  pollTimer_ = loop_.addTimer(options_.valueChangePoll, [this] { pollValueChanges(); });
  requestSession(options_.startDelay);
  return {};
}

Status Engine::persist() {
  state_.events = events_.persistentEvents();
  state_.blobs["attributes"] = tree_.saveAttributes();
  state_.blobs["baseline"] = baseline_.save();
  if (auto key = tree_.get(dm::ManagementServer::ParameterKey)) state_.parameterKey = *key;
  Status s = store_.save(state_);
  if (!s) log_.error("state: cannot save: ", s.fault().message);
  return s;
}

Status Engine::resetState() {
  state_ = PersistentState{};
  events_ = EventQueue{};
  pendingChanges_.clear();
  baseline_ = model::NotificationBaseline{};
  (void)tree_.set(dm::ManagementServer::ParameterKey, std::string(), {}, model::ChangeCause::kAcs);
  return store_.save(state_);
}

// ---- triggers ------------------------------------------------------------------------------

void Engine::raise(EventCode code, const std::string& commandKey) {
  const std::vector<Event> dropped = events_.raise(code, commandKey);
  if (code != EventCode::kBootstrap) return;
  // The ACS will re-provision from scratch: what it has not yet seen is meaningless to it.
  pendingChanges_.clear();
  if (kDiscardTransferEventsOnBootstrap) state_.transferResults.clear();
  for (const auto& e : dropped)
    log_.info("BOOTSTRAP discards ", wireName(e.code));
}

void Engine::trigger(EventCode code, const std::string& commandKey) {
  raise(code, commandKey);
  if (eventRule(code).persistent) (void)persist();
  requestSession(std::chrono::milliseconds(0));
}

void Engine::scheduleInform(std::chrono::seconds delay, const std::string& commandKey) {
  auto id = std::make_shared<EventLoop::TimerId>();
  *id = loop_.addTimer(delay, [this, commandKey, id] {
    std::erase(scheduledInforms_, *id);
    raise(EventCode::kScheduled, {});
    trigger(EventCode::kMScheduleInform, commandKey);
  });
  scheduledInforms_.push_back(*id);
}

void Engine::transferCompleted(EventCode mEvent, const TransferResult& result) {
  state_.transferResults.push_back(result);
  raise(mEvent, result.commandKey);
  trigger(EventCode::kTransferComplete);
}

void Engine::requestSession(std::chrono::milliseconds delay) {
  if (session_) {
    followUp_ = true;
    return;
  }
  if (sessionTimer_) {
    // A new reason to talk ends a retry wait at once (cwmp.md 4.2); retries keep counting.
    if (!retryWaiting_ && loop_.timerPending(*sessionTimer_)) return;
    loop_.cancelTimer(*sessionTimer_);
  }
  retryWaiting_ = false;
  sessionTimer_ = loop_.addTimer(delay, [this] {
    sessionTimer_.reset();
    startSession();
  });
}

// ---- periodic inform and value changes -------------------------------------------------------

void Engine::periodicSettingsChanged() {
  periodicAnchor_ = std::chrono::system_clock::now();
  armPeriodic();
}

void Engine::armPeriodic() {
  if (periodicTimer_) loop_.cancelTimer(*periodicTimer_);
  periodicTimer_.reset();
  nextPeriodic_.reset();
  PeriodicInformSettings settings;
  settings.enable = tree_.get(dm::ManagementServer::PeriodicInformEnable).ok() &&
                    *tree_.get(dm::ManagementServer::PeriodicInformEnable);
  if (auto interval = tree_.get(dm::ManagementServer::PeriodicInformInterval)) {
    settings.intervalSeconds = *interval;
  }
  if (auto time = tree_.get(dm::ManagementServer::PeriodicInformTime)) {
    if (auto parsed = parseInformTime(*time)) settings.time = *parsed;
  }
  const auto now = std::chrono::system_clock::now();
  nextPeriodic_ = session::nextPeriodicInform(settings, now, periodicAnchor_);
  if (!nextPeriodic_) return;
  const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(*nextPeriodic_ - now);
  periodicTimer_ = loop_.addTimer(delay, [this] { onPeriodic(); });
}

void Engine::onPeriodic() {
  periodicTimer_.reset();
  trigger(EventCode::kPeriodic);
  armPeriodic();
}

void Engine::pollValueChanges() {
  pollTimer_ = loop_.addTimer(options_.valueChangePoll, [this] { pollValueChanges(); });
  checkValueChanges();
}

void Engine::checkValueChanges() {
  if (collectValueChanges()) trigger(EventCode::kValueChange);
}

bool Engine::collectValueChanges() {
  auto changes = tree_.collectChanges(baseline_);
  if (!changes) {
    log_.warning("value changes: ", changes.fault().message);
    return false;
  }
  bool active = false;
  for (auto& change : *changes) {
    active = active || change.notification == 2;
    log_.debug("value change (", change.notification == 2 ? "active" : "passive",
               "): ", change.name);
    pendingChanges_[change.name] = std::move(change);
  }
  return active;
}

// ---- the session ---------------------------------------------------------------------------

void Engine::startSession() {
  if (session_) {
    followUp_ = true;
    return;
  }
  transport::ConnectionSettings settings;
  if (hooks_.connectionSettings) settings = hooks_.connectionSettings();
  if (settings.url.empty()) {
    log_.warning("no ACS URL configured (tr69 server): no session");
    return;
  }
  if (needsBootstrap(state_, settings.url) && !events_.contains(EventCode::kBootstrap)) {
    log_.info("ACS URL changed: raising 0 BOOTSTRAP");
    raise(EventCode::kBootstrap, {});
  }
  collectValueChanges();
  if (!pendingChanges_.empty() && !events_.contains(EventCode::kValueChange)) {
    events_.raise(EventCode::kValueChange);
  }
  if (events_.empty()) return;

  followUp_ = false;
  session_ = std::make_unique<Session>(options_.decodeLimits);
  session_->acsUrl = settings.url;
  session_->version = options_.informVersion;
  session_->informEvents = events_.informEvents();
  for (const Event& e : session_->informEvents) {
    if (e.code == EventCode::kMDownload || e.code == EventCode::kMUpload ||
        e.code == EventCode::kMScheduleDownload) {
      session_->announcedTransfers.push_back(e.commandKey);
    }
  }
  if (hooks_.sessionStarted) hooks_.sessionStarted();

  auto inform = buildInform(session_->informEvents);
  if (!inform) {
    fail("cannot build the Inform: " + inform.fault().message);
    return;
  }
  auto connection = http_.openSession(std::move(settings));
  if (!connection) {
    fail(connection.fault().message);
    return;
  }
  session_->connection = std::move(connection).value();
  log_.info(
      "session: Inform [",
      [&] {
        std::string joined;
        for (const auto& n : eventNames(session_->informEvents)) {
          joined += (joined.empty() ? "" : ", ") + n;
        }
        return joined;
      }(),
      "] retry ", state_.retryCount, " to ", transport::redactUrl(session_->acsUrl));
  session_->phase = Phase::kInform;
  post(session_->codec.encodeRequest(*inform, {session_->version, newRequestId()}));
  if (hooks_.informSent) hooks_.informSent();
}

Result<cwmp::Inform> Engine::buildInform(const std::vector<Event>& events) {
  cwmp::Inform inform;
  auto text = [this](datamodel::ParamHandle<std::string, 0> h) {
    auto v = tree_.get(h);
    return v ? *v : std::string();
  };
  inform.deviceId = {text(dm::DeviceInfo::Manufacturer), text(dm::DeviceInfo::ManufacturerOUI),
                     text(dm::DeviceInfo::ProductClass), text(dm::DeviceInfo::SerialNumber)};
  for (const auto& e : events)
    inform.events.push_back({std::string(wireName(e.code)), e.commandKey});
  inform.maxEnvelopes = 1;
  inform.currentTime = currentTime();
  inform.retryCount = state_.retryCount;
  auto forced = tree_.forcedInformValues();
  if (!forced) return forced.fault();
  std::set<std::string> listed;
  for (auto& v : *forced) {
    listed.insert(v.name);
    inform.parameters.push_back(
        {std::move(v.name), std::move(v.value), std::string(datamodel::xsiTypeName(v.type))});
  }
  for (const auto& [name, change] : pendingChanges_) {
    if (listed.count(name)) continue;
    inform.parameters.push_back(
        {name, change.value, std::string(datamodel::xsiTypeName(change.type))});
  }
  return inform;
}

void Engine::post(std::string body) {
  std::weak_ptr<int> alive = alive_;
  session_->connection->post(std::move(body), [this, alive](transport::PostResult result) {
    if (alive.expired() || !session_) return;
    onReply(std::move(result));
  });
}

void Engine::onReply(transport::PostResult result) {
  if (!result.ok()) {
    const auto& failure = result.failure();
    std::string reason =
        std::string(transport::failureKindName(failure.kind)) + ": " + failure.message;
    if (!failure.body.empty()) {
      // An ACS fault may ride on HTTP 500 (cwmp.md 3.1): name it in the reason.
      auto message = session_->codec.decodeAcsMessage(failure.body);
      if (const auto* fault = std::get_if<cwmp::AcsFault>(&message.body)) {
        reason = describe(*fault) + " with HTTP " + std::to_string(failure.httpStatus);
      }
    }
    fail(reason);
    return;
  }
  const std::string& body = result.reply().body;
  switch (session_->phase) {
    case Phase::kInform:
      onInformReply(body);
      break;
    case Phase::kCpeRequests:
      onCpeRequestReply(body);
      break;
    case Phase::kEmptyPost:
    case Phase::kAcsRequests:
      onAcsReply(body);
      break;
  }
}

void Engine::onInformReply(const std::string& body) {
  cwmp::AcsMessage message = session_->codec.decodeAcsMessage(body);
  if (const auto* response = std::get_if<cwmp::AcsResponse>(&message.body);
      response && std::holds_alternative<cwmp::InformResponse>(*response)) {
    if (message.version) session_->version = *message.version;
    session_->holdRequests = message.header.holdRequests;
    const bool bootstrapped =
        std::any_of(session_->informEvents.begin(), session_->informEvents.end(),
                    [](const Event& e) { return e.code == EventCode::kBootstrap; });
    events_.onInformResponse();
    pendingChanges_.clear();
    if (bootstrapped) state_.bootstrappedAcsUrl = session_->acsUrl;
    (void)persist();
    session_->phase = Phase::kCpeRequests;
    sendNextCpeRequest();
    return;
  }
  if (const auto* fault = std::get_if<cwmp::AcsFault>(&message.body)) {
    fail(describe(*fault) + " in reply to the Inform");
  } else if (std::holds_alternative<cwmp::EmptyBody>(message.body)) {
    fail("empty reply to the Inform");
  } else {
    fail("unexpected reply to the Inform");
  }
}

void Engine::sendNextCpeRequest() {
  // A TransferComplete goes only in a session whose Inform announced it (7 TRANSFER COMPLETE and
  // its M event with the CommandKey, cwmp.md 2.4); a result recorded during this session waits
  // for the follow-up session that its own events open.
  std::optional<std::size_t> next;
  if (!session_->holdRequests) {
    for (std::size_t i = 0; i < state_.transferResults.size() && !next; ++i) {
      auto announced =
          std::find(session_->announcedTransfers.begin(), session_->announcedTransfers.end(),
                    state_.transferResults[i].commandKey);
      if (announced == session_->announcedTransfers.end()) continue;
      session_->announcedTransfers.erase(announced);
      next = i;
    }
  }
  if (next) {
    const TransferResult& result = state_.transferResults[*next];
    cwmp::TransferComplete request;
    request.commandKey = result.commandKey;
    request.fault = {result.faultCode, result.faultString};
    request.startTime = result.startTime;
    request.completeTime = result.completeTime;
    session_->transferIndex = *next;
    session_->retryRequests = 0;
    session_->requestBody =
        session_->codec.encodeRequest(request, {session_->version, newRequestId()});
    log_.info("session: TransferComplete '", result.commandKey, "' fault ", result.faultCode);
    post(session_->requestBody);
    return;
  }
  session_->requestsHeld = session_->holdRequests && !state_.transferResults.empty();
  session_->phase = Phase::kEmptyPost;
  post(std::string());
}

void Engine::onCpeRequestReply(const std::string& body) {
  cwmp::AcsMessage message = session_->codec.decodeAcsMessage(body);
  if (const auto* response = std::get_if<cwmp::AcsResponse>(&message.body);
      response && std::holds_alternative<cwmp::TransferCompleteResponse>(*response)) {
    const std::string key = state_.transferResults[session_->transferIndex].commandKey;
    state_.transferResults.erase(state_.transferResults.begin() +
                                 static_cast<std::ptrdiff_t>(session_->transferIndex));
    events_.onTransferCompleteResponse(key);
    (void)persist();
    if (hooks_.transferAcknowledged) hooks_.transferAcknowledged(key);
    session_->holdRequests = message.header.holdRequests;
    sendNextCpeRequest();
    return;
  }
  if (const auto* fault = std::get_if<cwmp::AcsFault>(&message.body)) {
    if (fault->cwmpCode == cwmp::kAcsRetryRequest &&
        ++session_->retryRequests <= options_.maxRetryRequests) {
      log_.info("session: ACS asked to retry the request (8005)");
      post(session_->requestBody);
      return;
    }
    fail(describe(*fault) + " in reply to TransferComplete");
    return;
  }
  fail("unexpected reply to TransferComplete");
}

void Engine::onAcsReply(const std::string& body) {
  cwmp::ServeResult served =
      cwmp::Dispatcher(session_->codec, handler_, session_->version).serve(body);
  const cwmp::AcsMessage& message = served.message;
  std::visit(Overloaded{
                 [&](const cwmp::EmptyBody&) {
                   // An empty answer carries no HoldRequests: held requests may go now.
                   if (session_->requestsHeld && !state_.transferResults.empty()) {
                     session_->holdRequests = false;
                     session_->phase = Phase::kCpeRequests;
                     sendNextCpeRequest();
                     return;
                   }
                   succeed();
                 },
                 [&](const cwmp::AcsFault& fault) { fail(describe(fault)); },
                 [&](const cwmp::AcsResponse&) { fail("unexpected response from the ACS"); },
                 [&](const auto&) {
                   if (!served.reply) {
                     fail("ACS message left unanswered");
                     return;
                   }
                   if (const auto* bad = std::get_if<cwmp::BadMessage>(&message.body)) {
                     log_.warning("session: bad ACS message: ", bad->detail);
                   }
                   session_->holdRequests = message.header.holdRequests;
                   session_->phase = Phase::kAcsRequests;
                   post(std::move(*served.reply));
                 },
             },
             message.body);
}

void Engine::succeed() {
  finish(SessionOutcome::kSucceeded, {});
}

void Engine::fail(const std::string& reason) {
  finish(SessionOutcome::kFailed, reason);
}

void Engine::finish(SessionOutcome outcome, const std::string& reason) {
  // The connection may be the one whose callback is running: release it on the next iteration,
  // in a task posted before the sessionEnded hook runs (so the hook's own posted tasks run after
  // the session's memory is back; the agent trims the heap then).
  std::shared_ptr<Session> ended(std::move(session_));
  loop_.post([ended]() mutable { ended.reset(); });

  SessionReport report;
  report.outcome = outcome;
  report.reason = reason;
  report.events = eventNames(ended->informEvents);
  report.endedAt = std::chrono::system_clock::now();

  bool retry = false;
  if (outcome == SessionOutcome::kSucceeded) {
    events_.onSessionSucceeded();
    state_.retryCount = 0;
    log_.info("session: ended successfully");
  } else {
    retry = events_.onSessionFailed();
    log_.warning("session: failed: ", reason, retry ? "" : " (not retried)");
    if (retry) ++state_.retryCount;
  }
  // A parameter whose notification the ACS turned on in this session joins the baseline with
  // its value now: left to the next poll, a change made meanwhile would become its first
  // baseline value and never be reported. Active changes made during the session follow up.
  if (outcome == SessionOutcome::kSucceeded && collectValueChanges()) followUp_ = true;
  (void)persist();
  lastReport_ = report;
  if (hooks_.sessionEnded) hooks_.sessionEnded(report);
  if (session_) return;  // a hook started the next session already

  if (outcome == SessionOutcome::kFailed && retry && !followUp_) {
    const auto wait = retryWait(state_.retryCount, options_.retry, random_);
    log_.info("session: retry ", state_.retryCount, " in ",
              std::chrono::duration_cast<std::chrono::seconds>(wait).count(), " s");
    if (sessionTimer_) loop_.cancelTimer(*sessionTimer_);
    sessionTimer_ = loop_.addTimer(wait, [this] {
      sessionTimer_.reset();
      retryWaiting_ = false;
      startSession();
    });
    retryWaiting_ = true;
    return;
  }
  if (followUp_ || !events_.empty()) {
    followUp_ = false;
    requestSession(options_.followUpDelay);
  }
}

// ---- helpers -------------------------------------------------------------------------------

std::string Engine::newRequestId() {
  return "tr69d-" + randomHex(8) + "-" + std::to_string(nextId_++);
}

std::string Engine::currentTime() const {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &local);
  std::string text(buf);
  // strftime writes +hhmm; xsd:dateTime wants +hh:mm.
  // (Not text.insert(): GCC 12 -O2 warns -Wrestrict on it, PR105329, breaking Release builds.)
  if (text.size() >= 5) {
    const std::string minutes = text.substr(text.size() - 2);
    text.resize(text.size() - 2);
    text += ':';
    text += minutes;
  }
  return text;
}

}  // namespace tr69::session
