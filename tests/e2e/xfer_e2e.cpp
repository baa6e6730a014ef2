// End to end: file transfers and the device lifecycle through the real tr69d process (issue 9
// item 5), against tr69-test-acs and its file server on loopback (label e2e). Every wait is
// bounded; the fixture prints the ACS transcript and the daemon's log when a test fails.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <thread>

#include "acs/agent_fixture.h"
#include "acs/connreq_client.h"
#include "acs/file_server.h"
#include "acs/tls_certs.h"
#include "tr69/base/datetime.h"
#include "tr69/base/unique_fd.h"
#include "xfer_e2e_util.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;
using namespace xfer;
namespace fs = std::filesystem;

constexpr const char* kFirmware = "1 Firmware Upgrade Image";
constexpr const char* kConfig = "3 Vendor Configuration File";

std::string pattern(std::size_t size, char salt = 0) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    out[i] = static_cast<char>((i * 131 + i / 251 + static_cast<std::size_t>(salt)) & 0xff);
  return out;
}

class XferE2e : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    FileServerOptions plain;
    plain.transcript = acs().transcriptHandle();
    ASSERT_TRUE(files_.start(plain).ok());
    FileServerOptions protectedFiles;
    protectedFiles.auth = AuthMode::kDigest;
    protectedFiles.username = "fw-user";
    protectedFiles.password = "fw-secret";
    protectedFiles.transcript = acs().transcriptHandle();
    ASSERT_TRUE(authFiles_.start(protectedFiles).ok());
  }
  void TearDown() override {
    AgentTest::TearDown();
    files_.stop();
    authFiles_.stop();
  }

  std::string root() { return environment().root(); }
  std::string stateDir() { return environment().stateDir(); }
  std::string localCfg() { return fileText(environment().configDir() + "/local.cfg"); }

  // tr69d with the test firmware and apply commands (reboot: re-exec unless extra args say).
  void start(std::vector<std::string> extra = {}) {
    const std::string firmware = writeFirmwareScript(root(), stateDir() + "/tr69d.pid");
    const std::string apply = writeApplyScript(root());
    std::vector<std::string> args = {"--firmware-command", firmware, "--apply-command", apply};
    args.insert(args.end(), extra.begin(), extra.end());
    startAgent(args);
  }
  void crashAgent() {
    ASSERT_TRUE(agent().signal(SIGKILL));
    (void)agent().waitExit(5s);
  }
  void expectNoAcsFailures() {
    for (const std::string& failure : acs().failures())
      ADD_FAILURE() << failure;
  }
  std::vector<std::string> partialFiles() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(stateDir() + "/transfers", ec)) {
      if (e.path().extension() == ".part") out.push_back(e.path().filename().string());
    }
    return out;
  }
  void connectionRequest() {
    const auto reply = sendHttpConnectionRequest(connectionRequestUrl(), "cr-user", "cr-secret");
    EXPECT_TRUE(reply.status == 200 || reply.status == 204) << reply.status << " " << reply.error;
  }
  // The next sessions not covered by the scenario follow these scripts, in order.
  void nextScripts(std::vector<SessionScript> scripts) {
    auto queue = std::make_shared<std::vector<SessionScript>>(std::move(scripts));
    acs().setScriptProvider([queue](std::size_t) -> std::optional<SessionScript> {
      if (queue->empty()) return std::nullopt;
      SessionScript next = queue->front();
      queue->erase(queue->begin());
      return next;
    });
  }
  static SessionScript steps(std::vector<Step> list) {
    SessionScript script;
    script.steps = std::move(list);
    return script;
  }

  FileServer files_;
  FileServer authFiles_;
};

// ---- 1. firmware ------------------------------------------------------------------------------

