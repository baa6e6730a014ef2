#include "acs/test_acs.h"

#include <algorithm>

#include "acs/agent_process.h"
#include "tr69/base/crypto.h"

namespace tr69::testacs {

namespace {

constexpr std::size_t kNoSession = static_cast<std::size_t>(-1);

std::string pathOf(const std::string& url) {
  return url.substr(0, url.find('?'));
}

std::string sessionLabel(std::size_t index) {
  return index == kNoSession ? std::string("no session") : "session " + std::to_string(index);
}

}  // namespace

struct TestAcs::Active {
  std::size_t index = 0;
  SessionScript script;
  SessionOrder order;
  std::string cookie;
  std::uint64_t connectionId = 0;
  std::string path;
  std::size_t nextStep = 0;
  int idCounter = 0;
  int cpeFaultsLeft = 0;
  bool failed = false;
  struct Pending {
    RpcRequest request;
    Expectation expect;
    std::string id;
  };
  std::optional<Pending> pending;
};

TestAcs::TestAcs() : transcript_(std::make_shared<Transcript>()) {}

TestAcs::~TestAcs() {
  stop();
}

Status TestAcs::start(AcsOptions options) {
  options_ = std::move(options);
  transcript_ = std::make_shared<Transcript>(options_.transcriptPath);
  Status started = server_.start(
      options_.http, [this](const HttpRequest& request) { return handle(request); },
      [this](std::uint64_t id, bool opened) { onConnection(id, opened); });
  if (started) transcript_->note("test ACS listening on " + url());
  return started;
}

void TestAcs::stop() {
  if (!server_.running()) return;
  {
    std::lock_guard lock(mutex_);
    // Connections that close because the server stops are not the CPE's doing.
    if (active_) active_->failed = true;
  }
  server_.stop();
  transcript_->note("test ACS stopped");
}

std::string TestAcs::url() const {
  return server_.baseUrl() + options_.path;
}

void TestAcs::setScenario(Scenario scenario) {
  std::lock_guard lock(mutex_);
  options_.scenario = std::move(scenario);
}

void TestAcs::addSession(SessionScript script) {
  std::lock_guard lock(mutex_);
  options_.scenario.sessions.push_back(std::move(script));
}

void TestAcs::setScriptProvider(ScriptProvider provider) {
  std::lock_guard lock(mutex_);
  scriptProvider_ = std::move(provider);
}

std::vector<SessionRecord> TestAcs::sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_;
}

std::size_t TestAcs::sessionCount() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::size_t TestAcs::completedSessionCount() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      sessions_.begin(), sessions_.end(), [](const SessionRecord& s) { return s.completed; }));
}

std::size_t TestAcs::postCount() const {
  std::lock_guard lock(mutex_);
  return posts_;
}

std::vector<std::string> TestAcs::failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

std::vector<Violation> TestAcs::violations() const {
  std::lock_guard lock(mutex_);
  return violations_;
}

bool TestAcs::waitUntil(const std::function<bool(const std::vector<SessionRecord>&)>& condition,
                        std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, scaledTimeout(timeout), [&] { return condition(sessions_); });
}

bool TestAcs::waitForSessions(std::size_t count, std::chrono::milliseconds timeout) const {
  return waitUntil([count](const auto& sessions) { return sessions.size() >= count; }, timeout);
}

bool TestAcs::waitForCompletedSessions(std::size_t count, std::chrono::milliseconds timeout) const {
  return waitUntil(
      [count](const auto& sessions) {
        return static_cast<std::size_t>(
                   std::count_if(sessions.begin(), sessions.end(),
                                 [](const SessionRecord& s) { return s.completed; })) >= count;
      },
      timeout);
}

bool TestAcs::waitForInformWithEvent(const std::string& eventCode,
                                     std::chrono::milliseconds timeout) const {
  return waitUntil(
      [&](const auto& sessions) {
        return std::any_of(sessions.begin(), sessions.end(),
                           [&](const SessionRecord& s) { return s.inform.hasEvent(eventCode); });
      },
      timeout);
}

