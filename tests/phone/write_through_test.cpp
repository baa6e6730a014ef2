// SetParameterValues / AddObject / DeleteObject through a real model::Tree over PhoneStorage,
// with golden local.cfg files before and after (tests/phone/data/<case>/{before,after}).
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "phone/phone_test_util.h"

namespace tr69::phone::testing {
namespace {

using model::ChangeCause;

TEST_F(PhoneTest, SingleSetWritesThePerLineKeyAndCopiesTheGlobalNetworkSet) {
  useCase("single_set");
  auto outcome = set1(std::string(kProfile) + "1.SIP.ProxyServer", "sip.example.net");
  ASSERT_TRUE(outcome.ok()) << outcome.fault.message;
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(local(), expected("single_set"));
  EXPECT_EQ(get(std::string(kProfile) + "1.SIP.ProxyServer"), "sip.example.net");
  // The line keeps the registrar it had from the global set.
  EXPECT_EQ(get(std::string(kProfile) + "1.SIP.RegistrarServer"), "10.0.0.1");
  EXPECT_EQ(storage_->pendingLines(), (std::set<int>{1}));
  ASSERT_TRUE(storage_->applyPending().ok());
  EXPECT_EQ(applyCalls(), (std::vector<std::string>{"1|1"}));
  EXPECT_TRUE(storage_->pendingLines().empty());
}

TEST_F(PhoneTest, MultiSetIsOneAtomicWriteAndOneApplyWithTheTouchedLines) {
  useCase("multi_set");
  auto outcome = set({{std::string(kProfile) + "1.Line.1.SIP.AuthUserName", "alice", {}},
                      {std::string(kProfile) + "3.SIP.RegistrarServer", "reg3.example.net", {}},
                      {std::string(kProfile) + "3.SIP.RegistrarServerPort", "5070", {}},
                      {"Device.ManagementServer.PeriodicInformInterval", "600", {}}});
  ASSERT_TRUE(outcome.ok()) << outcome.fault.message;
  EXPECT_EQ(local(), expected("multi_set"));
  EXPECT_EQ(get(std::string(kProfile) + "3.SIP.RegistrarServerPort"), "5070");
  EXPECT_EQ(get("Device.ManagementServer.PeriodicInformInterval"), "600");
  // A second session commit later: still one invocation per applyPending.
  ASSERT_TRUE(storage_->applyPending().ok());
  EXPECT_EQ(applyCalls(), (std::vector<std::string>{"1 3|1 3"}));
  ASSERT_TRUE(storage_->applyPending().ok());  // nothing pending: no call
  EXPECT_EQ(applyCalls().size(), 1u);
}

TEST_F(PhoneTest, GlobalChangeIsSeenByLinesWithoutPerLineNetworkKeysOnly) {
  useCase("global_set");
  EXPECT_EQ(get(std::string(kProfile) + "1.SIP.ProxyServer"), "10.0.0.1");
  auto outcome = set1(std::string(kGlobal) + "SIP.ProxyServer", "new.example.net");
  ASSERT_TRUE(outcome.ok()) << outcome.fault.message;
  EXPECT_EQ(local(), expected("global_set"));
  EXPECT_EQ(get(std::string(kGlobal) + "SIP.ProxyServer"), "new.example.net");
  EXPECT_EQ(get(std::string(kProfile) + "1.SIP.ProxyServer"), "new.example.net");
  EXPECT_EQ(get(std::string(kProfile) + "4.SIP.ProxyServer"), "new.example.net");
  // Line 2 has a per-line proxy (aastra.cfg), line 3 a locked one (<mac>.cfg): the set rule
  // keeps them on their own network set, whose registrar is not configured (model default "").
  EXPECT_EQ(get(std::string(kProfile) + "2.SIP.ProxyServer"), "10.0.0.2");
  EXPECT_EQ(get(std::string(kProfile) + "2.SIP.RegistrarServer"), "");
  EXPECT_EQ(get(std::string(kProfile) + "3.SIP.ProxyServer"), "10.9.9.9");
  EXPECT_EQ(storage_->pendingLines(), (std::set<int>{1, 4, 5, 6, 7, 8, 9}));
  ASSERT_TRUE(storage_->applyPending().ok());
  EXPECT_EQ(applyCalls(), (std::vector<std::string>{"1 4 5 6 7 8 9|1 4 5 6 7 8 9"}));
}

TEST_F(PhoneTest, LockedKeyFailsWith9001AndChangesNothing) {
  useCase("locked");
  const std::string before = local();
  const std::string storedBefore =
      std::filesystem::exists(stateDir_ / "stored.xml") ? slurp(stateDir_ / "stored.xml") : "";
  auto outcome = set({{"Device.ManagementServer.Username", "someone-else", {}},
                      {std::string(kProfile) + "3.Name", "Line three", {}},
                      {std::string(kProfile) + "3.SIP.ProxyServer", "evil.example.net", {}}});
  EXPECT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.fault.code, FaultCode::kRequestDenied);
  EXPECT_EQ(local(), before);
  EXPECT_EQ(local(), expected("locked"));  // byte-identical
  EXPECT_EQ(
      std::filesystem::exists(stateDir_ / "stored.xml") ? slurp(stateDir_ / "stored.xml") : "",
      storedBefore);
  EXPECT_EQ(get("Device.ManagementServer.Username"), "cpe");
  EXPECT_EQ(get(std::string(kProfile) + "3.Name"), "");
  EXPECT_EQ(get(std::string(kProfile) + "3.SIP.ProxyServer"), "10.9.9.9");
  EXPECT_TRUE(storage_->pendingLines().empty());
}

TEST_F(PhoneTest, DeleteProfileResetsTheLineAndReAddGivesItBackWithDefaults) {
  useCase("delete_readd");
  const std::string profile2 = std::string(kProfile) + "2.";
  ASSERT_TRUE(set1(profile2 + "Name", "Bob's line").ok());
  EXPECT_EQ(get(profile2 + "SIP.ProxyServer"), "10.2.2.2");
  storage_->applyPending().ok();
  std::filesystem::remove(applyLog_);

  ASSERT_TRUE(tree_->deleteObject(profile2, ChangeCause::kAcs).ok());
  EXPECT_EQ(local(), expected("delete_readd"));
  auto names = tree_->parameterNames(kProfile, true);
  ASSERT_TRUE(names.ok());
  for (const auto& info : *names)
    EXPECT_NE(info.name, profile2);
  EXPECT_EQ(names->size(), 8u);
  EXPECT_EQ(get(profile2 + "SIP.ProxyServer").rfind("<fault", 0), 0u);
  ASSERT_TRUE(storage_->applyPending().ok());
  EXPECT_EQ(applyCalls(), (std::vector<std::string>{"2|2"}));

  // The deletion survives a restart.
  build();
  names = tree_->parameterNames(kProfile, true);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->size(), 8u);

