// The daemon's single event loop: file descriptors (epoll), one-shot timers and posted tasks.
// Everything runs on the thread that calls run(); callbacks may add or remove watches and
// timers, including their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace tr69 {

class EventLoop {
 public:
  using Clock = std::chrono::steady_clock;
  using Task = std::function<void()>;
  using FdCallback = std::function<void(std::uint32_t events)>;
  using TimerId = std::uint64_t;

  static constexpr std::uint32_t kReadable = 1u << 0;
  static constexpr std::uint32_t kWritable = 1u << 1;
  static constexpr std::uint32_t kError = 1u << 2;  // error or hang-up (always reported)

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Adds a watch on `fd` or replaces the existing one (events and callback).
  void watchFd(int fd, std::uint32_t events, FdCallback callback);
  void unwatchFd(int fd);
  bool watching(int fd) const { return watches_.count(fd) != 0; }

  // One-shot timer; returns an id for cancelTimer. A zero delay runs on the next iteration.
  TimerId addTimer(Clock::duration delay, Task task);
  void cancelTimer(TimerId id);
  // True while the timer has neither fired nor been cancelled.
  bool timerPending(TimerId id) const;

  // Runs `task` on the next iteration, before waiting for events.
  void post(Task task);

  // Runs one iteration: posted tasks, then waits at most `maxWait` for events or the next timer,
  // then dispatches fd events and due timers. Returns false once stop() was called.
  bool runOnce(Clock::duration maxWait);
  // Iterates until stop().
  void run();
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }

  Clock::time_point now() const { return Clock::now(); }

 private:
  struct Watch {
    int fd;
    std::uint32_t events;
    FdCallback callback;
  };
  void runDueTimers();
  void runPosted();

  int epollFd_ = -1;
  bool stopped_ = false;
  std::unordered_map<int, std::shared_ptr<Watch>> watches_;
  std::multimap<Clock::time_point, TimerId> timerQueue_;
  std::unordered_map<TimerId, std::pair<Clock::time_point, Task>> timers_;
  TimerId nextTimerId_ = 1;
  std::vector<Task> posted_;
};

}  // namespace tr69