bool TestAcs::waitForPosts(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, scaledTimeout(timeout), [&] { return posts_ >= count; });
}

void TestAcs::addFailure(std::size_t session, const std::string& text) {
  failures_.push_back(sessionLabel(session) + ": " + text);
}

void TestAcs::addViolations(std::size_t session, const std::vector<Violation>& found) {
  if (!options_.scenario.checkConformance) return;
  for (const Violation& violation : found) {
    violations_.push_back(violation);
    addFailure(session, describe(violation));
  }
}

void TestAcs::onConnection(std::uint64_t id, bool opened) {
  transcript_->note("conn " + std::to_string(id) + (opened ? " opened" : " closed"));
  std::lock_guard lock(mutex_);
  if (!opened && active_ && active_->connectionId == id && !active_->failed &&
      !active_->order.finished()) {
    addViolations(active_->index,
                  {{14, "C14", "connection closed by the CPE before the session ended"}});
    active_->failed = true;
  }
  changed_.notify_all();
}

HttpResponse TestAcs::soapResponse(std::string body) const {
  HttpResponse response;
  response.body = std::move(body);
  response.with("Content-Type", "text/xml; charset=\"utf-8\"");
  return response;
}

std::string TestAcs::acsFault(const std::string& ns, const std::string& id,
                              std::uint32_t code) const {
  HeaderFields header;
  header.id = id;
  return writeEnvelope(ns, header, [&](pugi::xml_node body) {
    pugi::xml_node fault = body.append_child("soap-env:Fault");
    appendTextChild(fault, "faultcode", code == 8003 ? "Client" : "Server");
    appendTextChild(fault, "faultstring", "CWMP fault");
    pugi::xml_node cwmpFault = fault.append_child("detail").append_child("cwmp:Fault");
    appendTextChild(cwmpFault, "FaultCode", std::to_string(code));
    appendTextChild(cwmpFault, "FaultString", code == 8005 ? "Retry request" : "ACS fault");
  });
}

HttpResponse TestAcs::handle(const HttpRequest& request) {
  transcript_->request(request);
  HttpResponse response;
  {
    std::lock_guard lock(mutex_);
    ++posts_;
    if (request.method != "POST") {
      response.status = 405;
    } else {
      std::optional<Envelope> envelope;
      if (!request.body.empty()) {
        auto parsed = parseEnvelope(request.body);
        if (!parsed) {
          addFailure(active_ ? active_->index : kNoSession,
                     "unreadable CPE message: " + parsed.fault().message);
          response.status = 400;
        } else {
          envelope = std::move(*parsed);
        }
      }
      if (response.status == 200) {
        response = envelope && envelope->methodName == "Inform"
                       ? handleInform(request, *envelope)
                       : handleInSession(request, envelope);
      }
    }
  }
  changed_.notify_all();
  transcript_->response(request.connectionId, response);
  return response;
}

