#include "tr69/transport/curl_multi_driver.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace tr69::transport {

CurlMultiDriver::CurlMultiDriver(EventLoop& loop) : loop_(loop), multi_(curl_multi_init()) {
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMultiDriver::onSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMultiDriver::onTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMultiDriver::~CurlMultiDriver() {
  for (auto& [easy, done] : transfers_)
    curl_multi_remove_handle(multi_, easy);
  transfers_.clear();
  // Cleanup closes the cached connections and reports their sockets as removed (onSocket).
  curl_multi_cleanup(multi_);
  for (curl_socket_t socket : watched_)
    loop_.unwatchFd(socket);
  if (timer_) loop_.cancelTimer(*timer_);
}

Status CurlMultiDriver::start(CURL* easy, DoneCallback done) {
  if (transfers_.count(easy) != 0) {
    return Fault(FaultCode::kInternalError, "transfer already running on this handle");
  }
  transfers_.emplace(easy, std::move(done));
  const CURLMcode rc = curl_multi_add_handle(multi_, easy);
  if (rc != CURLM_OK) {
    transfers_.erase(easy);
    return Fault(FaultCode::kInternalError,
                 std::string("curl_multi_add_handle: ") + curl_multi_strerror(rc));
  }
  return {};
}

void CurlMultiDriver::remove(CURL* easy) {
  if (transfers_.erase(easy) != 0) curl_multi_remove_handle(multi_, easy);
}

int CurlMultiDriver::onSocket(CURL*, curl_socket_t socket, int what, void* self, void*) {
  auto* driver = static_cast<CurlMultiDriver*>(self);
  if (what == CURL_POLL_REMOVE) {
    driver->loop_.unwatchFd(socket);
    driver->watched_.erase(socket);
    return 0;
  }
  std::uint32_t events = 0;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= EventLoop::kReadable;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= EventLoop::kWritable;
  driver->watched_.insert(socket);
  driver->loop_.watchFd(socket, events, [driver, socket](std::uint32_t ready) {
    int mask = 0;
    if (ready & EventLoop::kReadable) mask |= CURL_CSELECT_IN;
    if (ready & EventLoop::kWritable) mask |= CURL_CSELECT_OUT;
    if (ready & EventLoop::kError) mask |= CURL_CSELECT_ERR;
    driver->act(socket, mask);
  });
  return 0;
}

int CurlMultiDriver::onTimer(CURLM*, long timeoutMs, void* self) {
  auto* driver = static_cast<CurlMultiDriver*>(self);
  if (driver->timer_) {
    driver->loop_.cancelTimer(*driver->timer_);
    driver->timer_.reset();
  }
  if (timeoutMs < 0) return 0;
  // curl must not be re-entered from its own callback: the timer runs on a later iteration.
  driver->timer_ = driver->loop_.addTimer(std::chrono::milliseconds(timeoutMs), [driver] {
    driver->timer_.reset();
    driver->act(CURL_SOCKET_TIMEOUT, 0);
  });
  return 0;
}

void CurlMultiDriver::act(curl_socket_t socket, int eventMask) {
  int runningHandles = 0;
  curl_multi_socket_action(multi_, socket, eventMask, &runningHandles);
  collectFinished();
}

void CurlMultiDriver::collectFinished() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    const CURLcode result = message->data.result;
    auto it = transfers_.find(easy);
    if (it == transfers_.end()) continue;
    DoneCallback done = std::move(it->second);
    transfers_.erase(it);
    curl_multi_remove_handle(multi_, easy);
    std::weak_ptr<int> alive = alive_;
    loop_.post([alive, done = std::move(done), result] {
      if (alive.lock()) done(result);
    });
  }
}

}  // namespace tr69::transport
