#include "tr69/base/event_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "tr69/base/unique_fd.h"

namespace tr69 {
namespace {

using namespace std::chrono_literals;

TEST(EventLoopTest, TimersFireInDeadlineOrder) {
  EventLoop loop;
  std::vector<int> order;
  loop.addTimer(20ms, [&] { order.push_back(2); });
  loop.addTimer(1ms, [&] { order.push_back(1); });
  loop.addTimer(40ms, [&] {
    order.push_back(3);
    loop.stop();
  });
  for (int i = 0; i < 1000 && loop.runOnce(1s);)
    ++i;
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(EventLoopTest, CancelledTimerDoesNotFire) {
  EventLoop loop;
  bool fired = false;
  auto id = loop.addTimer(1ms, [&] { fired = true; });
  EXPECT_TRUE(loop.timerPending(id));
  loop.cancelTimer(id);
  EXPECT_FALSE(loop.timerPending(id));
  loop.addTimer(5ms, [&] { loop.stop(); });
  for (int i = 0; i < 1000 && loop.runOnce(1s);)
    ++i;
  EXPECT_FALSE(fired);
}

TEST(EventLoopTest, PostedTasksRunBeforeWaiting) {
  EventLoop loop;
  int runs = 0;
  loop.post([&] {
    ++runs;
    loop.post([&] { ++runs; });  // runs on the following iteration
  });
  loop.runOnce(0ms);
  EXPECT_EQ(runs, 1);
  loop.runOnce(0ms);
  EXPECT_EQ(runs, 2);
}

TEST(EventLoopTest, ReportsReadableFdAndAllowsUnwatchInCallback) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  UniqueFd reader(fds[0]);
  UniqueFd writer(fds[1]);
  EventLoop loop;
  std::string got;
  loop.watchFd(reader.get(), EventLoop::kReadable, [&](std::uint32_t events) {
    ASSERT_TRUE(events & EventLoop::kReadable);
    char buf[16];
    const ssize_t n = ::read(reader.get(), buf, sizeof buf);
    got.assign(buf, static_cast<std::size_t>(n));
    loop.unwatchFd(reader.get());
    loop.stop();
  });
  ASSERT_EQ(::write(writer.get(), "ping", 4), 4);
  for (int i = 0; i < 100 && loop.runOnce(1s);)
    ++i;
  EXPECT_EQ(got, "ping");
  EXPECT_FALSE(loop.watching(reader.get()));
}

TEST(EventLoopTest, WaitIsBoundedByMaxWait) {
  EventLoop loop;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(loop.runOnce(10ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace
}  // namespace tr69