HttpResponse TestAcs::handleInform(const HttpRequest& request, const Envelope& envelope) {
  const std::string cookieHeader = request.header("cookie").value_or("");
  if (active_ && !active_->order.finished() && !active_->failed && !active_->cookie.empty() &&
      cookieHeader.find("session=" + active_->cookie) != std::string::npos) {
    addViolations(active_->index, {{2, "C2", "second Inform in one session"}});
  }
  const std::size_t index = sessions_.size();
  if (scriptProvider_ && pendingScriptIndex_ != index &&
      index >= options_.scenario.sessions.size()) {
    if (std::optional<SessionScript> provided = scriptProvider_(index)) {
      options_.scenario.sessions.resize(index, options_.scenario.defaultSession);
      options_.scenario.sessions.push_back(std::move(*provided));
    }
  }
  const SessionScript& script = options_.scenario.script(index);
  if (pendingScriptIndex_ != index) {
    pendingScriptIndex_ = index;
    pendingRedirects_ = 0;
    pendingChallenges_ = 0;
    pendingAuth_ = std::make_unique<HttpAuthenticator>(script.auth, "tr69-test-acs",
                                                       script.username, script.password);
  }
  if (pendingRedirects_ < script.redirects) {
    ++pendingRedirects_;
    HttpResponse redirect;
    redirect.status = script.redirectCode;
    redirect.with("Location", server_.baseUrl() + options_.path + "/redirect-" +
                                  std::to_string(pendingRedirects_));
    return redirect;
  }
  if (script.auth != AuthMode::kNone) {
    const std::string authorization = request.header("authorization").value_or("");
    const std::string reason = pendingAuth_->verify(authorization, "POST", request.body);
    if (!reason.empty()) {
      if (!authorization.empty()) transcript_->note("authentication failed: " + reason);
      ++pendingChallenges_;
      HttpResponse challenge;
      challenge.status = 401;
      challenge.with("WWW-Authenticate", pendingAuth_->challenge());
      return challenge;
    }
  }

  if (active_ && !active_->order.finished() && !active_->failed) {
    addViolations(active_->index,
                  {{13, "C13", "session ended without the empty POST / empty answer exchange"}});
  }
  if (active_ && !active_->cookie.empty()) oldCookies_.push_back(active_->cookie);
  for (const std::string& old : oldCookies_) {
    if (cookieHeader.find("session=" + old) != std::string::npos) {
      addViolations(index, {{17, "C17", "Inform carries the cookie of an earlier session"}});
      break;
    }
  }

  SessionRecord record;
  record.index = index;
  record.informAt = std::chrono::steady_clock::now();
  record.informWallClock = std::chrono::system_clock::now();
  record.inform = parseInform(envelope.method);
  record.cwmpNamespace = envelope.cwmpNamespace;
  record.connectionId = request.connectionId;
  record.informPath = pathOf(request.url);
  record.connectionsSeen.push_back(request.connectionId);
  record.authChallenges = pendingChallenges_;
  record.redirectsSent = pendingRedirects_;
  record.cookie = randomHex(32);
  record.failedOnPurpose = script.failsOnPurpose();
  pendingScriptIndex_ = kNoSession;

  active_ = std::make_unique<Active>();
  Active& a = *active_;
  a.index = index;
  a.script = script;
  a.cookie = record.cookie;
  a.connectionId = request.connectionId;
  a.path = pathOf(request.url);
  a.cpeFaultsLeft = script.cpeRequestFaults;
  a.order.setTransferCompleteDue(record.inform.hasEvent("7 TRANSFER COMPLETE"));

  addViolations(
      index, checkPostHeaders({true, request.header("content-type"), request.header("soapaction"),
                               request.header("content-length")}));
  addViolations(index, checkEnvelope(envelope));
  addViolations(index, checkInform(envelope, options_.scenario.forcedParameters));
  addViolations(index, a.order.onCpeMessage(SessionOrder::Kind::kInform, "Inform"));

  for (const ExpectedEvent& event : script.expectEvents) {
    const bool found = event.commandKey ? record.inform.hasEvent(event.code, *event.commandKey)
                                        : record.inform.hasEvent(event.code);
    if (!found) {
      addFailure(index, "Inform lacks event '" + event.code +
                            (event.commandKey ? "' with CommandKey '" + *event.commandKey : "") +
                            "'");
    }
  }
  for (const std::string& code : script.forbidEvents) {
    if (record.inform.hasEvent(code))
      addFailure(index, "Inform has forbidden event '" + code + "'");
  }
  for (const ExpectedParameter& parameter : script.expectParameters) {
    const ParameterValue* actual = record.inform.parameter(parameter.name);
    if (!actual) {
      addFailure(index, "Inform lacks parameter " + parameter.name);
    } else if (parameter.value && actual->value != *parameter.value) {
      addFailure(index, "Inform parameter " + parameter.name + " is '" + actual->value +
                            "', expected '" + *parameter.value + "'");
    }
  }
  sessions_.push_back(std::move(record));

  const std::string id = envelope.id.value_or("");
  HttpResponse response;
  if (script.closeOnInform) {
    a.failed = true;
    response.abortConnection = true;
    return response;
  }
  if (script.informHttpStatus != 0) {
    a.failed = true;
    response.status = script.informHttpStatus;
    return response;
  }
  if (script.informFault != 0) {
    a.failed = true;
    return soapResponse(acsFault(envelope.cwmpNamespace, id, script.informFault));
  }
  HeaderFields header;
  header.id = id;
  if (script.holdRequests) header.holdRequests = true;
  header.useCwmpVersion = script.useCwmpVersion;
  response = soapResponse(writeEnvelope(envelope.cwmpNamespace, header, [](pugi::xml_node body) {
    appendTextChild(body.append_child("cwmp:InformResponse"), "MaxEnvelopes", "1");
  }));
  response.with("Set-Cookie", "session=" + a.cookie + "; Path=" + script.cookiePath);
  response.delayMs = script.informDelayMs;
  a.order.onAcsReply(false, script.holdRequests);
  return response;
}