  auto added = tree_->addObject(kProfile, ChangeCause::kAcs);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 2u);
  // Back to the server files: aastra.cfg's per-line user name and proxy, no local values.
  EXPECT_EQ(get(profile2 + "Line.1.DirectoryNumber"), "1002");
  EXPECT_EQ(get(profile2 + "SIP.ProxyServer"), "10.0.0.2");
  EXPECT_EQ(get(profile2 + "SIP.ProxyServerPort"), "5060");  // model default
  EXPECT_EQ(get(profile2 + "Line.1.X_Aastra_ScreenName"), "");
  EXPECT_EQ(get(profile2 + "Name"), "");  // the stored value went with the old instance
  // The table is full again.
  EXPECT_EQ(tree_->addObject(kProfile, ChangeCause::kAcs).fault().code,
            FaultCode::kResourcesExceeded);
}

TEST_F(PhoneTest, ManagementServerValuesPersistAcrossARestart) {
  useCase("management_server");
  auto outcome = set({{"Device.ManagementServer.URL", "https://acs2.example.com/cwmp", {}},
                      {"Device.ManagementServer.Username", "cpe-user", {}},
                      {"Device.ManagementServer.Password", "cpe-pass", {}},
                      {"Device.ManagementServer.PeriodicInformEnable", "false", {}},
                      {"Device.ManagementServer.PeriodicInformInterval", "900", {}},
                      {"Device.ManagementServer.PeriodicInformTime", "2026-01-01T00:00:00Z", {}},
                      {"Device.ManagementServer.STUNEnable", "true", {}},
                      {"Device.DeviceInfo.ProvisioningCode", "ISP42", {}}});
  ASSERT_TRUE(outcome.ok()) << outcome.fault.message;
  EXPECT_EQ(local(), expected("management_server"));
  EXPECT_TRUE(storage_->pendingLines().empty());

  build();  // a reboot: new ConfigStore and PhoneStorage over the same directories
  EXPECT_EQ(get("Device.ManagementServer.URL"), "https://acs2.example.com:443/cwmp");
  EXPECT_EQ(get("Device.ManagementServer.Username"), "cpe-user");
  EXPECT_EQ(get("Device.ManagementServer.Password"), "");  // hidden
  EXPECT_EQ(*tree_->get(dm::ManagementServer::Password), "cpe-pass");
  EXPECT_EQ(get("Device.ManagementServer.PeriodicInformEnable"), "false");
  EXPECT_EQ(get("Device.ManagementServer.PeriodicInformInterval"), "900");
  EXPECT_EQ(get("Device.ManagementServer.PeriodicInformTime"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(get("Device.ManagementServer.STUNEnable"), "true");
  EXPECT_EQ(get("Device.DeviceInfo.ProvisioningCode"), "ISP42");
}

TEST_F(PhoneTest, ServerUrlAndPortReadAsOneUrl) {
  useCase("management_server");
  EXPECT_EQ(get("Device.ManagementServer.URL"), "http://acs.example.com:7547");
  EXPECT_EQ(get("Device.ManagementServer.PeriodicInformEnable"), "true");
  EXPECT_EQ(get("Device.ManagementServer.PeriodicInformInterval"), "86400");  // model default
  // Refused by the config layer's URL rules: a whole-request fault, nothing written.
  EXPECT_EQ(set1("Device.ManagementServer.URL", "ftp://x").fault.code,
            FaultCode::kInvalidParameterValue);
}

TEST_F(PhoneTest, HiddenPasswordReadsEmptyButIsWritten) {
  useCase("single_set");
  const std::string name = std::string(kProfile) + "1.Line.1.SIP.AuthPassword";
  EXPECT_EQ(get(name), "");
  EXPECT_EQ(
      *tree_->get(dm::Services::VoiceService::VoiceProfile::Line::SIP::AuthPassword, {1, 1, 1}),
      "server-secret");
  ASSERT_TRUE(set1(name, "n3w secret").ok());
  EXPECT_EQ(get(name), "");
  EXPECT_EQ(
      *tree_->get(dm::Services::VoiceService::VoiceProfile::Line::SIP::AuthPassword, {1, 1, 1}),
      "n3w secret");
  EXPECT_NE(local().find("sip line1 password: n3w secret\n"), std::string::npos);
  EXPECT_FALSE(capture_.contains("n3w secret"));
}

TEST_F(PhoneTest, ConcurrentLocalEditIsKeptAndReportedAsALocalChange) {
  useCase("single_set");
  ASSERT_TRUE(set1(std::string(kProfile) + "1.SIP.ProxyServer", "sip.example.net").ok());
  // The Web UI edits local.cfg behind the agent's back.
  std::string text = local();
  text += "sip line4 screen name: Dave\n";
  ASSERT_TRUE(writeFileAtomic(configDir_ / "local.cfg", text).ok());
  ASSERT_TRUE(set1(std::string(kProfile) + "1.Line.1.X_Aastra_ScreenName", "Alicia").ok());
  const std::string after = local();
  EXPECT_NE(after.find("sip line4 screen name: Dave\n"), std::string::npos);
  EXPECT_NE(after.find("sip line1 screen name: Alicia\n"), std::string::npos);
  EXPECT_NE(after.find("sip line1 proxy ip: sip.example.net\n"), std::string::npos);
  EXPECT_EQ(get(std::string(kProfile) + "4.Line.1.X_Aastra_ScreenName"), "Dave");
  auto changes = storage_->takeLocalChanges();
  EXPECT_NE(std::find(changes.begin(), changes.end(),
                      std::string(kProfile) + "4.Line.1.X_Aastra_ScreenName"),
            changes.end());
  EXPECT_TRUE(storage_->takeLocalChanges().empty());
}

TEST_F(PhoneTest, FailedWriteLeavesTheOldFile) {
  useCase("delete_readd");
  const std::string before = local();
  // Files can be at most a few bytes: writing the new local.cfg fails with EFBIG (works as root,
  // unlike a read-only directory). In a child, so the limit does not leak into the test runner.
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{16, 16};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto outcome = set1(std::string(kProfile) + "1.SIP.ProxyServer", "sip.example.net");
    ::_exit(!outcome.ok() && outcome.fault.code == FaultCode::kInternalError ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(local(), before);
}

TEST_F(PhoneTest, CrashDuringWritesLeavesTheOldOrTheNewFileNeverAMix) {
  useCase("single_set");
  // Two complete contents the file may legitimately hold after the first write.
  ASSERT_TRUE(set1(std::string(kProfile) + "1.SIP.ProxyServer", "a.example.net").ok());
  const std::string contentA = local();
  ASSERT_TRUE(set1(std::string(kProfile) + "1.SIP.ProxyServer", "b.example.net").ok());
  const std::string contentB = local();
  ASSERT_NE(contentA, contentB);
  for (int round = 0; round < 20; ++round) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (int i = 0; i < 100000; ++i) {
        (void)set1(std::string(kProfile) + "1.SIP.ProxyServer",
                   i % 2 == 0 ? "a.example.net" : "b.example.net");
      }
      ::_exit(0);
    }
    ::usleep(static_cast<useconds_t>(1000 + round * 1500));
    ::kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    const std::string now = local();
    EXPECT_TRUE(now == contentA || now == contentB) << "round " << round << ":\n" << now;
  }
}

TEST_F(PhoneTest, DtmfMethodMapsToTheAastraCodesAndOutOfBandSwitch) {
  useCase("single_set");
  const std::string name = std::string(kProfile) + "1.DTMFMethod";
  EXPECT_EQ(get(name), "RFC2833");  // global 0, out-of-band default on
  ASSERT_TRUE(set1(name, "SIPInfo").ok());
  EXPECT_NE(local().find("sip line1 dtmf method: 1\n"), std::string::npos);
  EXPECT_EQ(get(name), "SIPInfo");
  EXPECT_EQ(get(std::string(kProfile) + "2.DTMFMethod"), "RFC2833");  // one-key set: own value
  ASSERT_TRUE(set1(name, "InBand").ok());
  EXPECT_NE(local().find("sip line1 dtmf method: 0\n"), std::string::npos);
  EXPECT_NE(local().find("sip out-of-band dtmf: 0\n"), std::string::npos);
  EXPECT_EQ(get(name), "InBand");
  ASSERT_TRUE(set1(name, "RFC2833").ok());
  EXPECT_NE(local().find("sip out-of-band dtmf: 1\n"), std::string::npos);
  EXPECT_EQ(get(name), "RFC2833");
  EXPECT_EQ(set1(name, "Pulse").fault.code, FaultCode::kInvalidArguments);
}

TEST_F(PhoneTest, StunPortKeepsTheBackupPortAndBooleansAreWrittenAsDigits) {
  useCase("single_set");
  const std::string port = std::string(kGlobal) + "X_Aastra_STUNServerPort";
  EXPECT_EQ(get(port), "3478");
  ASSERT_TRUE(set1(port, "5000").ok());
  EXPECT_NE(local().find("sip stun port: 5000,3479\n"), std::string::npos);
  EXPECT_EQ(get(port), "5000");
  const std::string basic = std::string(kGlobal) + "SIP.X_AastraUseBasicCodecs";
  ASSERT_TRUE(set1(basic, "true").ok());
  EXPECT_NE(local().find("sip use basic codecs: 1\n"), std::string::npos);
  EXPECT_EQ(get(basic), "true");
}

TEST_F(PhoneTest, InvalidConfigValuesReadAsTheModelDefaultWithALogLine) {
  std::filesystem::copy_file(dataDir() / "single_set" / "before" / "local.cfg",
                             configDir_ / "local.cfg");
  std::string text = slurp(configDir_ / "local.cfg");
  text += "sip line1 proxy port: ninety\nsip line1 password: p@ss\nsip line1 dtmf method: 7\n";
  ASSERT_TRUE(writeFileAtomic(configDir_ / "local.cfg", text).ok());
  build();
  EXPECT_EQ(get(std::string(kProfile) + "1.SIP.ProxyServerPort"), "5060");
  EXPECT_TRUE(capture_.contains("sip line1 proxy port"));
  EXPECT_EQ(get(std::string(kProfile) + "1.DTMFMethod"), "InBand");  // model default
  EXPECT_FALSE(capture_.contains("p@ss"));
}

TEST_F(PhoneTest, ReloadOfAFileTheAgentWroteAppliesTheChangedLinesOnly) {
  useCase("global_set");
  std::string local = slurp(configDir_ / "local.cfg");
  ASSERT_TRUE(
      writeFileAtomic(configDir_ / "local.cfg", local + "sip line2 proxy ip: 10.9.9.9\n").ok());
  EXPECT_FALSE(storage_->reloadConfig().empty());
  EXPECT_TRUE(storage_->pendingLines().empty()) << "a plain reload applies nothing";
  ASSERT_TRUE(
      writeFileAtomic(configDir_ / "local.cfg", local + "sip line2 proxy ip: 10.9.9.8\n").ok());
  EXPECT_FALSE(storage_->reloadWrittenConfig().empty());
  EXPECT_EQ(storage_->pendingLines(), std::set<int>{2});
}

TEST_F(PhoneTest, ReloadReportsTheParametersAServerFileChangeAffects) {
  useCase("global_set");
  std::string aastra = slurp(configDir_ / "aastra.cfg");
  aastra += "sip registrar ip: 10.0.0.99\n";  // the last occurrence wins
  ASSERT_TRUE(writeFileAtomic(configDir_ / "aastra.cfg", aastra).ok());
  auto names = storage_->reloadConfig();
  auto has = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  EXPECT_TRUE(has(std::string(kGlobal) + "SIP.RegistrarServer"));
  EXPECT_TRUE(has(std::string(kProfile) + "1.SIP.RegistrarServer"));
  EXPECT_TRUE(has(std::string(kProfile) + "9.SIP.RegistrarServer"));
  EXPECT_FALSE(has(std::string(kProfile) + "2.SIP.RegistrarServer"));  // own network set
  EXPECT_FALSE(has(std::string(kProfile) + "3.SIP.RegistrarServer"));
  EXPECT_FALSE(has(std::string(kProfile) + "1.SIP.ProxyServer"));
  EXPECT_EQ(get(std::string(kProfile) + "1.SIP.RegistrarServer"), "10.0.0.99");
  EXPECT_TRUE(storage_->reloadConfig().empty());

  // Recorded as local changes, they are notified.
  ASSERT_TRUE(tree_
                  ->setAttributes(std::vector<model::AttributeChange>{
                      {std::string(kProfile) + "1.SIP.RegistrarServer", true, 1, false, {}}})
                  .ok());
  auto baseline = tree_->takeBaseline();
  ASSERT_TRUE(baseline.ok());
  aastra += "sip registrar ip: 10.0.0.100\n";
  ASSERT_TRUE(writeFileAtomic(configDir_ / "aastra.cfg", aastra).ok());
  recordLocalChanges(*tree_, storage_->reloadConfig());
  auto changes = tree_->collectChanges(*baseline);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].value, "10.0.0.100");
  EXPECT_EQ((*changes)[0].cause, ChangeCause::kLocalConfig);
}

