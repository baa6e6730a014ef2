// Helpers shared by the config tests: a scratch config directory per test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "tr69/base/file_util.h"
#include "tr69/base/log.h"
#include "tr69/config/config_store.h"

namespace tr69::config::testing {

inline std::filesystem::path dataDir() {
  return std::filesystem::path(TR69_SOURCE_DIR) / "tests" / "config" / "data";
}

class ConfigDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tr69-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(dir_, ec);
  }

  void write(std::string_view name, std::string_view content) {
    ASSERT_TRUE(writeFileAtomic(dir_ / std::string(name), content).ok());
  }
  std::string read(std::string_view name) const {
    auto text = readFile(dir_ / std::string(name));
    return text.ok() ? *text : std::string("<missing>");
  }
  ConfigStoreOptions options() const { return {dir_, "6737i", "00:08:5d:1a:2b:3c"}; }

  std::filesystem::path dir_;
  LogCapture capture_;
  Logger log_ = capture_.logger();
};

}  // namespace tr69::config::testing
