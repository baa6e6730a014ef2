// The CWMP session engine: when to open a session, what to say in it, and how to survive every
// way an ACS, a network or a power cut can fail (cwmp.md 1, 4, 5; conformance checklist 1-25,
// 46-47, 51-72).
//
//        trigger (boot, periodic, CR, value change, ScheduleInform, TransferComplete)
//                                   |
//   Idle --------------------> Inform ---- InformResponse ----> CpeRequests
//    ^  ^                        |                               | TransferComplete* (unless
//    |  |  retry wait (backoff)  | failure                       |  HoldRequests), then empty POST
//    |  +--------- Failed <------+------------<------------------+
//    |                ^                                          v
//    |                +-------- failure (HTTP, SOAP, ACS fault) AcsRequests: serve each request
//    |                                                           | empty ACS response
//    +------------------------------ Succeeded <-----------------+
//
// One session at a time, one HTTP connection per session (transport::AcsConnection), one Inform
// per session and always first. Events follow the table of event_table.h through EventQueue;
// everything that must survive a reboot lives in the StateStore and is saved after each change.
// The engine never blocks: every step is a callback on the EventLoop.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tr69/base/event_loop.h"
#include "tr69/base/log.h"
#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/dispatcher.h"
#include "tr69/model/baseline.h"
#include "tr69/model/tree.h"
#include "tr69/session/event_queue.h"
#include "tr69/session/periodic_schedule.h"
#include "tr69/session/retry_backoff.h"
#include "tr69/session/state_store.h"
#include "tr69/transport/acs_connection.h"

namespace tr69::session {

// How a session ended, for observers, logs and tr69ctl status.
enum class SessionOutcome { kSucceeded, kFailed };

struct SessionReport {
  SessionOutcome outcome = SessionOutcome::kSucceeded;
  std::string reason;  // failure reason, one line, no secrets
  std::vector<std::string> events;
  std::chrono::system_clock::time_point endedAt;
};

// What the engine needs from the rest of the agent; every member may be empty.
struct EngineHooks {
  // The ACS connection settings for a new session (URL, credentials, TLS). Called at each start.
  std::function<transport::ConnectionSettings()> connectionSettings;
  // A session is about to start / its Inform was sent / it ended (connection-request gate).
  std::function<void()> sessionStarted;
  std::function<void()> informSent;
  // Runs after every session, before the next one may start: apply committed configuration,
  // then deferred actions (reboot, factory reset, firmware install).
  std::function<void(const SessionReport&)> sessionEnded;
  // The ACS acknowledged a TransferComplete (TransferCompleteResponse).
  std::function<void(const std::string& commandKey)> transferAcknowledged;
};

struct EngineOptions {
  RetryPolicy retry;                                // CWMPRetry* defaults (not in Device:1)
  std::chrono::milliseconds followUpDelay{1000};    // after a session with new events
  std::chrono::milliseconds valueChangePoll{5000};  // live/active notification polling
  std::chrono::milliseconds startDelay{0};          // first session after start()
  unsigned maxRetryRequests = 10;                   // 8005 resends of one CPE request
  cwmp::CwmpVersion informVersion = cwmp::CwmpVersion::k1_2;
  cwmp::DecodeLimits decodeLimits;
};

class Engine {
 public:
  Engine(EventLoop& loop, const Logger& log, model::Tree& tree, cwmp::RpcHandler& handler,
         transport::HttpClient& http, StateStore& store, EngineHooks hooks,
         EngineOptions options = {}, UniformRandom random = defaultUniformRandom());
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Loads the state journal, restores events, attributes and the notification baseline, raises
  // 0 BOOTSTRAP (first contact or a changed ACS URL) and 1 BOOT (plus `bootEvents`, such as
  // M Reboot with its CommandKey), arms the periodic timer and opens the first session.
  Status start(const std::vector<Event>& bootEvents = {});

  // Raises an event and asks for a session as soon as possible (at once when idle or waiting to
  // retry; after the current session otherwise).
  void trigger(EventCode code, const std::string& commandKey = {});
  // A valid connection request (HTTP or UDP): 6 CONNECTION REQUEST.
  void connectionRequest() { trigger(EventCode::kConnectionRequest); }
  // ScheduleInform: 3 SCHEDULED + M ScheduleInform(commandKey) after `delay`.
  void scheduleInform(std::chrono::seconds delay, const std::string& commandKey);
  // A transfer finished: its result is kept (persisted) until the ACS acknowledges it, and the
  // M event (M Download / M Upload / M ScheduleDownload) plus 7 TRANSFER COMPLETE are raised.
  void transferCompleted(EventCode mEvent, const TransferResult& result);
  // Re-reads the periodic inform parameters (after a local config reload or an ACS change).
  void periodicSettingsChanged();
  // Compares notified parameters with the baseline now; active changes open a session.
  void checkValueChanges();
  // Clears the whole agent state (FactoryReset): the next start sends 0 BOOTSTRAP.
  Status resetState();

  bool sessionActive() const { return session_ != nullptr; }
  const std::optional<SessionReport>& lastSession() const { return lastReport_; }
  std::optional<std::chrono::system_clock::time_point> nextPeriodicInform() const {
    return nextPeriodic_;
  }
  std::vector<Event> pendingEvents() const { return events_.pending(); }
  const PersistentState& state() const { return state_; }
  std::uint32_t retryCount() const { return state_.retryCount; }
  // Saves the journal now (state, attributes, baseline). Errors are logged and returned.
  Status persist();

 private:
  struct Session;
  enum class Phase { kInform, kCpeRequests, kEmptyPost, kAcsRequests };

  void requestSession(std::chrono::milliseconds delay);
  void startSession();
  void post(std::string body);
  void onReply(transport::PostResult result);
  void onInformReply(const std::string& body);
  void sendNextCpeRequest();
  void onCpeRequestReply(const std::string& body);
  void onAcsReply(const std::string& body);
  void succeed();
  void fail(const std::string& reason);
  void finish(SessionOutcome outcome, const std::string& reason);
  void armPeriodic();
  void onPeriodic();
  void pollValueChanges();
  Result<cwmp::Inform> buildInform(const std::vector<Event>& events);
  // Raises without asking for a session; BOOTSTRAP also drops what the ACS no longer needs.
  void raise(EventCode code, const std::string& commandKey);
  // Polls the notified parameters into pendingChanges_; true when an active one changed.
  bool collectValueChanges();
  std::string newRequestId();
  std::string currentTime() const;

  EventLoop& loop_;
  const Logger& log_;
  model::Tree& tree_;
  cwmp::RpcHandler& handler_;
  transport::HttpClient& http_;
  StateStore& store_;
  EngineHooks hooks_;
  EngineOptions options_;
  UniformRandom random_;

  PersistentState state_;
  EventQueue events_;
  model::NotificationBaseline baseline_;
  // Value changes found by polling and not yet delivered: name -> change (latest value wins).
  std::map<std::string, model::ValueChange> pendingChanges_;
  std::unique_ptr<Session> session_;
  std::optional<EventLoop::TimerId> sessionTimer_;
  std::optional<EventLoop::TimerId> periodicTimer_;
  std::optional<EventLoop::TimerId> pollTimer_;
  std::vector<EventLoop::TimerId> scheduledInforms_;
  std::optional<std::chrono::system_clock::time_point> nextPeriodic_;
  std::chrono::system_clock::time_point periodicAnchor_;
  std::optional<SessionReport> lastReport_;
  bool followUp_ = false;
  bool retryWaiting_ = false;
  std::uint64_t nextId_ = 1;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace tr69::session
