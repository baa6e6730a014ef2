// Runs libcurl transfers inside the daemon's EventLoop through the multi "socket" interface:
// curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to wake it
// (CURLMOPT_TIMERFUNCTION); readiness is handed back with curl_multi_socket_action. Nothing
// blocks. One driver owns one multi handle and therefore one connection cache.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "tr69/base/event_loop.h"
#include "tr69/base/fault.h"

namespace tr69::transport {

class CurlMultiDriver {
 public:
  // Called once per finished transfer, from a task posted on the loop (never from inside a curl
  // call), with curl's result code. The easy handle is already detached from the multi handle,
  // so the callback may start the next transfer on it or destroy the driver.
  using DoneCallback = std::function<void(CURLcode)>;

  explicit CurlMultiDriver(EventLoop& loop);
  // Aborts running transfers without calling back and closes every cached connection.
  ~CurlMultiDriver();
  CurlMultiDriver(const CurlMultiDriver&) = delete;
  CurlMultiDriver& operator=(const CurlMultiDriver&) = delete;

  // Starts `easy` (fully configured by the caller, which keeps it alive until `done` or remove()).
  Status start(CURL* easy, DoneCallback done);
  // Aborts a transfer started with start(); its callback is not called.
  void remove(CURL* easy);
  bool running(CURL* easy) const { return transfers_.count(easy) != 0; }

 private:
  static int onSocket(CURL* easy, curl_socket_t socket, int what, void* self, void* socketData);
  static int onTimer(CURLM* multi, long timeoutMs, void* self);
  void act(curl_socket_t socket, int eventMask);
  void collectFinished();

  EventLoop& loop_;
  CURLM* multi_ = nullptr;
  std::optional<EventLoop::TimerId> timer_;
  std::set<curl_socket_t> watched_;
  std::map<CURL*, DoneCallback> transfers_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace tr69::transport
