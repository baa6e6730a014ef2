#include "tr69/base/file_util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace tr69 {
namespace {

class FileUtilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tr69-file-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(FileUtilTest, AtomicWriteCreatesAndReplaces) {
  const auto path = dir_ / "state.xml";
  ASSERT_TRUE(writeFileAtomic(path, "one").ok());
  EXPECT_EQ(*readFile(path), "one");
  ASSERT_TRUE(writeFileAtomic(path, "two, longer").ok());
  EXPECT_EQ(*readFile(path), "two, longer");
  // No temp files are left behind.
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(FileUtilTest, AtomicWriteSetsMode) {
  const auto path = dir_ / "secret";
  ASSERT_TRUE(writeFileAtomic(path, "pw", 0600).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(FileUtilTest, AtomicWriteIntoMissingDirectoryFails) {
  const Status s = writeFileAtomic(dir_ / "nope" / "file", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.fault().code, FaultCode::kInternalError);
}

TEST_F(FileUtilTest, ReadMissingFileIsNotFound) {
  auto r = readFile(dir_ / "missing");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.fault().message.find("not found"), std::string::npos);
}

TEST_F(FileUtilTest, ReadRefusesOversizedFile) {
  const auto path = dir_ / "big";
  std::ofstream(path) << std::string(1000, 'x');
  auto r = readFile(path, 999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.fault().code, FaultCode::kResourcesExceeded);
  EXPECT_TRUE(readFile(path, 1000).ok());
}

TEST_F(FileUtilTest, ReadDirectoryIsAnError) {
  auto r = readFile(dir_);
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace tr69
