#include "tr69/tr69d/lifecycle.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "tr69/base/file_util.h"

namespace tr69::daemon {
namespace {

namespace fs = std::filesystem;

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tr69-life-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "config");
    options_.configDir = dir_ / "config";
    options_.stateDir = dir_ / "state";
    options_.identityFile = dir_ / "config" / "identity";
    std::ofstream(dir_ / "config" / "aastra.cfg") << "tr69 server: http://127.0.0.1:1/\n";
    std::ofstream(options_.identityFile) << "model: 6757i\n";
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }
  fs::path dir_;
  Options options_;
};

TEST_F(LifecycleTest, PidFileHoldsPidAndExcludesASecondInstance) {
  const fs::path path = dir_ / "tr69d.pid";
  {
    auto first = PidFile::acquire(path);
    ASSERT_TRUE(first.ok()) << first.fault().message;
    EXPECT_EQ(*readFile(path), std::to_string(::getpid()) + "\n");
    auto second = PidFile::acquire(path);
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.fault().message.find("already running"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(PidFile::acquire(path).ok());
}

TEST_F(LifecycleTest, PidFileInMissingDirectoryFails) {
  EXPECT_FALSE(PidFile::acquire(dir_ / "missing" / "tr69d.pid").ok());
}

TEST_F(LifecycleTest, SignalsArriveThroughTheFd) {
  auto signals = SignalFd::open({SIGHUP, SIGUSR1});
  ASSERT_TRUE(signals.ok());
  EXPECT_EQ(signals->read(), 0);
  ASSERT_EQ(::kill(::getpid(), SIGUSR1), 0);
  EXPECT_EQ(signals->read(), SIGUSR1);
  EXPECT_EQ(signals->read(), 0);
}

TEST_F(LifecycleTest, StartupCreatesStateDirAndAcceptsAGoodSetup) {
  ASSERT_TRUE(checkStartup(options_).ok());
  EXPECT_TRUE(fs::is_directory(options_.stateDir));
}

TEST_F(LifecycleTest, StartupNamesWhatIsMissing) {
  fs::remove(options_.configDir / "aastra.cfg");
  auto s = checkStartup(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("aastra.cfg"), std::string::npos);

  options_.configDir = dir_ / "nowhere";
  s = checkStartup(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("does not exist"), std::string::npos);
}

TEST_F(LifecycleTest, StartupRefusesMissingIdentity) {
  fs::remove(options_.identityFile);
  auto s = checkStartup(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("identity"), std::string::npos);
}

TEST_F(LifecycleTest, StartupRefusesStateDirThatCannotBeCreated) {
  std::ofstream(dir_ / "file") << "x";
  options_.stateDir = dir_ / "file" / "state";
  auto s = checkStartup(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("cannot create state dir"), std::string::npos);
}

TEST_F(LifecycleTest, StartupRefusesDirectoriesWhereFilesBelong) {
  // These fail for root too, unlike mode-000 files.
  fs::remove(options_.configDir / "aastra.cfg");
  fs::create_directory(options_.configDir / "aastra.cfg");
  auto s = checkStartup(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("aastra.cfg: is a directory"), std::string::npos);

  fs::remove(options_.configDir / "aastra.cfg");
  std::ofstream(options_.configDir / "aastra.cfg") << "tr69: 1\n";
  fs::remove(options_.identityFile);
  fs::create_directory(options_.identityFile);
  s = checkStartup(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("identity: is a directory"), std::string::npos);
}

TEST_F(LifecycleTest, StartupRefusesFilesWhereDirectoriesBelong) {
  std::ofstream(dir_ / "file") << "x";
  options_.stateDir = dir_ / "file";
  auto s = checkStartup(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("cannot create state dir"), std::string::npos);
  EXPECT_NE(s.fault().message.find("a file of that name exists"), std::string::npos);

  options_.configDir = dir_ / "file";
  s = checkStartup(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("is not a directory"), std::string::npos);
}

TEST_F(LifecycleTest, StartupRefusesUnwritableStateDir) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can write anywhere; permission check not testable";
  fs::create_directories(options_.stateDir);
  fs::permissions(options_.stateDir, fs::perms::owner_read | fs::perms::owner_exec);
  auto s = checkStartup(options_);
  fs::permissions(options_.stateDir, fs::perms::owner_all);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.fault().message.find("not writable"), std::string::npos);
}

}  // namespace
}  // namespace tr69::daemon
