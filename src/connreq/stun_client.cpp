#include "tr69/connreq/stun_client.h"

#include <algorithm>
#include <utility>

#include "tr69/connreq/url.h"

namespace tr69::connreq {

using namespace std::chrono_literals;

std::chrono::seconds stunKeepAlivePeriod(int maximumKeepAlivePeriod,
                                         unsigned minimumKeepAlivePeriod) {
  std::chrono::seconds period = 30s;
  period = std::max(period, std::chrono::seconds(minimumKeepAlivePeriod));
  if (maximumKeepAlivePeriod >= 0)
    period = std::min(period, std::chrono::seconds(maximumKeepAlivePeriod));
  return std::max(period, std::chrono::seconds(1));
}

StunClient::StunClient(EventLoop& loop, const Logger& log, SendFn send, std::uint16_t localPort,
                       AddressChangedFn onAddressChanged, Timing timing)
    : loop_(loop),
      log_(log),
      send_(std::move(send)),
      localPort_(localPort),
      onAddressChanged_(std::move(onAddressChanged)),
      timing_(timing) {}

StunClient::~StunClient() {
  stop();
  cancel(notifyTimer_);
}

void StunClient::cancel(std::optional<EventLoop::TimerId>& timer) {
  if (timer) loop_.cancelTimer(*timer);
  timer.reset();
}

void StunClient::stop() {
  cancel(retransmitTimer_);
  cancel(nextRequestTimer_);
  transaction_.reset();
  server_.reset();
}

void StunClient::configure(const StunConfig& config) {
  stop();
  config_ = config;
  useIntegrity_ = false;
  limiter_.setMinInterval(std::chrono::seconds(config.notificationLimit));
  if (!config.enable) {
    const bool wasBound = status_.bound;
    status_.bound = false;
    status_.natDetected = false;
    status_.mappedAddress.reset();
    status_.udpConnectionRequestAddress.clear();
    if (wasBound) reportChange();
    return;
  }
  const std::string host = config.serverAddress.empty() ? config.acsHost : config.serverAddress;
  if (host.empty()) {
    log_.warning("STUN enabled but neither STUNServerAddress nor an ACS host is set");
    return;
  }
  server_ = SocketAddress::resolve(host, config.serverPort);
  if (!server_) {
    log_.warning("STUN server ", host, " does not resolve; STUN stays idle until reconfigured");
    return;
  }
  status_.localIp = localAddressToward(*server_).value_or("");
  log_.info("STUN: binding discovery with ", server_->toString(), " from local port ", localPort_);
  sendRequest();
}

void StunClient::sendRequest() {
  cancel(nextRequestTimer_);
  cancel(retransmitTimer_);
  stun::Message request;
  request.type = stun::kBindingRequest;
  request.transactionId = stun::randomTransactionId();
  request.connectionRequestBinding = true;
  request.bindingChange = bindingChangePending_;
  Transaction t;
  t.id = request.transactionId;
  t.withIntegrity = useIntegrity_ && !config_.username.empty();
  t.bindingChange = bindingChangePending_;
  if (t.withIntegrity) request.username = config_.username;
  t.datagram = stun::encode(request, t.withIntegrity ? std::string_view(config_.password) : "");
  t.nextDelay = timing_.initialRetransmit;
  transaction_ = std::move(t);
  transmit();
}

void StunClient::transmit() {
  ++transaction_->sends;
  ++status_.requestsSent;
  if (!send_(transaction_->datagram, *server_)) log_.debug("STUN: send failed");
  const bool last = transaction_->sends >= timing_.maxSends;
  const auto delay = last ? timing_.finalWait : transaction_->nextDelay;
  transaction_->nextDelay = std::min(transaction_->nextDelay * 2, timing_.maxRetransmit);
  retransmitTimer_ = loop_.addTimer(delay, [this] { onRetransmitTimer(); });
}

void StunClient::onRetransmitTimer() {
  retransmitTimer_.reset();
  if (!transaction_) return;
  if (transaction_->sends < timing_.maxSends) {
    transmit();
    return;
  }
  log_.warning("STUN: no answer from ", server_->toString(), " after ", transaction_->sends,
               " requests; retrying later");
  transaction_.reset();
  scheduleNext(stunKeepAlivePeriod(config_.maximumKeepAlivePeriod, config_.minimumKeepAlivePeriod));
}

void StunClient::scheduleNext(std::chrono::milliseconds delay) {
  cancel(nextRequestTimer_);
  nextRequestTimer_ = loop_.addTimer(delay, [this] {
    nextRequestTimer_.reset();
    sendRequest();
  });
}

void StunClient::handleDatagram(std::string_view datagram, const SocketAddress& from) {
  if (!server_ || !transaction_) return;
  if (!(from == *server_)) {
    log_.debug("STUN: datagram from ", from.toString(), " ignored (not the server)");
    return;
  }
  auto message = stun::decode(datagram);
  if (!message) {
    log_.debug("STUN: malformed answer ignored: ", message.fault().message);
    return;
  }
  if (message->transactionId != transaction_->id) return;  // late answer to an older request
  if (config_.verifyResponseIntegrity && transaction_->withIntegrity &&
      !stun::verifyIntegrity(datagram, *message, config_.password)) {
    log_.warning("STUN: answer with a missing or wrong MESSAGE-INTEGRITY ignored");
    return;
  }
  if (message->type == stun::kBindingResponse) {
    onResponse(*message);
  } else if (message->type == stun::kBindingErrorResponse) {
    onErrorResponse(*message);
  }
}

void StunClient::onResponse(const stun::Message& message) {
  if (!message.mappedAddress) {
    log_.debug("STUN: Binding Response without MAPPED-ADDRESS ignored");
    return;
  }
  cancel(retransmitTimer_);
  if (transaction_->bindingChange) bindingChangePending_ = false;
  transaction_.reset();

  const stun::StunAddress mapped = *message.mappedAddress;
  const bool first = !status_.mappedAddress;
  const bool changed = !first && !(*status_.mappedAddress == mapped);
  status_.bound = true;
  if (first || changed) {
    status_.mappedAddress = mapped;
    status_.natDetected = !(mapped.ip == status_.localIp && mapped.port == localPort_);
    status_.udpConnectionRequestAddress = formatUdpConnectionRequestAddress(mapped.ip, mapped.port);
    log_.info("STUN: binding ", status_.udpConnectionRequestAddress,
              status_.natDetected ? " (NAT detected)" : " (no NAT)");
    reportChange();
  }
  if (changed) {
    ++status_.bindingChanges;
    bindingChangePending_ = true;
    sendRequest();  // BINDING-CHANGE goes out at once; the minimum period does not apply
    return;
  }
  scheduleNext(stunKeepAlivePeriod(config_.maximumKeepAlivePeriod, config_.minimumKeepAlivePeriod));
}

void StunClient::onErrorResponse(const stun::Message& message) {
  cancel(retransmitTimer_);
  const unsigned code = message.errorCode ? message.errorCode->code : 0;
  const bool hadIntegrity = transaction_->withIntegrity;
  transaction_.reset();
  const auto retryLater = [this] {
    scheduleNext(
        stunKeepAlivePeriod(config_.maximumKeepAlivePeriod, config_.minimumKeepAlivePeriod));
  };
  if (code == 401) {
    if (config_.username.empty()) {
      log_.warning("STUN: server demands MESSAGE-INTEGRITY but STUNUsername is empty");
      retryLater();
      return;
    }
    if (hadIntegrity) {
      log_.warning("STUN: server refused STUNUsername/STUNPassword (401)");
      retryLater();
      return;
    }
    log_.info("STUN: server demands authentication; retrying with MESSAGE-INTEGRITY");
    useIntegrity_ = true;
    sendRequest();
    return;
  }
  log_.warning("STUN: Binding Error Response ", code, " ",
               message.errorCode ? message.errorCode->reason : std::string());
  retryLater();
}

void StunClient::reportChange() {
  if (!onAddressChanged_) return;
  if (limiter_.offer(loop_.now())) {
    onAddressChanged_(status_);
    return;
  }
  if (notifyTimer_ || !limiter_.pendingDue()) return;
  notifyTimer_ = loop_.addTimer(*limiter_.pendingDue() - loop_.now(), [this] {
    notifyTimer_.reset();
    if (limiter_.takeDue(std::max(loop_.now(), limiter_.pendingDue().value_or(loop_.now()))))
      onAddressChanged_(status_);
  });
}

}  // namespace tr69::connreq
