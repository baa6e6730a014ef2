#include "tr69/connreq/service.h"

namespace tr69::connreq {
namespace {
constexpr std::chrono::milliseconds kReplayPersistDelay{100};
}  // namespace

ConnectionRequestService::ConnectionRequestService(EventLoop& loop, const Logger& log,
                                                   ConnectionRequestSink& sink,
                                                   const std::filesystem::path& stateDir,
                                                   Callbacks callbacks,
                                                   ConnectionRequestPolicyOptions policy)
    : loop_(loop),
      log_(log),
      callbacks_(std::move(callbacks)),
      gate_(loop, sink, log, policy),
      http_(loop, log, gate_),
      replayStore_(stateDir / UdpReplayStore::kFileName),
      udpHandler_(gate_, log, &replayStore_),
      udp_(loop, log),
      urlTracker_([this](const std::string& url) {
        if (callbacks_.connectionRequestUrlChanged) callbacks_.connectionRequestUrlChanged(url);
      }) {
  // The session's Inform first, the durable ts/id write right after (udp_handler.h).
  udpHandler_.deferPersistence(loop_, kReplayPersistDelay);
  udp_.setRequestHandler([this](std::string_view datagram, const SocketAddress& from) {
    udpHandler_.handle(datagram, from);
  });
  udp_.setStunHandler([this](std::string_view datagram, const SocketAddress& from) {
    if (stun_) stun_->handleDatagram(datagram, from);
  });
}

ConnectionRequestService::~ConnectionRequestService() {
  stop();
}

void ConnectionRequestService::stop() {
  stun_.reset();
  http_.stop();
  udp_.close();
  applied_ = false;
}

Status ConnectionRequestService::apply(const ConnectionRequestSettings& settings) {
  if (!settings.enabled) {
    stop();
    settings_ = settings;
    urlTracker_.setPort(0);
    return {};
  }
  const std::uint16_t udpPort = settings.udpPort != 0 ? settings.udpPort : settings.httpPort;
  const std::uint16_t oldUdpPort = settings_.udpPort != 0 ? settings_.udpPort : settings_.httpPort;
  const bool reopenHttp = !applied_ || !http_.running() ||
                          settings.bindAddress != settings_.bindAddress ||
                          settings.httpPort != settings_.httpPort ||
                          settings.nonceTimeoutSeconds != settings_.nonceTimeoutSeconds;
  const bool reopenUdp = !applied_ || !udp_.isOpen() ||
                         settings.bindAddress != settings_.bindAddress || udpPort != oldUdpPort;
  settings_ = settings;
  applied_ = true;
  Status result;

  HttpConnectionRequestServer::Options http;
  http.bindAddress = settings.bindAddress;
  http.port = settings.httpPort;
  http.path = settings.path;
  http.username = settings.username;
  http.password = settings.password;
  http.nonceTimeoutSeconds = settings.nonceTimeoutSeconds;
  if (reopenHttp) {
    if (auto started = http_.start(http); !started) result = started;
  } else {
    http_.setCredentials(settings.username, settings.password);
    http_.setPath(settings.path);
  }
  urlTracker_.setPath(settings.path);
  urlTracker_.setPort(http_.port());

  udpHandler_.setCredentials(settings.username, settings.password);
  if (reopenUdp) {
    stun_.reset();
    UdpEndpoint::Options udp;
    udp.bindAddress = settings.bindAddress;
    udp.port = udpPort;
    if (auto opened = udp_.open(udp); !opened) {
      if (result.ok()) result = opened;
      return result;
    }
  }
  if (!stun_) {
    stun_ = std::make_unique<StunClient>(
        loop_, log_,
        [this](std::string_view datagram, const SocketAddress& to) {
          return udp_.send(datagram, to);
        },
        udp_.port(),
        [this](const StunStatus& status) {
          if (callbacks_.udpAddressChanged) callbacks_.udpAddressChanged(status);
        });
  }
  stun_->configure(settings.stun);
  return result;
}

void ConnectionRequestService::setLocalAddress(const std::string& ip) {
  const bool changed = ip != localIp_;
  localIp_ = ip;
  urlTracker_.setAddress(ip);
  // A new local address means a new NAT binding (and maybe another NATDetected): rediscover.
  if (changed && stun_ && settings_.stun.enable && settings_.enabled)
    stun_->configure(settings_.stun);
}

std::string ConnectionRequestService::udpConnectionRequestAddress() const {
  if (stun_ && stun_->status().bound) return stun_->status().udpConnectionRequestAddress;
  if (!udp_.isOpen()) return {};
  return formatUdpConnectionRequestAddress(localIp_, udp_.port());
}

}  // namespace tr69::connreq
