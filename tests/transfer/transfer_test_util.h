// Shared fixture for the TransferManager tests: a temporary state directory, an event loop, a
// fake DeviceActions and a bounded "run the loop until" helper.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tr69/base/event_loop.h"
#include "tr69/base/file_util.h"
#include "tr69/base/log.h"
#include "tr69/transfer/transfer_manager.h"
#include "transport/test_http_server.h"

namespace tr69::transfer::testing {

class FakeDevice : public DeviceActions {
 public:
  Status installFirmware(const std::filesystem::path& image) override {
    auto content = readFile(image);
    installedImages.push_back(content ? *content : std::string("<unreadable>"));
    if (onInstall) onInstall();
    return installStatus;
  }
  Status applyConfigFile(const std::string& content) override {
    appliedConfigs.push_back(content);
    return applyStatus;
  }
  Result<std::string> configBackup() override { return backup; }
  Result<std::string> logFile() override { return log; }
  std::string deviceMac() override { return mac; }

  Status installStatus;
  Status applyStatus;
  std::function<void()> onInstall;
  std::vector<std::string> installedImages;
  std::vector<std::string> appliedConfigs;
  Result<std::string> backup = std::string("sip line1 auth name: 1001\nsip line1 password: s\n");
  Result<std::string> log = std::string("boot\ncrash at 0xdeadbeef\n");
  std::string mac = "00:08:5d:1a:2b:3c";
};

class TransferFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/tr69-transfer-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir = pattern;
  }
  void TearDown() override {
    manager.reset();
    std::error_code error;
    std::filesystem::remove_all(dir, error);
  }

  TransferOptions options() {
    TransferOptions o;
    o.stateDir = dir;
    o.connectTimeout = std::chrono::seconds(5);
    o.stallTimeout = std::chrono::seconds(10);
    o.progressInterval = std::chrono::seconds(1);
    o.minFreeBytes = 0;
    return o;
  }

  void makeManager() { makeManager(options()); }
  void makeManager(TransferOptions o) {
    manager.reset();
    TransferManager::Events events;
    events.onResult = [this](const TransferResult& r) { results.push_back(r); };
    events.onFirmwareReady = [this] { ++firmwareReadyCalls; };
    manager = std::make_unique<TransferManager>(loop, logger, device, std::move(o), events);
  }

  // Runs the loop until `done` holds, at most `limit` (a generous bound, not a timing check).
  bool runUntil(const std::function<bool()>& done,
                std::chrono::seconds limit = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      loop.runOnce(std::chrono::milliseconds(20));
    }
    return done();
  }
  void drain() {
    for (int i = 0; i < 5; ++i)
      loop.runOnce(std::chrono::milliseconds(1));
  }

  std::filesystem::path dir;
  EventLoop loop;
  LogCapture capture;
  Logger logger = capture.logger();
  FakeDevice device;
  std::vector<TransferResult> results;
  int firmwareReadyCalls = 0;
  std::unique_ptr<TransferManager> manager;
};

inline std::string patternBytes(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    out[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return out;
}

// A test server handler that answers every request with 200 and `body`, after `delay`.
inline transport::testing::TestHttpServer::Handler serving(
    std::string body, std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
  return [body = std::move(body), delay](const transport::testing::TestRequest&) {
    transport::testing::TestResponse response;
    response.body = body;
    response.delay = delay;
    return response;
  };
}

}  // namespace tr69::transfer::testing