TEST_F(XferE2e, FirmwareIsFetchedWithCredentialsInstalledAndReportedAfterTheReboot) {
  const std::string image = pattern(200 * 1024);
  authFiles_.addFile("fw.img", image);
  Scenario scenario;
  scenario.sessions.push_back(steps(
      {Step::rpc(download("fw-1", kFirmware, authFiles_.url("fw.img"),
                          static_cast<std::uint32_t>(image.size()), 2, "fw-user", "fw-secret"),
                 accepted())}));
  SessionScript afterReboot;
  afterReboot.expectEvents = {{"1 BOOT", std::nullopt},
                              {"7 TRANSFER COMPLETE", std::nullopt},
                              {"M Download", std::string("fw-1")}};
  afterReboot.forbidEvents = {"0 BOOTSTRAP"};
  scenario.sessions.push_back(afterReboot);
  acs().setScenario(scenario);
  start();  // no --reboot-command: the reboot re-executes tr69d
  if (IsSkipped()) return;

  ASSERT_TRUE(waitForTransferComplete(acs(), "fw-1", 40s));
  const auto sessions = acs().sessions();
  // DelaySeconds: the file was not asked for before 2 s after the Download was accepted.
  const auto fetched = authFiles_.firstRequestAt("fw.img");
  ASSERT_TRUE(fetched.has_value());
  EXPECT_GE(*fetched - sessions[0].informAt, 2s);
  // Installed: the command got the image in the state directory, byte for byte.
  EXPECT_EQ(fileText(root() + "/fw-content"), image);
  EXPECT_NE(fileText(root() + "/fw-args").find(stateDir() + "/transfers/"), std::string::npos);
  // Reported after the reboot, in a session of its own, once, with real times.
  const auto tcs = transferCompletes(sessions, "fw-1");
  ASSERT_EQ(tcs.size(), 1u);
  EXPECT_EQ(tcs[0].faultCode, 0u);
  const auto startTime = parseDateTime(tcs[0].startTime);
  const auto completeTime = parseDateTime(tcs[0].completeTime);
  ASSERT_TRUE(startTime && completeTime);
  EXPECT_FALSE(startTime->isUnknown());
  EXPECT_FALSE(completeTime->isUnknown());
  EXPECT_LE(tcs[0].startTime, tcs[0].completeTime);
  const int reported = sessionWithEvent(sessions, "M Download", "fw-1");
  ASSERT_GE(reported, 1);
  EXPECT_TRUE(sessions[static_cast<std::size_t>(reported)].inform.hasEvent("1 BOOT"));
  EXPECT_TRUE(partialFiles().empty());
  EXPECT_FALSE(fs::exists(stateDir() + "/transfers/firmware.img"));
  expectNoAcsFailures();
}

TEST_F(XferE2e, DownloadFailuresMapToTheirFaultCodes) {
  authFiles_.addFile("fw.img", pattern(4096));
  files_.addFile("fw.img", pattern(4096));
  files_.addFile("gone.img", "x");
  files_.setBehaviour("gone.img", {FileBehaviour::Kind::kNotFound, 0});
  files_.addFile("corrupt.img", "CORRUPT" + pattern(1000));
  const std::string unreachable = "http://127.0.0.1:" + std::to_string(findFreeTcpPort()) + "/x";
  Scenario scenario;
  scenario.sessions.push_back(steps({
      Step::rpc(download("unreachable", kFirmware, unreachable), accepted()),
      Step::rpc(download("not-found", kFirmware, files_.url("gone.img")), accepted()),
      Step::rpc(
          download("bad-password", kFirmware, authFiles_.url("fw.img"), 0, 0, "fw-user", "wrong"),
          accepted()),
      Step::rpc(download("size-mismatch", kFirmware, files_.url("fw.img"), 4097), accepted()),
      Step::rpc(download("corrupt", kFirmware, files_.url("corrupt.img")), accepted()),
      // Refused at once: FileTypes this phone has no use for, unknown ones, unknown schemes.
      Step::rpc(download("web", "2 Web Content", files_.url("fw.img")), Expectation::fault(9001)),
      Step::rpc(download("bogus", "9 Nonsense", files_.url("fw.img")), Expectation::fault(9003)),
      Step::rpc(download("sftp", kFirmware, "sftp://127.0.0.1/fw.img"), Expectation::fault(9013)),
      Step::rpc(download("huge", kFirmware, files_.url("fw.img"), 0xFFFFFFFFu),
                Expectation::fault(9004)),
  }));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  const std::vector<std::pair<std::string, std::uint32_t>> expected = {{"unreachable", 9015},
                                                                       {"not-found", 9016},
                                                                       {"bad-password", 9012},
                                                                       {"size-mismatch", 9018},
                                                                       {"corrupt", 9010}};
  for (const auto& [key, code] : expected) {
    ASSERT_TRUE(waitForTransferComplete(acs(), key, 60s)) << key;
  }
  ASSERT_TRUE(acs().waitUntil([](const auto& s) { return !s.empty() && s.back().completed; }, 20s));
  const auto sessions = acs().sessions();
  for (const auto& [key, code] : expected) {
    const auto tcs = transferCompletes(sessions, key);
    ASSERT_EQ(tcs.size(), 1u) << key;
    EXPECT_EQ(tcs[0].faultCode, code) << key << ": " << tcs[0].faultString;
    EXPECT_FALSE(tcs[0].faultString.empty()) << key;
  }
  for (const char* refused : {"web", "bogus", "sftp", "huge"}) {
    EXPECT_TRUE(transferCompletes(sessions, refused).empty()) << refused;
  }
  // The corrupt image reached the install command, which refused it; nothing rebooted.
  EXPECT_NE(fileText(root() + "/fw-content").find("CORRUPT"), std::string::npos);
  EXPECT_TRUE(agent().running());
  EXPECT_TRUE(partialFiles().empty());
  expectNoAcsFailures();
}

