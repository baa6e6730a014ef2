#include "tr69/base/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace tr69 {
namespace {

std::uint32_t toEpoll(std::uint32_t events) {
  std::uint32_t out = 0;
  if (events & EventLoop::kReadable) out |= EPOLLIN;
  if (events & EventLoop::kWritable) out |= EPOLLOUT;
  return out;
}

std::uint32_t fromEpoll(std::uint32_t events) {
  std::uint32_t out = 0;
  if (events & (EPOLLIN | EPOLLPRI)) out |= EventLoop::kReadable;
  if (events & EPOLLOUT) out |= EventLoop::kWritable;
  if (events & (EPOLLERR | EPOLLHUP)) out |= EventLoop::kError;
  return out;
}

}  // namespace

EventLoop::EventLoop() : epollFd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epollFd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
}

EventLoop::~EventLoop() {
  if (epollFd_ >= 0) ::close(epollFd_);
}

void EventLoop::watchFd(int fd, std::uint32_t events, FdCallback callback) {
  epoll_event ev{};
  ev.events = toEpoll(events);
  ev.data.fd = fd;
  auto it = watches_.find(fd);
  if (it == watches_.end()) {
    if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      throw std::system_error(errno, std::generic_category(), "epoll_ctl add");
    }
    watches_[fd] = std::make_shared<Watch>(Watch{fd, events, std::move(callback)});
    return;
  }
  if (::epoll_ctl(epollFd_, EPOLL_CTL_MOD, fd, &ev) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl mod");
  }
  // Replace rather than mutate: a callback running right now keeps its own copy alive.
  it->second = std::make_shared<Watch>(Watch{fd, events, std::move(callback)});
}

void EventLoop::unwatchFd(int fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return;
  ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);  // may fail if fd is already closed
  watches_.erase(it);
}

EventLoop::TimerId EventLoop::addTimer(Clock::duration delay, Task task) {
  const TimerId id = nextTimerId_++;
  const auto deadline =
      Clock::now() + (delay < Clock::duration::zero() ? Clock::duration::zero() : delay);
  timers_.emplace(id, std::make_pair(deadline, std::move(task)));
  timerQueue_.emplace(deadline, id);
  return id;
}

void EventLoop::cancelTimer(TimerId id) {
  timers_.erase(id);
}

bool EventLoop::timerPending(TimerId id) const {
  return timers_.count(id) != 0;
}

void EventLoop::post(Task task) {
  posted_.push_back(std::move(task));
}

void EventLoop::runPosted() {
  // Tasks posted while running go to the next iteration.
  std::vector<Task> tasks;
  tasks.swap(posted_);
  for (auto& task : tasks) {
    if (task) task();
  }
}

void EventLoop::runDueTimers() {
  const auto now = Clock::now();
  while (!timerQueue_.empty() && timerQueue_.begin()->first <= now) {
    const TimerId id = timerQueue_.begin()->second;
    timerQueue_.erase(timerQueue_.begin());
    auto it = timers_.find(id);
    if (it == timers_.end()) continue;  // cancelled
    Task task = std::move(it->second.second);
    timers_.erase(it);
    task();
  }
}

bool EventLoop::runOnce(Clock::duration maxWait) {
  if (stopped_) return false;
  runPosted();
  if (stopped_) return false;

  // Drop cancelled timers from the front so they do not shorten the wait.
  while (!timerQueue_.empty() && timers_.count(timerQueue_.begin()->second) == 0) {
    timerQueue_.erase(timerQueue_.begin());
  }
  auto wait = posted_.empty() ? maxWait : Clock::duration::zero();
  if (!timerQueue_.empty()) {
    const auto untilTimer = timerQueue_.begin()->first - Clock::now();
    if (untilTimer < wait) wait = untilTimer;
  }
  if (wait < Clock::duration::zero()) wait = Clock::duration::zero();
  // Round up so that a timer 0.3 ms away does not busy-loop with a zero timeout.
  auto waitMs = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  if (waitMs > 60'000) waitMs = 60'000;

  epoll_event events[32];
  const int n = ::epoll_wait(epollFd_, events, 32, static_cast<int>(waitMs));
  if (n < 0 && errno != EINTR)
    throw std::system_error(errno, std::generic_category(), "epoll_wait");
  for (int i = 0; i < n && !stopped_; ++i) {
    auto it = watches_.find(events[i].data.fd);
    if (it == watches_.end()) continue;  // removed by an earlier callback in this batch
    std::shared_ptr<Watch> watch = it->second;
    watch->callback(fromEpoll(events[i].events));
  }
  if (!stopped_) runDueTimers();
  return !stopped_;
}

void EventLoop::run() {
  while (runOnce(std::chrono::seconds(60))) {
  }
}

}  // namespace tr69