TEST_F(PhoneTest, WritableLiveParameters) {
  useCase("single_set");
  const std::string profile1 = std::string(kProfile) + "1.";
  EXPECT_EQ(get(profile1 + "Enable"), "Enabled");  // user name 1001 and a registrar
  EXPECT_EQ(get(std::string(kProfile) + "5.Enable"), "Disabled");
  EXPECT_EQ(get(profile1 + "Line.1.Status"), "Up");
  ASSERT_TRUE(set1(profile1 + "Reset", "true").ok());
  EXPECT_EQ(get(profile1 + "Reset"), "false");
  EXPECT_EQ(storage_->pendingLines(), (std::set<int>{1}));
  ASSERT_TRUE(set1(std::string(kProfile) + "4.Enable", "Quiescent").ok());
  EXPECT_EQ(get(std::string(kProfile) + "4.Enable"), "Quiescent");
  EXPECT_EQ(storage_->pendingLines(), (std::set<int>{1, 4}));
  auto network = set1("Device.LAN.AddressingType", "Static");
  ASSERT_TRUE(network.ok());
  EXPECT_EQ(network.status, 1);  // takes effect at the next boot
  EXPECT_NE(local().find("dhcp: 0\n"), std::string::npos);
  ASSERT_TRUE(set1("Device.LAN.DNSServers", "192.0.2.1,192.0.2.2").ok());
  EXPECT_NE(local().find("dns1: 192.0.2.1\ndns2: 192.0.2.2\n"), std::string::npos);
}

TEST_F(PhoneTest, ApplyCommandFailureIsReportedAndClearsThePendingSet) {
  writeScript(applyScript_, "#!/bin/sh\nexit 3\n");
  useCase("single_set");
  ASSERT_TRUE(set1(std::string(kProfile) + "2.Line.1.X_Aastra_ScreenName", "Bob").ok());
  auto status = storage_->applyPending();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.fault().message.find("status 3"), std::string::npos);
  EXPECT_TRUE(storage_->pendingLines().empty());
}

TEST_F(PhoneTest, ConfigFileParameterDumpsAndRestoresLocalCfg) {
  useCase("single_set");
  EXPECT_EQ(get("Device.Config.ConfigFile"), slurp(configDir_ / "local.cfg"));
  ASSERT_TRUE(set1("Device.Config.ConfigFile", "sip line2 screen name: Bob\n").ok());
  EXPECT_EQ(local(), "# local settings (Web UI)\nsip line2 screen name: Bob\n");
  EXPECT_EQ(storage_->pendingLines(), (std::set<int>{1, 2}));
}

}  // namespace
}  // namespace tr69::phone::testing
