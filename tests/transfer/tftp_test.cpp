// Downloads and uploads over TFTP against Debian's tftpd-hpa (in.tftpd) on loopback. Skipped
// with a message when in.tftpd is not installed or cannot chroot (it needs root for --secure).
// TR69_IN_TFTPD may name the binary (e.g. one unpacked from the .deb for a local run).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "transfer/transfer_test_util.h"

namespace tr69::transfer {
namespace {

std::string findTftpd() {
  if (const char* configured = std::getenv("TR69_IN_TFTPD"); configured && *configured) {
    return configured;
  }
  for (const char* candidate : {"/usr/sbin/in.tftpd", "/sbin/in.tftpd"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

int freeUdpPort() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class TftpTest : public testing::TransferFixture {
 protected:
  void SetUp() override {
    TransferFixture::SetUp();
    const std::string tftpd = findTftpd();
    if (tftpd.empty()) {
      GTEST_SKIP() << "in.tftpd (Debian package tftpd-hpa) is not installed: TFTP tests skipped";
    }
    if (::geteuid() != 0) {
      GTEST_SKIP() << "in.tftpd --secure needs root to chroot: TFTP tests skipped";
    }
    root = dir / "tftp-root";
    std::filesystem::create_directories(root);
    port = freeUdpPort();
    const std::string address = "127.0.0.1:" + std::to_string(port);
    pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::execl(tftpd.c_str(), tftpd.c_str(), "--foreground", "--address", address.c_str(),
              "--secure", "--create", "--permissive", "--user", "root", root.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Ready when a probe file can be fetched (bounded wait).
    std::ofstream(root / "probe") << "probe";
    bool ready = false;
    for (int i = 0; i < 50 && !ready; ++i) {
      CURL* easy = curl_easy_init();
      const std::string url = base() + "probe";
      curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
      curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 500L);
      curl_easy_setopt(
          easy, CURLOPT_WRITEFUNCTION,
          +[](char*, std::size_t size, std::size_t count, void*) { return size * count; });
      ready = curl_easy_perform(easy) == CURLE_OK;
      curl_easy_cleanup(easy);
      if (!ready) ::usleep(100 * 1000);
    }
    if (!ready) GTEST_SKIP() << "in.tftpd did not answer on " << address << ": TFTP tests skipped";
  }
  void TearDown() override {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
    TransferFixture::TearDown();
  }
  std::string base() const { return "tftp://127.0.0.1:" + std::to_string(port) + "/"; }
  TransferResult waitResult() {
    const std::size_t before = results.size();
    EXPECT_TRUE(runUntil([&] { return results.size() > before; }));
    return results.empty() ? TransferResult{} : results.back();
  }

  std::filesystem::path root;
  int port = 0;
  pid_t pid = -1;
};

TEST_F(TftpTest, FirmwareDownload) {
  const std::string image = testing::patternBytes(200 * 1024 + 17);
  std::ofstream(root / "fw.bin", std::ios::binary) << image;
  makeManager();
  DownloadRequest request;
  request.commandKey = "tftp-fw";
  request.fileType = std::string(kFirmwareImage);
  request.url = base() + "fw.bin";
  request.fileSize = image.size();
  ASSERT_TRUE(manager->download(request).ok());
  ASSERT_TRUE(runUntil([&] { return manager->firmwareReady(); }));
  ASSERT_TRUE(manager->installPendingFirmware().ok());
  EXPECT_EQ(device.installedImages.at(0), image);
  EXPECT_EQ(results.at(0).faultCode, FaultCode::kNone);
}

TEST_F(TftpTest, MissingFileIs9016) {
  makeManager();
  DownloadRequest request;
  request.commandKey = "tftp-missing";
  request.fileType = std::string(kDownloadConfigFile);
  request.url = base() + "nothing-here.cfg";
  ASSERT_TRUE(manager->download(request).ok());
  EXPECT_EQ(waitResult().faultCode, FaultCode::kAccessFileFailure);
}

TEST_F(TftpTest, ConfigBackupAndLogUploads) {
  device.log = testing::patternBytes(70 * 1024);
  makeManager();
  UploadRequest request;
  request.commandKey = "tftp-up";
  request.fileType = std::string(kUploadConfigFile);
  request.url = base();
  ASSERT_TRUE(manager->upload(request).ok());
  EXPECT_EQ(waitResult().faultCode, FaultCode::kNone);
  auto stored = readFile(root / "00085D1A2B3C_local.cfg");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, *device.backup);

  request.fileType = std::string(kUploadLogFile);
  ASSERT_TRUE(manager->upload(request).ok());
  EXPECT_EQ(waitResult().faultCode, FaultCode::kNone);
  std::string logName;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (entry.path().string().ends_with("_crash.log")) logName = entry.path().string();
  }
  ASSERT_FALSE(logName.empty());
  EXPECT_EQ(*readFile(logName), *device.log);
}

}  // namespace
}  // namespace tr69::transfer
