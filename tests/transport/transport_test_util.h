// Helpers shared by the transport tests: drive the loop until a POST completes (bounded).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "tr69/base/event_loop.h"
#include "tr69/transport/acs_connection.h"

namespace tr69::transport::testing {

inline std::optional<PostResult> postAndWait(
    EventLoop& loop, AcsConnection& connection, std::string body,
    std::chrono::seconds limit = std::chrono::seconds(20)) {
  std::optional<PostResult> result;
  connection.post(std::move(body), [&](PostResult r) { result.emplace(std::move(r)); });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!result && std::chrono::steady_clock::now() < deadline) {
    loop.runOnce(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(result.has_value()) << "POST did not complete within the bound";
  return result;
}

}  // namespace tr69::transport::testing
