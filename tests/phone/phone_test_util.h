// Shared fixture of the phone tests: a scratch directory with a config dir (server files from
// tests/phone/data/server plus a case's local.cfg), a state dir, a fake live system, and a real
// model::Tree over PhoneStorage.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tr69/base/file_util.h"
#include "tr69/base/log.h"
#include "tr69/datamodel/descriptor.h"
#include "tr69/datamodel/dm.h"
#include "tr69/model/tree.h"
#include "tr69/phone/phone_storage.h"

namespace tr69::phone::testing {

inline std::filesystem::path dataDir() {
  return std::filesystem::path(TR69_SOURCE_DIR) / "tests" / "phone" / "data";
}

inline std::string slurp(const std::filesystem::path& path) {
  auto text = readFile(path);
  return text ? *text : std::string("<missing ") + path.string() + ">";
}

class FakeLive final : public LiveSystem {
 public:
  std::chrono::seconds uptime() const override {
    ++uptimeReads;
    return std::chrono::seconds(4242);
  }
  NetworkState network() const override {
    ++networkReads;
    return net;
  }
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::from_time_t(1'800'000'000);
  }
  NetworkState net{"eth0",          "192.0.2.50",
                   "255.255.255.0", "00:08:5D:1A:2B:3C",
                   "192.0.2.1",     {"192.0.2.53", "198.51.100.53"}};
  mutable int uptimeReads = 0;
  mutable int networkReads = 0;
};

inline constexpr const char* kIdentityText =
    "model: 6757i\nmac: 00:08:5d:1a:2b:3c\nserial: SN0001\nsoftware version: 3.3.1.4322\n"
    "hardware version: 6757i Rev 3\n";

class PhoneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("tr69-phone-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    configDir_ = root_ / "config";
    stateDir_ = root_ / "state";
    std::filesystem::create_directories(configDir_);
    std::filesystem::create_directories(stateDir_);
    for (const auto& entry : std::filesystem::directory_iterator(dataDir() / "server")) {
      std::filesystem::copy_file(entry.path(), configDir_ / entry.path().filename());
    }
    auto id = Identity::parse(kIdentityText, "identity", log_);
    ASSERT_TRUE(id.ok()) << id.fault().message;
    identity_ = *id;
    applyLog_ = root_ / "apply.log";
    applyScript_ = root_ / "apply.sh";
    writeScript(applyScript_,
                "#!/bin/sh\necho \"$*|$TR69_APPLY_LINES\" >> '" + applyLog_.string() + "'\n");
  }
  void TearDown() override {
    tree_.reset();
    storage_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  void writeScript(const std::filesystem::path& path, const std::string& text) {
    ASSERT_TRUE(writeFileAtomic(path, text, 0755).ok());
  }

  // Copies data/<case>/before/local.cfg (when the case has one) and builds the stack.
  void useCase(const std::string& name) {
    const auto before = dataDir() / name / "before" / "local.cfg";
    if (std::filesystem::exists(before)) {
      std::filesystem::copy_file(before, configDir_ / "local.cfg",
                                 std::filesystem::copy_options::overwrite_existing);
    }
    build();
  }

  void build() {
    tree_.reset();
    storage_.reset();
    store_.reset();
    store_ = std::make_unique<config::ConfigStore>(
        config::ConfigStoreOptions{configDir_, identity_.model, identity_.mac}, log_);
    PhoneStorageOptions options;
    options.storedFile = stateDir_ / "stored.xml";
    options.applyCommand = ApplyCommand::fromString(applyScript_.string());
    storage_ = std::make_unique<PhoneStorage>(datamodel::aastraModel(), identity_, *store_, live_,
                                              agent_, options, log_);
    tree_ =
        std::make_unique<model::Tree>(datamodel::aastraModel(), *storage_, storage_->lineCount());
  }

  model::SetOutcome set(std::vector<model::SetRequest> requests) {
    return tree_->setValues(requests, model::ChangeCause::kAcs);
  }
  model::SetOutcome set1(const std::string& name, const std::string& value) {
    return set({{name, value, std::nullopt}});
  }
  std::string get(const std::string& name) {
    std::vector<std::string> names{name};
    auto values = tree_->getValues(names);
    if (!values) return "<fault " + values.fault().message + ">";
    if (values->size() != 1) return "<" + std::to_string(values->size()) + " values>";
    return (*values)[0].value;
  }
  std::string local() const { return slurp(configDir_ / "local.cfg"); }
  std::string expected(const std::string& name) const {
    return slurp(dataDir() / name / "after" / "local.cfg");
  }
  std::vector<std::string> applyCalls() const {
    std::vector<std::string> calls;
    std::string text = std::filesystem::exists(applyLog_) ? slurp(applyLog_) : std::string();
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      calls.push_back(text.substr(pos, nl - pos));
      pos = nl == std::string::npos ? text.size() : nl + 1;
    }
    return calls;
  }

  static constexpr const char* kProfile = "Device.Services.VoiceService.1.VoiceProfile.";
  static constexpr const char* kGlobal =
      "Device.Services.VoiceService.1.X_Aastra_GlobalVoiceProfile.";

  std::filesystem::path root_, configDir_, stateDir_, applyLog_, applyScript_;
  LogCapture capture_;
  Logger log_ = capture_.logger();
  Identity identity_;
  FakeLive live_;
  AgentValues agent_;
  std::unique_ptr<config::ConfigStore> store_;
  std::unique_ptr<PhoneStorage> storage_;
  std::unique_ptr<model::Tree> tree_;
};

}  // namespace tr69::phone::testing
