// tr69-test-acs: the project's own scriptable ACS. It serves CWMP over HTTP(S) on loopback,
// follows a Scenario per session, checks every CPE message against the conformance checklist
// (acs/conformance.h), records a transcript, and lets tests wait (bounded) for what it saw.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "acs/conformance.h"
#include "acs/http_auth.h"
#include "acs/http_server.h"
#include "acs/rpc.h"
#include "acs/scenario.h"
#include "acs/transcript.h"

namespace tr69::testacs {

struct AcsOptions {
  HttpServerOptions http;     // loopback address, port (0 = free), optional TLS
  std::string path = "/acs";  // the ManagementServer.URL path
  Scenario scenario;
  std::string transcriptPath;  // also write the transcript here (optional)
};

struct RpcExchange {
  RpcRequest request;
  std::string id;
  RpcResponse response;
};

struct SessionRecord {
  std::size_t index = 0;  // 0-based, in order of accepted Informs
  // When the Inform was accepted and, wall-clock, when (retry gaps C64/C65, periodic phase C63).
  std::chrono::steady_clock::time_point informAt;
  std::chrono::system_clock::time_point informWallClock;
  InformMessage inform;
  std::string cwmpNamespace;
  std::uint64_t connectionId = 0;
  std::vector<std::uint64_t> connectionsSeen;
  std::string cookie;
  std::vector<RpcExchange> exchanges;
  std::vector<TransferCompleteMessage> transferCompletes;
  // Every TransferComplete received, also those answered with a fault (cpe-request-faults).
  std::vector<TransferCompleteMessage> transferCompletesSeen;
  std::vector<std::string> cpeRequests;  // names of CPE requests, in order (with 8005 repeats)
  // Every CPE POST after the Inform, in order: the method name, "" for the empty POST. A message
  // followed by another one was processed by the CPE (it answers one message at a time).
  std::vector<std::string> cpeMessages;
  int authChallenges = 0;  // 401s sent before this Inform was accepted
  int redirectsSent = 0;
  bool completed = false;  // empty POST and empty answer exchanged: a clean end
  std::chrono::steady_clock::time_point completedAt;  // when `completed` became true
  std::string informPath;                             // the path the accepted Inform was POSTed to
  int emptyPosts = 0;                                 // empty POSTs of the CPE in this session
  bool failedOnPurpose = false;
};

class TestAcs {
 public:
  using Clock = std::chrono::steady_clock;

  TestAcs();
  ~TestAcs();
  TestAcs(const TestAcs&) = delete;
  TestAcs& operator=(const TestAcs&) = delete;

  Status start(AcsOptions options);
  void stop();

  std::uint16_t port() const { return server_.port(); }
  // The URL to configure as ManagementServer.URL ("http://127.0.0.1:<port>/acs").
  std::string url() const;

  // Replaces the scenario (sessions already started keep their script).
  void setScenario(Scenario scenario);
  // Appends one session script (used for the next session that has none yet).
  void addSession(SessionScript script);
  // Asked (under the ACS lock, so it must not call back into TestAcs) when the first Inform of
  // session `index` arrives and the scenario has no script for it; a script it returns is used
  // for that session (and kept for its retries), nullopt falls back to the default session.
  using ScriptProvider = std::function<std::optional<SessionScript>(std::size_t index)>;
  void setScriptProvider(ScriptProvider provider);

  // Snapshots; all thread-safe.
  std::vector<SessionRecord> sessions() const;
  std::size_t sessionCount() const;
  std::size_t completedSessionCount() const;
  std::size_t postCount() const;
  // Every conformance violation and every failed expectation, as "session N: C7: ...".
  std::vector<std::string> failures() const;
  std::vector<Violation> violations() const;
  std::string transcript() const { return transcript_->text(); }
  // The transcript itself, so that the file and STUN servers of a test can write into it.
  std::shared_ptr<Transcript> transcriptHandle() const { return transcript_; }

  // Bounded waits: true when the condition held before `timeout` ran out.
  bool waitUntil(const std::function<bool(const std::vector<SessionRecord>&)>& condition,
                 std::chrono::milliseconds timeout) const;
  bool waitForSessions(std::size_t count, std::chrono::milliseconds timeout) const;
  bool waitForCompletedSessions(std::size_t count, std::chrono::milliseconds timeout) const;
  bool waitForInformWithEvent(const std::string& eventCode,
                              std::chrono::milliseconds timeout) const;
  bool waitForPosts(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Active;
  HttpResponse handle(const HttpRequest& request);
  HttpResponse handleInform(const HttpRequest& request, const Envelope& envelope);
  HttpResponse handleInSession(const HttpRequest& request, const std::optional<Envelope>& envelope);
  HttpResponse nextStep(Active& active);
  HttpResponse soapResponse(std::string body) const;
  std::string acsFault(const std::string& ns, const std::string& id, std::uint32_t code) const;
  void addFailure(std::size_t session, const std::string& text);
  void addViolations(std::size_t session, const std::vector<Violation>& found);
  void onConnection(std::uint64_t id, bool opened);

  HttpServer server_;
  AcsOptions options_;
  std::shared_ptr<Transcript> transcript_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<SessionRecord> sessions_;
  std::vector<std::string> failures_;
  std::vector<Violation> violations_;
  std::size_t posts_ = 0;
  std::unique_ptr<Active> active_;
  ScriptProvider scriptProvider_;
  // The attempt in progress before an Inform is accepted (auth, redirects).
  int pendingRedirects_ = 0;
  int pendingChallenges_ = 0;
  std::unique_ptr<HttpAuthenticator> pendingAuth_;
  std::size_t pendingScriptIndex_ = static_cast<std::size_t>(-1);
  std::vector<std::string> oldCookies_;
};

}  // namespace tr69::testacs
