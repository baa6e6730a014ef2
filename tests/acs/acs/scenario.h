// What the test ACS does in each session: the RPCs it sends, what it expects back, and how it
// misbehaves on purpose. Built in C++ by tests, or read from the XML format documented in
// tests/acs/SCENARIO.md (`tr69-test-acs --scenario FILE`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acs/http_auth.h"
#include "acs/rpc.h"
#include "tr69/base/fault.h"

namespace tr69::testacs {

// One step after the CPE said it has no more requests (or answered the previous step).
struct Step {
  enum class Action {
    kRequest,          // send `request`, check the answer against `expect`
    kHttpError,        // answer the CPE's POST with HTTP `httpStatus` (session fails)
    kCloseConnection,  // close the TCP connection without answering (session fails)
  };
  Action action = Action::kRequest;
  RpcRequest request;
  Expectation expect;
  int httpStatus = 500;
  int delayMs = 0;            // wait this long before answering (slow ACS)
  bool holdRequests = false;  // cwmp:HoldRequests=true on this request

  static Step rpc(RpcRequest request, Expectation expect = Expectation::success()) {
    Step step;
    step.request = std::move(request);
    step.expect = std::move(expect);
    return step;
  }
  static Step httpError(int status) {
    Step step;
    step.action = Action::kHttpError;
    step.httpStatus = status;
    return step;
  }
  static Step closeConnection() {
    Step step;
    step.action = Action::kCloseConnection;
    return step;
  }
};

struct ExpectedEvent {
  std::string code;
  std::optional<std::string> commandKey;
};

struct ExpectedParameter {
  std::string name;
  std::optional<std::string> value;
};

struct SessionScript {
  // Authentication of the Inform (later POSTs of the session are tied to it by the cookie).
  AuthMode auth = AuthMode::kNone;
  std::string username = "acs-user";
  std::string password = "acs-secret";
  // The InformResponse sets `Set-Cookie: session=<hex>`; with requireCookie every later POST of
  // the session must carry it (otherwise 400 "Invalid session" and a C17 failure).
  bool requireCookie = true;
  // The whole session must use the TCP connection the InformResponse went out on.
  bool requireSingleConnection = true;
  int redirects = 0;              // answer the Inform with `redirectCode` this many times
  int redirectCode = 302;         // 301, 302 or 307
  int informHttpStatus = 0;       // non-zero: answer the Inform with this HTTP status (500, 503)
  bool closeOnInform = false;     // close the connection instead of answering the Inform
  std::uint32_t informFault = 0;  // answer the Inform with this ACS fault (8002, 8005)
  int cpeRequestFaults = 0;       // answer the first N CPE requests with `cpeRequestFault`
  std::uint32_t cpeRequestFault = 8005;
  bool holdRequests = false;     // HoldRequests=true in the InformResponse
  int informDelayMs = 0;         // slow InformResponse
  int cpeRequestDelayMs = 0;     // answer CPE requests (TransferComplete, ...) this much later
  std::string cookiePath = "/";  // Path attribute of the session cookie
  std::string useCwmpVersion;    // UseCWMPVersion header in the InformResponse
  bool closeAtEnd = false;       // the final 204 carries Connection: close
  int finalStatus = 204;         // the empty answer that ends the session: 204, or 200 (no body)
  std::vector<ExpectedEvent> expectEvents;
  std::vector<std::string> forbidEvents;
  std::vector<ExpectedParameter> expectParameters;
  std::vector<Step> steps;

  // True when the ACS itself makes this session fail on purpose.
  bool failsOnPurpose() const;
};

struct Scenario {
  std::vector<SessionScript> sessions;        // session i (0-based) follows sessions[i] ...
  SessionScript defaultSession;               // ... and every later one follows this
  std::vector<std::string> forcedParameters;  // C70; defaultForcedInformParameters() by default
  bool checkConformance = true;

  Scenario();
  const SessionScript& script(std::size_t sessionIndex) const;
};

Result<Scenario> parseScenario(std::string_view xml);
Result<Scenario> loadScenarioFile(const std::string& path);

}  // namespace tr69::testacs