// Disk full: the state directory's transfers/ on a tiny tmpfs (needs CAP_SYS_ADMIN; skipped
// otherwise). The agent refuses before writing when free space is below the announced size plus
// its reserve, and ENOSPC while writing maps the same way: 9010 with "not enough space".
TEST_F(XferE2e, DiskFullIs9010) {
  const std::string transfers = stateDir() + "/transfers";
  fs::create_directories(transfers);
  if (::mount("tmpfs", transfers.c_str(), "tmpfs", 0, "size=256k") != 0) {
    GTEST_SKIP() << "cannot mount a small tmpfs (needs root/CAP_SYS_ADMIN): disk-full test skipped";
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{transfers};
  files_.addFile("big.img", pattern(512 * 1024));
  Scenario scenario;
  scenario.sessions.push_back(
      steps({Step::rpc(download("full", kFirmware, files_.url("big.img")), accepted())}));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForTransferComplete(acs(), "full", 40s));
  const auto tcs = transferCompletes(acs().sessions(), "full");
  ASSERT_EQ(tcs.size(), 1u);
  EXPECT_EQ(tcs[0].faultCode, 9010u);
  EXPECT_NE(tcs[0].faultString.find("space"), std::string::npos) << tcs[0].faultString;
  EXPECT_TRUE(fileText(root() + "/fw-content").empty());
  (void)stopAgent();
}

// ---- 2. vendor configuration file ------------------------------------------------------------

TEST_F(XferE2e, ConfigFileIsAppliedAndAnInvalidOneRefused) {
  const std::string good =
      "sip line2 proxy ip: cfg.example.com\nsip line2 auth name: 3001\n# from the ACS\n";
  files_.addFile("good.cfg", good);
  files_.addFile("bad.cfg", "sip line1 proxy ip pbx\n\x01\x02 garbage without a colon\n");
  Scenario scenario;
  scenario.sessions.push_back(
      steps({Step::rpc(download("cfg-good", kConfig, files_.url("good.cfg")), accepted())}));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForTransferComplete(acs(), "cfg-good", 30s));
  EXPECT_EQ(transferCompletes(acs().sessions(), "cfg-good")[0].faultCode, 0u);
  EXPECT_EQ(localCfg(), good);
  ASSERT_TRUE(acs().waitUntil([](const auto& s) { return s.back().completed; }, 20s));
  EXPECT_NE(fileText(root() + "/apply-args").find("2"), std::string::npos)
      << "apply command not run for line 2: '" << fileText(root() + "/apply-args") << "'";

  nextScripts(
      {steps({Step::rpc(download("cfg-bad", kConfig, files_.url("bad.cfg")), accepted())})});
  connectionRequest();
  ASSERT_TRUE(waitForTransferComplete(acs(), "cfg-bad", 30s));
  const auto tcs = transferCompletes(acs().sessions(), "cfg-bad");
  ASSERT_EQ(tcs.size(), 1u);
  EXPECT_EQ(tcs[0].faultCode, 9018u) << tcs[0].faultString;
  EXPECT_EQ(localCfg(), good) << "an invalid file changed local.cfg";
  expectNoAcsFailures();
}

// HTTPS file servers are verified against `tr69 trusted certificates` (the ACS's trust): a
// server certificate from that CA is accepted, one from another CA fails with 9015.
TEST_F(XferE2e, HttpsDownloadsAreVerifiedAgainstTheTrustedCertificates) {
  auto pki = createTestPki();
  ASSERT_TRUE(pki.ok());
  auto otherPki = createTestPki();
  ASSERT_TRUE(otherPki.ok());
  auto httpsServer = [](const PemPair& certificate) {
    FileServerOptions options;
    TlsSettings tls;
    tls.certificatePem = certificate.certificate;
    tls.privateKeyPem = certificate.privateKey;
    options.http.tls = tls;
    return options;
  };
  FileServer trusted;
  ASSERT_TRUE(trusted.start(httpsServer(pki->server)).ok());
  FileServer untrusted;
  ASSERT_TRUE(untrusted.start(httpsServer(otherPki->server)).ok());
  const std::string lineConfig = "sip line3 auth name: 4001\n";
  trusted.addFile("line3.cfg", lineConfig);
  untrusted.addFile("line3.cfg", "sip line3 auth name: 6666\n");
  ASSERT_TRUE(trusted.url("x").starts_with("https://"));
  ASSERT_TRUE(
      writeFileAtomic(environment().configDir() + "/acs-ca.pem", pki->ca.certificate, 0600).ok());
  config().extraLines = {"tr69 trusted certificates: acs-ca.pem"};
  Scenario scenario;
  scenario.sessions.push_back(steps(
      {Step::rpc(download("https-good", kConfig, trusted.url("line3.cfg")), accepted()),
       Step::rpc(download("https-untrusted", kConfig, untrusted.url("line3.cfg")), accepted())}));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForTransferComplete(acs(), "https-good", 30s));
  ASSERT_TRUE(waitForTransferComplete(acs(), "https-untrusted", 30s));
  const auto sessions = acs().sessions();
  const auto good = transferCompletes(sessions, "https-good");
  ASSERT_EQ(good.size(), 1u);
  EXPECT_EQ(good[0].faultCode, 0u) << good[0].faultString;
  const auto bad = transferCompletes(sessions, "https-untrusted");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].faultCode, 9015u) << bad[0].faultString;
  EXPECT_EQ(localCfg(), lineConfig) << "the untrusted server's file was applied";
  EXPECT_FALSE(untrusted.firstRequestAt("line3.cfg").has_value())
      << "the file was fetched despite the failed verification";
  expectNoAcsFailures();
}

