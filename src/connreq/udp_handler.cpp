#include "tr69/connreq/udp_handler.h"

#include <utility>

namespace tr69::connreq {
UdpConnectionRequestHandler::UdpConnectionRequestHandler(ConnectionRequestGate& gate,
                                                         const Logger& log,
                                                         const UdpReplayStore* store)
    : gate_(gate), log_(log), store_(store) {
  if (!store_) return;
  auto loaded = store_->load();
  if (loaded) {
    replay_ = *loaded;
  } else {
    log_.warning(loaded.fault().message, " (starting without replay history)");
  }
}

UdpConnectionRequestHandler::~UdpConnectionRequestHandler() {
  if (!persistTimer_) return;
  loop_->cancelTimer(*persistTimer_);
  persistTimer_.reset();
  persist();
}

void UdpConnectionRequestHandler::deferPersistence(EventLoop& loop,
                                                   std::chrono::milliseconds delay) {
  loop_ = &loop;
  persistDelay_ = delay;
}

void UdpConnectionRequestHandler::persist() {
  if (!store_) return;
  if (auto saved = store_->save(replay_); !saved) {
    log_.error("UDP connection request: cannot persist ts/id: ", saved.fault().message);
  }
}

void UdpConnectionRequestHandler::setCredentials(std::string username, std::string password) {
  username_ = std::move(username);
  password_ = std::move(password);
}

void UdpConnectionRequestHandler::logRefusal(const SocketAddress& from, std::string_view why) {
  unsigned suppressed = 0;
  const bool allowed = throttle_.allow(std::chrono::steady_clock::now(), suppressed);
  if (suppressed > 0) {
    log_.warning("UDP connection request: ", suppressed, " more refused datagrams not logged");
  }
  if (allowed) log_.warning("UDP connection request from ", from.toString(), " ignored: ", why);
}

void UdpConnectionRequestHandler::handle(std::string_view datagram, const SocketAddress& from) {
  auto request = parseUdpConnectionRequest(datagram);
  if (!request) {
    ++stats_.malformed;
    logRefusal(from, request.fault().message);
    return;
  }
  const UdpVerdict verdict = verifyUdpConnectionRequest(*request, username_, password_, replay_);
  if (verdict != UdpVerdict::kAccept) {
    ++stats_.refused;
    logRefusal(from, udpVerdictText(verdict));
    return;
  }
  replay_.lastTimestamp = request->timestamp;
  replay_.lastId = request->id;
  replay_.any = true;
  if (loop_ == nullptr) {
    persist();
  } else if (!persistTimer_) {  // one write for every request accepted within the delay
    persistTimer_ = loop_->addTimer(persistDelay_, [this] {
      persistTimer_.reset();
      persist();
    });
  }
  log_.info("UDP connection request from ", from.toString(), " (ts ", request->ts, ", id ",
            request->id, ") valid");
  if (gate_.submit(ConnectionRequestSource::kUdp) == Admission::kAccepted) {
    ++stats_.accepted;
  } else {
    ++stats_.rateLimited;
  }
}

}  // namespace tr69::connreq
