// ConnectionRequestGate: the one place where HTTP and UDP connection requests meet the session
// engine. Front ends call submit() for every authenticated request; the engine reports every
// session through sessionStarted() / informSent() / sessionEnded(). The gate applies
// ConnectionRequestPolicy and calls ConnectionRequestSink::onConnectionRequest (posted on the
// event loop, never re-entrantly) when a session is wanted, including the delayed follow-up.
#pragma once

#include <optional>

#include "tr69/base/event_loop.h"
#include "tr69/base/log.h"
#include "tr69/connreq/connection_request.h"
#include "tr69/connreq/request_policy.h"

namespace tr69::connreq {

class ConnectionRequestGate {
 public:
  ConnectionRequestGate(EventLoop& loop, ConnectionRequestSink& sink, const Logger& log,
                        ConnectionRequestPolicyOptions options = ConnectionRequestPolicyOptions());
  ~ConnectionRequestGate();
  ConnectionRequestGate(const ConnectionRequestGate&) = delete;
  ConnectionRequestGate& operator=(const ConnectionRequestGate&) = delete;

  // An authenticated, valid request from `source`.
  Admission submit(ConnectionRequestSource source);

  // Engine side. Call for every session, whatever opened it.
  void sessionStarted();
  void informSent();
  void sessionEnded();

  const ConnectionRequestPolicy& policy() const { return policy_; }

 private:
  void signal(ConnectionRequestSource source);
  void armFollowUp();
  void onFollowUpTimer();

  EventLoop& loop_;
  ConnectionRequestSink& sink_;
  const Logger& log_;
  ConnectionRequestPolicy policy_;
  std::optional<EventLoop::TimerId> followUpTimer_;
  ConnectionRequestSource followUpSource_ = ConnectionRequestSource::kHttp;
  // Guards posted tasks against running after destruction.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tr69::connreq