// ---- 3. uploads -----------------------------------------------------------------------------

TEST_F(XferE2e, BothUploadKindsArriveByteForByteOverHttpPut) {
  Scenario scenario;
  scenario.sessions.push_back(steps({
      Step::rpc(
          setParameterValues({{"Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer",
                               "up.example", "xsd:string"}},
                             "k1")),
      Step::rpc(upload("up-cfg", "1 Vendor Configuration File", files_.url("")), accepted()),
      Step::rpc(upload("up-log", "2 Vendor Log File", files_.url("")), accepted()),
  }));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  ASSERT_TRUE(waitForTransferComplete(acs(), "up-cfg", 30s));
  ASSERT_TRUE(waitForTransferComplete(acs(), "up-log", 30s));
  const std::string mac = identity().mac;
  const auto config = files_.upload(mac + "_local.cfg");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(*config, localCfg());
  EXPECT_NE(config->find("up.example"), std::string::npos);
  const std::regex logName(mac + "_[0-9]{14}_crash\\.log");
  const std::string transcript = acs().transcript();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(transcript, match, logName)) << "no crash log upload";
  const auto log = files_.upload(match.str());
  ASSERT_TRUE(log.has_value());
  EXPECT_EQ(log->rfind("tr69d log for " + identity().model + " " + mac + "\n", 0), 0u) << *log;
  for (const char* key : {"up-cfg", "up-log"}) {
    const auto tcs = transferCompletes(acs().sessions(), key);
    ASSERT_EQ(tcs.size(), 1u) << key;
    EXPECT_EQ(tcs[0].faultCode, 0u) << key;
  }
  expectNoAcsFailures();
}