HttpResponse TestAcs::handleInSession(const HttpRequest& request,
                                      const std::optional<Envelope>& envelope) {
  if (!active_) {
    addViolations(kNoSession, {{1, "C1", "POST without a preceding Inform"}});
    HttpResponse response;
    response.status = 400;
    return response;
  }
  Active& a = *active_;
  SessionRecord& record = sessions_[a.index];
  const std::string& ns = record.cwmpNamespace;
  if (std::find(record.connectionsSeen.begin(), record.connectionsSeen.end(),
                request.connectionId) == record.connectionsSeen.end()) {
    record.connectionsSeen.push_back(request.connectionId);
    if (a.script.requireSingleConnection && !a.failed) {
      addFailure(a.index, "§1.5: session moved to a second TCP connection (conn " +
                              std::to_string(request.connectionId) + ", Inform on conn " +
                              std::to_string(a.connectionId) + ")");
    }
  }
  if (a.failed) {
    addFailure(a.index,
               "§1.6: POST continues a session that already failed (HTTP error, "
               "ACS fault or closed connection)");
    HttpResponse response;
    response.status = 400;
    return response;
  }
  if (a.script.requireCookie &&
      request.header("cookie").value_or("").find("session=" + a.cookie) == std::string::npos) {
    addViolations(a.index, {{17, "C17", "POST without the session cookie"}});
    HttpResponse response;
    response.status = 400;
    response.body = "Invalid session";
    a.failed = true;
    return response;
  }
  if (pathOf(request.url) != a.path) {
    addViolations(a.index, {{20, "C20",
                             "POST to " + pathOf(request.url) +
                                 " but the session's Inform went to " + a.path}});
  }
  record.cpeMessages.push_back(envelope ? envelope->methodName : std::string());
  addViolations(a.index,
                checkPostHeaders({envelope.has_value(), request.header("content-type"),
                                  request.header("soapaction"), request.header("content-length")}));
  if (!envelope) {
    ++record.emptyPosts;
    addViolations(a.index, a.order.onCpeMessage(SessionOrder::Kind::kEmpty, "empty POST"));
    if (a.pending) {
      addFailure(a.index,
                 "empty POST while the answer to " + a.pending->request.method + " was due");
      a.pending.reset();
    }
    return nextStep(a);
  }
  addViolations(a.index, checkEnvelope(*envelope));
  const std::string& name = envelope->methodName;
  const std::string id = envelope->id.value_or("");
  if (isCpeRequestMethod(name) && isCwmpNamespace(envelope->methodNamespace)) {
    addViolations(a.index, a.order.onCpeMessage(SessionOrder::Kind::kCpeRequest, name));
    record.cpeRequests.push_back(name);
    if (name == "TransferComplete") {
      record.transferCompletesSeen.push_back(parseTransferComplete(envelope->method));
    }
    if (a.cpeFaultsLeft > 0) {
      --a.cpeFaultsLeft;
      if (a.script.cpeRequestFault != 8005) a.failed = true;
      HttpResponse fault = soapResponse(acsFault(ns, id, a.script.cpeRequestFault));
      fault.delayMs = a.script.cpeRequestDelayMs;
      return fault;
    }
    HeaderFields header;
    header.id = id;
    if (name == "TransferComplete") {
      addViolations(a.index, checkTransferComplete(*envelope, record.inform, ns));
      record.transferCompletes.push_back(parseTransferComplete(envelope->method));
    }
    if (name == "TransferComplete" || name == "AutonomousTransferComplete" ||
        name == "GetRPCMethods") {
      HttpResponse answer = soapResponse(writeEnvelope(ns, header, [&](pugi::xml_node body) {
        pugi::xml_node method = body.append_child(("cwmp:" + name + "Response").c_str());
        if (name != "GetRPCMethods") return;
        pugi::xml_node list = method.append_child("MethodList");
        list.append_attribute("soap-enc:arrayType") = "xsd:string[3]";
        for (const char* m : {"Inform", "GetRPCMethods", "TransferComplete"}) {
          appendTextChild(list, "string", m);
        }
      }));
      answer.delayMs = a.script.cpeRequestDelayMs;
      return answer;
    }
    return soapResponse(acsFault(ns, id, 8000));
  }
  if ((name.size() > 8 && name.ends_with("Response")) || envelope->isFault()) {
    addViolations(a.index, a.order.onCpeMessage(SessionOrder::Kind::kResponse, name));
    if (!a.pending) {
      addFailure(a.index, "CPE sent " + name + " but no ACS request was outstanding");
      return nextStep(a);
    }
    Active::Pending pending = std::move(*a.pending);
    a.pending.reset();
    RpcResponse response = parseResponse(*envelope);
    addViolations(a.index,
                  checkResponse(*envelope, response, pending.id, pending.request.method, ns));
    for (const std::string& failure : checkExpectation(pending.expect, pending.request, response)) {
      addFailure(a.index, failure);
    }
    record.exchanges.push_back({std::move(pending.request), pending.id, std::move(response)});
    return nextStep(a);
  }
  addFailure(a.index, "unexpected message " + name + " from the CPE");
  return soapResponse(acsFault(ns, id, 8000));
}