// TFTP against Debian's tftpd-hpa (in.tftpd) on loopback; skipped where it cannot run.
class TftpServer {
 public:
  // Empty on success, else why TFTP cannot be tested here.
  std::string start(const std::string& root) {
    std::string binary;
    if (const char* configured = std::getenv("TR69_IN_TFTPD"); configured && *configured) {
      binary = configured;
    } else {
      for (const char* candidate : {"/usr/sbin/in.tftpd", "/sbin/in.tftpd"}) {
        if (::access(candidate, X_OK) == 0) binary = candidate;
      }
    }
    if (binary.empty()) return "in.tftpd (Debian package tftpd-hpa) is not installed";
    if (::geteuid() != 0) return "in.tftpd --secure needs root to chroot";
    fs::create_directories(root);
    // A free UDP port: the TCP probe's number is usually free for UDP too; in.tftpd fails loudly
    // otherwise and the readiness probe below skips the test.
    port_ = findFreeTcpPort();
    const std::string address = "127.0.0.1:" + std::to_string(port_);
    if (!child_.start({binary, "--foreground", "--address", address, "--secure", "--create",
                       "--permissive", "--user", "root", root})) {
      return "in.tftpd cannot be started";
    }
    std::this_thread::sleep_for(200ms);
    if (!child_.running()) return "in.tftpd did not start on " + address;
    return {};
  }
  std::string url() const { return "tftp://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  ChildProcess child_;
  std::uint16_t port_ = 0;
};

// FTP against Debian's pyftpdlib (python3-pyftpdlib) on loopback, one user with write access;
// skipped where it is not installed.
class FtpServer {
 public:
  static constexpr const char* kUser = "ftp-user";
  static constexpr const char* kPassword = "ftp-secret";
  // Empty on success, else why FTP cannot be tested here.
  std::string start(const std::string& root) {
    const char* python = "/usr/bin/python3";  // Debian's, where python3-pyftpdlib installs
    if (::access(python, X_OK) != 0) return "no /usr/bin/python3";
    fs::create_directories(root);
    port_ = findFreeTcpPort();
    if (!child_.start({python, "-m", "pyftpdlib", "--interface", "127.0.0.1", "--port",
                       std::to_string(port_), "--write", "--directory", root, "--username", kUser,
                       "--password", kPassword})) {
      return "python3 cannot be started";
    }
    if (!pollUntil([&] { return !child_.running() || acceptsConnections(); }, 5s) ||
        !child_.running()) {
      return "pyftpdlib (Debian package python3-pyftpdlib) did not listen on 127.0.0.1:" +
             std::to_string(port_);
    }
    return {};
  }
  std::string url() const { return "ftp://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  bool acceptsConnections() const {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return fd.get() >= 0 &&
           ::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ChildProcess child_;
  std::uint16_t port_ = 0;
};

TEST_F(XferE2e, BothUploadKindsAndAFirmwareDownloadOverTftp) {
  TftpServer tftp;
  const std::string tftpRoot = root() + "/tftp";
  if (const std::string why = tftp.start(tftpRoot); !why.empty()) {
    GTEST_SKIP() << why << ": TFTP end-to-end test skipped";
  }
  const std::string image = pattern(70 * 1024, 7);
  (void)writeFileAtomic(tftpRoot + "/fw.img", image, 0644);
  Scenario scenario;
  scenario.sessions.push_back(steps({
      Step::rpc(
          setParameterValues({{"Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer",
                               "tftp.example", "xsd:string"}},
                             "k1")),
      Step::rpc(upload("tftp-cfg", "1 Vendor Configuration File", tftp.url()), accepted()),
      Step::rpc(upload("tftp-log", "2 Vendor Log File", tftp.url()), accepted()),
      Step::rpc(download("tftp-fw", kFirmware, tftp.url() + "fw.img",
                         static_cast<std::uint32_t>(image.size())),
                accepted()),
  }));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  for (const char* key : {"tftp-cfg", "tftp-log", "tftp-fw"}) {
    ASSERT_TRUE(waitForTransferComplete(acs(), key, 60s)) << key;
    const auto tcs = transferCompletes(acs().sessions(), key);
    ASSERT_EQ(tcs.size(), 1u) << key;
    EXPECT_EQ(tcs[0].faultCode, 0u) << key << ": " << tcs[0].faultString;
  }
  const std::string mac = identity().mac;
  EXPECT_EQ(fileText(tftpRoot + "/" + mac + "_local.cfg"), localCfg());
  bool logFound = false;
  for (const auto& entry : fs::directory_iterator(tftpRoot)) {
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, std::regex(mac + "_[0-9]{14}_crash\\.log"))) {
      logFound = true;
      EXPECT_EQ(fileText(entry.path().string()).rfind("tr69d log for ", 0), 0u);
    }
  }
  EXPECT_TRUE(logFound);
  EXPECT_EQ(fileText(root() + "/fw-content"), image);
  expectNoAcsFailures();
}

TEST_F(XferE2e, UploadsAndADownloadOverFtpWithCredentials) {
  FtpServer ftp;
  const std::string ftpRoot = root() + "/ftp";
  if (const std::string why = ftp.start(ftpRoot); !why.empty()) {
    GTEST_SKIP() << why << ": FTP end-to-end test skipped";
  }
  const std::string image = pattern(90 * 1024, 9);
  ASSERT_TRUE(writeFileAtomic(ftpRoot + "/fw.img", image, 0644).ok());
  const std::string user = FtpServer::kUser;
  const std::string password = FtpServer::kPassword;
  Scenario scenario;
  scenario.sessions.push_back(steps({
      Step::rpc(upload("ftp-cfg", "1 Vendor Configuration File", ftp.url(), user, password),
                accepted()),
      Step::rpc(download("ftp-wrong", kFirmware, ftp.url() + "fw.img", 0, 0, user, "wrong"),
                accepted()),
      Step::rpc(download("ftp-fw", kFirmware, ftp.url() + "fw.img",
                         static_cast<std::uint32_t>(image.size()), 0, user, password),
                accepted()),
  }));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  for (const char* key : {"ftp-cfg", "ftp-wrong", "ftp-fw"}) {
    ASSERT_TRUE(waitForTransferComplete(acs(), key, 60s)) << key;
  }
  const auto sessions = acs().sessions();
  const auto uploaded = transferCompletes(sessions, "ftp-cfg");
  ASSERT_EQ(uploaded.size(), 1u);
  EXPECT_EQ(uploaded[0].faultCode, 0u) << uploaded[0].faultString;
  EXPECT_EQ(fileText(ftpRoot + "/" + identity().mac + "_local.cfg"), localCfg());
  const auto refused = transferCompletes(sessions, "ftp-wrong");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].faultCode, 9012u) << refused[0].faultString;
  const auto fetched = transferCompletes(sessions, "ftp-fw");
  ASSERT_EQ(fetched.size(), 1u);
  EXPECT_EQ(fetched[0].faultCode, 0u) << fetched[0].faultString;
  EXPECT_EQ(fileText(root() + "/fw-content"), image);
  EXPECT_EQ(fileText(environment().logFile()).find(password), std::string::npos)
      << "the FTP password was logged";
  expectNoAcsFailures();
}

// ---- 4. the queue through the daemon -----------------------------------------------------------

// A valid configuration file of about `size` bytes (one setting, then comment lines).
std::string bigConfig(std::size_t size) {
  std::string text = "sip line3 proxy ip: slow.example.com\n";
  while (text.size() < size)
    text += "# padding line to make the download take a while\n";
  return text;
}

TEST_F(XferE2e, QueueRpcsWorkWhileAThrottledDownloadRunsAndTransferCompleteIsRepeatedUntilAcked) {
  files_.addFile("slow.cfg", bigConfig(64 * 1024));
  files_.setBehaviour("slow.cfg", {FileBehaviour::Kind::kNormal, 0, 100, 1024});  // ~6 s
  const std::string small = "sip line4 proxy ip: window.example.com\n";
  files_.addFile("window.cfg", small);
  Scenario scenario;
  scenario.sessions.push_back(steps({
      Step::rpc(download("slow-1", kConfig, files_.url("slow.cfg")), accepted()),
      Step::rpc(scheduleDownload("sd-far", kConfig, files_.url("window.cfg"), 3600, 7200)),
      Step::rpc(scheduleDownload("sd-now", kConfig, files_.url("window.cfg"), 1, 120)),
  }));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForCompletedSessions(1, 20s));
  ASSERT_TRUE(pollUntil([&] { return files_.requestCount("slow.cfg") > 0; }, 20s));

  // A connection request while the download runs: the session is not held up by it.
  Expectation queued;
  Expectation allQueued;
  SessionScript during = steps({
      Step::rpc(simpleRequest("GetQueuedTransfers"), queued),
      Step::rpc(simpleRequest("GetAllQueuedTransfers"), allQueued),
      Step::rpc(simpleRequest("CancelTransfer").with("CommandKey", "slow-1")),
      Step::rpc(simpleRequest("CancelTransfer").with("CommandKey", "sd-far")),
      Step::rpc(simpleRequest("CancelTransfer").with("CommandKey", "no-such-key"),
                Expectation::fault(9003)),
  });
  // sd-now's TransferComplete: the ACS fails the first one (fault 8002: the session fails),
  // answers 8005 to the second (resent in the same session), then acknowledges.
  SessionScript failFirst;
  failFirst.cpeRequestFaults = 1;
  failFirst.cpeRequestFault = 8002;
  SessionScript retryInSession;
  retryInSession.cpeRequestFaults = 1;
  retryInSession.cpeRequestFault = 8005;
  nextScripts({during, failFirst, retryInSession});
  connectionRequest();
  ASSERT_TRUE(acs().waitForCompletedSessions(2, 20s));
  auto sessions = acs().sessions();
  ASSERT_GE(sessions.size(), 2u);
  const SessionRecord& cr = sessions[1];
  EXPECT_TRUE(cr.inform.hasEvent("6 CONNECTION REQUEST"));
  ASSERT_EQ(cr.exchanges.size(), 5u);
  const auto& list = cr.exchanges[0].response.transferList;
  auto stateOf = [&](const std::vector<std::map<std::string, std::string>>& l,
                     const std::string& key) -> std::string {
    for (const auto& entry : l) {
      if (entry.count("CommandKey") && entry.at("CommandKey") == key) return entry.at("State");
    }
    return "absent";
  };
  EXPECT_EQ(stateOf(list, "slow-1"), "2");
  EXPECT_EQ(stateOf(list, "sd-far"), "1");
  EXPECT_EQ(stateOf(list, "sd-now"), "1");
  const auto& all = cr.exchanges[1].response.transferList;
  ASSERT_EQ(all.size(), 3u);
  for (const auto& entry : all) {
    EXPECT_TRUE(entry.at("IsDownload") == "true" || entry.at("IsDownload") == "1")
        << entry.at("CommandKey");
    EXPECT_EQ(entry.at("FileType"), kConfig);
  }
  EXPECT_TRUE(transferCompletes(sessions, "slow-1").empty()) << "the slow download had ended";

  // The cancelled download leaves no partial file and never reports.
  ASSERT_TRUE(pollUntil([&] { return partialFiles().empty(); }, 10s));
  // sd-now runs within its window: the first TransferComplete fails the session (retried after
  // the 5-10 s back-off), the next is answered 8005 and resent in the same session, then acked.
  ASSERT_TRUE(waitForTransferComplete(acs(), "sd-now", 40s));
  ASSERT_TRUE(acs().waitUntil([](const auto& s) { return s.back().completed; }, 20s));
  const std::size_t before = acs().sessionCount();
  connectionRequest();  // one more session: nothing is sent again
  ASSERT_TRUE(
      acs().waitUntil([&](const auto& s) { return s.size() > before && s.back().completed; }, 20s));
  sessions = acs().sessions();
  EXPECT_EQ(transferCompletes(sessions, "sd-now", true).size(), 3u)
      << "failed once, 8005 once, acknowledged once";
  const auto tcs = transferCompletes(sessions, "sd-now");
  ASSERT_EQ(tcs.size(), 1u);
  EXPECT_EQ(tcs[0].faultCode, 0u);
  const int first = sessionWithEvent(sessions, "M ScheduleDownload", "sd-now");
  ASSERT_GE(first, 2) << "TransferComplete must come in a session of its own";
  EXPECT_FALSE(sessions.back().inform.hasEvent("M ScheduleDownload", "sd-now"));
  EXPECT_TRUE(transferCompletes(sessions, "slow-1").empty());
  EXPECT_TRUE(transferCompletes(sessions, "sd-far").empty());
  EXPECT_EQ(files_.requestCount("window.cfg"), 1u);
  EXPECT_NE(localCfg().find("window.example.com"), std::string::npos);
  EXPECT_EQ(localCfg().find("slow.example.com"), std::string::npos);
}