HttpResponse TestAcs::nextStep(Active& a) {
  SessionRecord& record = sessions_[a.index];
  HttpResponse response;
  if (a.nextStep < a.script.steps.size()) {
    const Step& step = a.script.steps[a.nextStep++];
    response.delayMs = step.delayMs;
    switch (step.action) {
      case Step::Action::kRequest: {
        const std::string id =
            "acs-" + std::to_string(a.index) + "-" + std::to_string(++a.idCounter);
        const std::optional<bool> hold =
            step.holdRequests ? std::optional<bool>(true) : std::nullopt;
        HttpResponse request =
            soapResponse(writeRequest(record.cwmpNamespace, id, hold, step.request));
        request.delayMs = step.delayMs;
        a.pending = Active::Pending{step.request, step.expect, id};
        a.order.onAcsReply(false, step.holdRequests);
        return request;
      }
      case Step::Action::kHttpError:
        a.failed = true;
        response.status = step.httpStatus;
        return response;
      case Step::Action::kCloseConnection:
        a.failed = true;
        response.abortConnection = true;
        return response;
    }
  }
  a.order.onAcsReply(true, false);
  response.status = a.script.finalStatus;
  response.closeConnection = a.script.closeAtEnd;
  if (a.order.finished()) {
    record.completed = true;
    record.completedAt = std::chrono::steady_clock::now();
  }
  return response;
}

}  // namespace tr69::testacs