// ---- 5. kill -9 -------------------------------------------------------------------------------

TEST_F(XferE2e, KillDuringADownloadRestartsItAndReportsOnce) {
  const std::string image = pattern(48 * 1024, 3);
  files_.addFile("fw.img", image);
  files_.setBehaviour("fw.img", {FileBehaviour::Kind::kNormal, 0, 50, 2048});  // ~1.2 s
  Scenario scenario;
  scenario.sessions.push_back(steps({
      Step::rpc(download("fw-kill", kFirmware, files_.url("fw.img"),
                         static_cast<std::uint32_t>(image.size())),
                accepted()),
      Step::rpc(download("later", kConfig, files_.url("none.cfg"), 0, 3600), accepted()),
  }));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  ASSERT_TRUE(pollUntil([&] { return files_.requestCount("fw.img") > 0; }, 20s));
  std::this_thread::sleep_for(400ms);
  crashAgent();
  EXPECT_FALSE(partialFiles().empty()) << "the kill came too late to interrupt the download";
  start();
  ASSERT_TRUE(waitForTransferComplete(acs(), "fw-kill", 40s));
  // Let the sessions that follow run; nothing is reported twice.
  SessionScript check = steps({Step::rpc(simpleRequest("GetQueuedTransfers"))});
  nextScripts({check});
  connectionRequest();
  ASSERT_TRUE(acs().waitUntil(
      [](const auto& s) { return !s.back().exchanges.empty() && s.back().completed; }, 20s));
  const auto sessions = acs().sessions();
  const auto tcs = transferCompletes(sessions, "fw-kill");
  ASSERT_EQ(tcs.size(), 1u);
  EXPECT_EQ(tcs[0].faultCode, 0u) << tcs[0].faultString;
  EXPECT_EQ(files_.requestCount("fw.img"), 2u) << "the interrupted download starts again";
  EXPECT_EQ(fileText(root() + "/fw-content"), image);
  EXPECT_TRUE(partialFiles().empty());
  // The queue survived the crash and the reboot.
  const auto& queue = sessions.back().exchanges[0].response.transferList;
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].at("CommandKey"), "later");
}

TEST_F(XferE2e, KillAfterTheInstallBeforeTheTransferCompleteReportsOnce) {
  const std::string image = pattern(8 * 1024, 5);
  files_.addFile("fw.img", image);
  (void)writeFileAtomic(root() + "/fw-kill", "");  // the install command SIGKILLs tr69d
  Scenario scenario;
  scenario.sessions.push_back(steps({
      Step::rpc(download("fw-2", kFirmware, files_.url("fw.img")), accepted()),
      Step::rpc(download("queued", kConfig, files_.url("none.cfg"), 0, 3600), accepted()),
  }));
  acs().setScenario(scenario);
  start();
  if (IsSkipped()) return;
  const auto ended = agent().waitExit(30s);
  ASSERT_TRUE(ended.has_value()) << "the install command did not kill tr69d";
  EXPECT_TRUE(ended->signaled);
  EXPECT_EQ(fileText(root() + "/fw-content"), image);
  fs::remove(root() + "/fw-kill");
  start();
  ASSERT_TRUE(waitForTransferComplete(acs(), "fw-2", 30s));
  // Kill once more right after the report and restart: still reported once.
  ASSERT_TRUE(acs().waitUntil([](const auto& s) { return s.back().completed; }, 20s));
  crashAgent();
  SessionScript check = steps({Step::rpc(simpleRequest("GetAllQueuedTransfers"))});
  nextScripts({check});
  start();
  ASSERT_TRUE(acs().waitUntil(
      [](const auto& s) { return !s.back().exchanges.empty() && s.back().completed; }, 20s));
  const auto sessions = acs().sessions();
  const auto tcs = transferCompletes(sessions, "fw-2");
  ASSERT_EQ(tcs.size(), 1u);
  EXPECT_EQ(tcs[0].faultCode, 0u);
  EXPECT_EQ(fileText(root() + "/fw-args").find('\n'), fileText(root() + "/fw-args").size() - 1)
      << "installed more than once";
  const auto& queue = sessions.back().exchanges[0].response.transferList;
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].at("CommandKey"), "queued");
  expectNoAcsFailures();
}

TEST_F(XferE2e, RebootAndFactoryResetCyclesWithDownloadsPending) {
  Scenario scenario;
  scenario.sessions.push_back(steps({
      Step::rpc(download("pending-1", kConfig, files_.url("x.cfg"), 0, 3600), accepted()),
      Step::rpc(simpleRequest("Reboot").with("CommandKey", "rb-1")),
  }));
  Expectation listed;
  SessionScript afterReboot = steps({
      Step::rpc(simpleRequest("GetQueuedTransfers"), listed),
      Step::rpc(simpleRequest("Reboot").with("CommandKey", "rb-2")),
  });
  afterReboot.expectEvents = {{"1 BOOT", std::nullopt}, {"M Reboot", std::string("rb-1")}};
  afterReboot.forbidEvents = {"0 BOOTSTRAP"};
  scenario.sessions.push_back(afterReboot);
  SessionScript secondReboot = steps({
      Step::rpc(simpleRequest("GetQueuedTransfers")),
      Step::rpc(simpleRequest("FactoryReset")),
  });
  secondReboot.expectEvents = {{"1 BOOT", std::nullopt}, {"M Reboot", std::string("rb-2")}};
  scenario.sessions.push_back(secondReboot);
  SessionScript afterReset = steps({Step::rpc(simpleRequest("GetQueuedTransfers"))});
  afterReset.expectEvents = {{"0 BOOTSTRAP", std::nullopt}, {"1 BOOT", std::nullopt}};
  afterReset.forbidEvents = {"M Reboot"};
  scenario.sessions.push_back(afterReset);
  acs().setScenario(scenario);
  const std::string rebootMarker = root() + "/reboots";
  // With a reboot command the daemon runs it and exits; the "device" (this test) restarts it.
  start({"--reboot-command", "echo reboot >> '" + rebootMarker + "'"});
  if (IsSkipped()) return;
  for (int boot = 0; boot < 3; ++boot) {
    const auto ended = agent().waitExit(30s);
    ASSERT_TRUE(ended.has_value()) << "no reboot " << boot;
    EXPECT_TRUE(ended->exited && ended->code == 0);
    start({"--reboot-command", "echo reboot >> '" + rebootMarker + "'"});
  }
  ASSERT_TRUE(acs().waitForCompletedSessions(4, 30s));
  const auto sessions = acs().sessions();
  EXPECT_EQ(fileText(rebootMarker), "reboot\nreboot\nreboot\n");
  auto keys = [](const SessionRecord& s, std::size_t exchange) {
    std::vector<std::string> out;
    for (const auto& e : s.exchanges[exchange].response.transferList)
      out.push_back(e.at("CommandKey"));
    return out;
  };
  EXPECT_EQ(keys(sessions[1], 0), std::vector<std::string>{"pending-1"});
  EXPECT_EQ(keys(sessions[2], 0), std::vector<std::string>{"pending-1"});
  EXPECT_TRUE(keys(sessions[3], 0).empty()) << "the factory reset kept a transfer";
  EXPECT_TRUE(transferCompletes(sessions, "pending-1").empty());
  EXPECT_EQ(files_.requestCount("x.cfg"), 0u);
  expectNoAcsFailures();
}

}  // namespace
}  // namespace tr69::testacs
