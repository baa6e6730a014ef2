// Golden-file tests of local.cfg edits: tests/config/data/<case>/before/ is copied into a scratch
// directory, the case's batch is applied, and local.cfg must equal <case>/after/local.cfg byte
// for byte.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <functional>

#include "config_test_util.h"
#include "tr69/config/config_store.h"
#include "tr69/config/sip_keys.h"
#include "tr69/config/tr69_settings.h"

namespace tr69::config {
namespace {

using testing::ConfigDirTest;
using testing::dataDir;

class GoldenEditTest : public ConfigDirTest {
 protected:
  void loadCase(const std::string& name) {
    case_ = dataDir() / name;
    for (const auto& entry : std::filesystem::directory_iterator(case_ / "before"))
      std::filesystem::copy_file(entry.path(), dir_ / entry.path().filename());
  }
  std::string expectedLocal() const {
    auto text = readFile(case_ / "after" / "local.cfg");
    return text.ok() ? *text : std::string("<missing golden file>");
  }
  std::filesystem::path case_;
};

TEST_F(GoldenEditTest, SingleKeyReplacedInPlace) {
  loadCase("single_set");
  ConfigStore store(options(), log_);
  auto result = store.applyLocalEdit(LocalEdit().set("sip line1 screen name", "Lobby"));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  EXPECT_TRUE(result->written);
  EXPECT_EQ(result->keysTouched, std::vector<std::string>{"sip line1 screen name"});
  EXPECT_EQ(result->linesTouched, std::set<int>{1});
  EXPECT_FALSE(result->globalSipTouched);
  EXPECT_EQ(store.snapshot().value("sip line1 screen name"), "Lobby");
}

TEST_F(GoldenEditTest, MultiKeyBatchIsOneWrite) {
  loadCase("multi_set");
  ConfigStore store(options(), log_);
  LocalEdit edit;
  edit.set("sip line2 auth name", "2222")
      .set("SIP LINE2 user name", "2200")
      .set("sip line2 proxy ip", "10.0.0.98")
      .set("sip line2 dial plan", "1xxx")
      .set("sip line2 screen name", " Padded ");
  auto result = store.applyLocalEdit(edit);
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  EXPECT_EQ(result->keysTouched.size(), 5u);
  EXPECT_EQ(result->linesTouched, std::set<int>{2});
  EXPECT_EQ(store.snapshot().value("sip line2 screen name"), " Padded ");
}

TEST_F(GoldenEditTest, LockedKeyRefusesTheWholeBatch) {
  loadCase("locked_key");
  ConfigStore store(options(), log_);
  LocalEdit edit;
  edit.set("sip line4 user name", "9999").set("sip line4 auth name", "9999");
  auto result = store.applyLocalEdit(edit);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.fault().code, FaultCode::kRequestDenied);
  EXPECT_NE(result.fault().message.find("sip line4 auth name"), std::string::npos);
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  EXPECT_EQ(store.snapshot().value("sip line4 user name"), std::nullopt);
  // Removing a locked key is refused too.
  auto removal = store.applyLocalEdit(LocalEdit().remove("sip line4 auth name"));
  ASSERT_FALSE(removal.ok());
  EXPECT_EQ(removal.fault().code, FaultCode::kRequestDenied);
}

TEST_F(GoldenEditTest, ResetLineRemovesOnlyThatLinesKeys) {
  loadCase("reset_line");
  ConfigStore store(options(), log_);
  auto result = store.applyLocalEdit(LocalEdit().resetLine(2));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  EXPECT_EQ(result->linesTouched, std::set<int>{2});
  EXPECT_EQ(result->keysTouched.size(), 3u);
  // Line 2 falls back to the global server values.
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 2, "proxy ip")->value, "10.0.0.10");
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 2, "auth name"), std::nullopt);
}

TEST_F(GoldenEditTest, ResetLineKeepsServerFileValues) {
  loadCase("reset_line");
  ConfigStore store(options(), log_);
  ASSERT_TRUE(store.applyLocalEdit(LocalEdit().resetLine(1)).ok());
  // local.cfg's line 1 keys are gone; <mac>.cfg's stay in force.
  EXPECT_EQ(store.snapshot().value("sip line1 password"), "mac-secret");
  EXPECT_EQ(store.snapshot().value("sip line1 screen name"), std::nullopt);
}

TEST_F(GoldenEditTest, FirstPerLineWriteCopiesTheGlobalSet) {
  loadCase("set_rule_copy");
  ConfigStore store(options(), log_);
  // Before: line 3 uses the global network set.
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 3, "registrar ip")->value, "10.0.0.11");
  auto result = store.applyLocalEdit(LocalEdit().set("sip line3 proxy port", "5070"));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  EXPECT_EQ(result->keysTouched.size(), 7u);
  // After: the line keeps its registrar and gets the new port.
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 3, "registrar ip")->value, "10.0.0.11");
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 3, "proxy port")->value, "5070");
  // A second write into the same set copies nothing more.
  auto second = store.applyLocalEdit(LocalEdit().set("sip line3 registrar port", "5062"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->keysTouched, std::vector<std::string>{"sip line3 registrar port"});
}

TEST_F(GoldenEditTest, WithoutCopyTheLineLosesTheGlobalSet) {
  loadCase("set_rule_no_copy");
  ConfigStore store(options(), log_);
  EditOptions noCopy;
  noCopy.copyGlobalSetOnFirstLineWrite = false;
  auto result = store.applyLocalEdit(LocalEdit().set("sip line3 proxy port", "5070"), noCopy);
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  // The set rule: line 3 now ignores every global key of the network set.
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 3, "registrar ip"), std::nullopt);
}

TEST_F(GoldenEditTest, ManagementServerValuesPersistAsTr69Keys) {
  loadCase("management_server");
  {
    ConfigStore store(options(), log_);
    LocalEdit edit;
    ASSERT_TRUE(addManagementServerWrite(edit, "URL", "https://acs.example.net:8443/cwmp").ok());
    ASSERT_TRUE(addManagementServerWrite(edit, "PeriodicInformEnable", "true").ok());
    ASSERT_TRUE(addManagementServerWrite(edit, "PeriodicInformInterval", "300").ok());
    ASSERT_TRUE(addManagementServerWrite(edit, "PeriodicInformTime", "2026-01-01T00:00:00Z").ok());
    ASSERT_TRUE(addManagementServerWrite(edit, "ConnectionRequestUsername", "cpe").ok());
    ASSERT_TRUE(addManagementServerWrite(edit, "ConnectionRequestPassword", "cr-secret").ok());
    auto result = store.applyLocalEdit(edit);
    ASSERT_TRUE(result.ok()) << result.fault().message;
    EXPECT_FALSE(result->globalSipTouched);
    EXPECT_TRUE(result->linesTouched.empty());
  }
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  // A "reboot": a fresh store over the same directory sees the ACS's values.
  ConfigStore rebooted(options(), log_);
  const Tr69Settings settings = Tr69Settings::fromSnapshot(rebooted.snapshot(), log_);
  EXPECT_EQ(settings.acsUrl(), "https://acs.example.net:8443/cwmp");
  EXPECT_TRUE(settings.periodicInformEnable);
  EXPECT_EQ(settings.periodicInformInterval, 300u);
  EXPECT_EQ(settings.periodicInformTime, "2026-01-01T00:00:00Z");
  EXPECT_EQ(settings.connectionRequestUsername, "cpe");
  EXPECT_EQ(settings.connectionRequestPassword, "cr-secret");
  EXPECT_FALSE(capture_.contains("cr-secret"));
}

// A global write: lines without a per-line network key see it, line 2 (per-line proxy ip) keeps
// its own set and does not.
TEST_F(GoldenEditTest, GlobalChangeSeenByLinesWithoutPerLineSet) {
  loadCase("global_set");
  ConfigStore store(options(), log_);
  auto result = store.applyLocalEdit(LocalEdit().set("sip registrar ip", "10.0.0.50"));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  EXPECT_TRUE(result->globalSipTouched);
  EXPECT_TRUE(result->linesTouched.empty());
  for (const int line : {1, 3, 9})
    EXPECT_EQ(effectiveSipLineValue(store.snapshot(), line, "registrar ip")->value, "10.0.0.50");
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 2, "registrar ip"), std::nullopt);
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 2, "proxy ip")->value, "10.0.0.99");
}

TEST_F(GoldenEditTest, CrlfFileWithoutFinalNewline) {
  loadCase("crlf_no_final_newline");
  ConfigStore store(options(), log_);
  auto result =
      store.applyLocalEdit(LocalEdit().set("sip line1 screen name", "Desk 2").set("language", "1"));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), expectedLocal());
}

TEST_F(GoldenEditTest, DuplicatesCollapseAndRemoveTakesAll) {
  loadCase("duplicates");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("time zone name"), "US-Eastern");
  auto result =
      store.applyLocalEdit(LocalEdit().set("sip line2 auth name", "c").remove("time zone name"));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  EXPECT_EQ(store.snapshot().value("time zone name"), std::nullopt);
}

TEST_F(GoldenEditTest, EqualValueWritesNothing) {
  loadCase("unchanged");
  ConfigStore store(options(), log_);
  struct stat before {};
  ASSERT_EQ(::stat((dir_ / "local.cfg").c_str(), &before), 0);
  auto result = store.applyLocalEdit(LocalEdit().set("sip line1 screen name", "Front Desk"));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_FALSE(result->written);
  EXPECT_TRUE(result->keysTouched.empty());
  EXPECT_EQ(read("local.cfg"), expectedLocal());
  struct stat after {};
  ASSERT_EQ(::stat((dir_ / "local.cfg").c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // not replaced
}

class LocalEditTest : public ConfigDirTest {};

TEST_F(LocalEditTest, CreatesLocalCfgWithMode0600) {
  write("aastra.cfg", "sip proxy ip: 10.0.0.1\n");
  ConfigStore store(options(), log_);
  auto result = store.applyLocalEdit(LocalEdit().set("sip line1 password", "pw"));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"), "sip line1 password: pw\n");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "local.cfg").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LocalEditTest, GlobalSipChangeIsReportedAndSeenByLinesWithoutOwnSet) {
  write("aastra.cfg", "sip registrar ip: 10.0.0.1\nsip line1 proxy ip: 10.0.0.5\n");
  ConfigStore store(options(), log_);
  auto result = store.applyLocalEdit(LocalEdit().set("sip registrar ip", "10.0.0.2"));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->globalSipTouched);
  EXPECT_TRUE(result->linesTouched.empty());
  // Line 2 has no per-line network key: it sees the new global value.
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 2, "registrar ip")->value, "10.0.0.2");
  // Line 1 has a per-line network key (proxy ip): the whole network set is per-line for it.
  EXPECT_EQ(effectiveSipLineValue(store.snapshot(), 1, "registrar ip"), std::nullopt);
}

TEST_F(LocalEditTest, ForcedKeyIsWrittenButReportedShadowed) {
  write("aastra.cfg", "^sip proxy ip: 10.0.0.1\n");
  ConfigStore store(options(), log_);
  auto result = store.applyLocalEdit(LocalEdit().set("sip proxy ip", "10.0.0.9"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->shadowedKeys, std::vector<std::string>{"sip proxy ip"});
  EXPECT_EQ(read("local.cfg"), "sip proxy ip: 10.0.0.9\n");
  EXPECT_EQ(store.snapshot().value("sip proxy ip"), "10.0.0.1");
}

TEST_F(LocalEditTest, InvalidOperationsAreRefusedWithoutWriting) {
  write("local.cfg", "a: 1\n");
  ConfigStore store(options(), log_);
  struct Case {
    LocalEdit edit;
    FaultCode code;
  };
  const std::vector<Case> cases = {
      {LocalEdit().set("", "x"), FaultCode::kInvalidArguments},
      {LocalEdit().set("a:b", "x"), FaultCode::kInvalidArguments},
      {LocalEdit().set("#a", "x"), FaultCode::kInvalidArguments},
      {LocalEdit().set("!a", "x"), FaultCode::kInvalidArguments},
      {LocalEdit().set("a\nb", "x"), FaultCode::kInvalidArguments},
      {LocalEdit().resetLine(0), FaultCode::kInvalidArguments},
      {LocalEdit().resetLine(10), FaultCode::kInvalidArguments},
      {LocalEdit().set("b", "x").set("a", "line\nbreak"), FaultCode::kInvalidParameterValue},
      {LocalEdit().set("a", std::string("nul\0", 4)), FaultCode::kInvalidParameterValue},
      {LocalEdit().set("a", "\xff"), FaultCode::kInvalidParameterValue},
      {LocalEdit().set("b", "x").set("a", std::string(kMaxLineBytes, 'v')),
       FaultCode::kInvalidParameterValue},
  };
  for (const Case& c : cases) {
    auto result = store.applyLocalEdit(c.edit);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.fault().code, c.code) << result.fault().message;
  }
  EXPECT_EQ(read("local.cfg"), "a: 1\n");
}

TEST_F(LocalEditTest, ConcurrentLocalEditIsMergedNotClobbered) {
  write("aastra.cfg", "sip proxy ip: 10.0.0.1\n");
  write("local.cfg", "language: 1\n");
  ConfigStore store(options(), log_);
  // The Web UI writes local.cfg after the store read it.
  write("local.cfg", "language: 1\nsip line1 screen name: From Web UI\n");
  auto result = store.applyLocalEdit(LocalEdit().set("sip line2 screen name", "From ACS"));
  ASSERT_TRUE(result.ok()) << result.fault().message;
  EXPECT_EQ(read("local.cfg"),
            "language: 1\nsip line1 screen name: From Web UI\nsip line2 screen name: From ACS\n");
  ASSERT_TRUE(result->externalChanges.has_value());
  ASSERT_NE(result->externalChanges->find("sip line1 screen name"), nullptr);
  EXPECT_EQ(result->externalChanges->find("sip line1 screen name")->after->value, "From Web UI");
  EXPECT_EQ(result->externalChanges->find("sip line2 screen name"), nullptr);
  EXPECT_TRUE(capture_.contains("changed on disk"));
}

TEST_F(LocalEditTest, ConcurrentEditThatLocksAKeyIsHonoured) {
  write("local.cfg", "language: 1\n");
  ConfigStore store(options(), log_);
  // A new server file arrives and local.cfg changes: the reload before the write sees the lock.
  write("aastra.cfg", "!sip line1 screen name: Locked\n");
  write("local.cfg", "language: 2\n");
  auto result = store.applyLocalEdit(LocalEdit().set("sip line1 screen name", "x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.fault().code, FaultCode::kRequestDenied);
  EXPECT_EQ(read("local.cfg"), "language: 2\n");
}

// A write that fails half-way (file size limit hit while writing the temp file) must leave the
// old local.cfg intact, no temp file behind, and the store's view unchanged. RLIMIT_FSIZE works
// for root too, unlike permission bits.
TEST_F(LocalEditTest, FailedWriteLeavesTheOldFileIntact) {
  const std::string original = "# keep me\nsip line1 screen name: Old\n";
  write("local.cfg", original);
  ConfigStore store(options(), log_);
  LocalEdit edit;
  edit.set("sip line1 screen name", "New").set("sip line1 vmail", std::string(3000, '9'));

  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = saved;
  limited.rlim_cur = 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  auto result = store.applyLocalEdit(edit);
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previousHandler);

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.fault().code, FaultCode::kInternalError);
  EXPECT_EQ(read("local.cfg"), original);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1);  // no temp file left
  EXPECT_EQ(store.snapshot().value("sip line1 screen name"), "Old");
  // The same batch succeeds once the disk accepts it.
  ASSERT_TRUE(store.applyLocalEdit(edit).ok());
  EXPECT_EQ(store.snapshot().value("sip line1 screen name"), "New");
}

TEST_F(LocalEditTest, UnwritableDirectoryLeavesTheOldFileIntact) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  write("local.cfg", "a: 1\n");
  ConfigStore store(options(), log_);
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::remove);
  auto result = store.applyLocalEdit(LocalEdit().set("a", "2"));
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(read("local.cfg"), "a: 1\n");
}

TEST_F(LocalEditTest, OversizedResultIsRefused) {
  ConfigStore store(options(), log_);
  LocalEdit edit;
  for (int i = 0; i < 300; ++i)
    edit.set("key " + std::to_string(i), std::string(4000, 'v'));
  auto result = store.applyLocalEdit(edit);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.fault().code, FaultCode::kResourcesExceeded);
  EXPECT_EQ(read("local.cfg"), "<missing>");
}

// Found by config_edit_fuzz: a file ending in a lone CR must not glue the appended line to it.
TEST_F(LocalEditTest, AppendAfterLoneCarriageReturnAtEnd) {
  write("local.cfg", "# c\ra: 1\r");
  ConfigStore store(options(), log_);
  ASSERT_TRUE(store.applyLocalEdit(LocalEdit().set("b", "2")).ok());
  EXPECT_EQ(read("local.cfg"), "# c\ra: 1\r\nb: 2\n");
  EXPECT_EQ(store.snapshot().value("b"), "2");
}

TEST_F(LocalEditTest, BadLinesInLocalCfgSurviveAnEdit) {
  const std::string text = "garbage without colon\n\x01\x02: binary\nsip line1 vmail: 1\n";
  write("local.cfg", text);
  ConfigStore store(options(), log_);
  ASSERT_TRUE(store.applyLocalEdit(LocalEdit().set("sip line1 vmail", "2")).ok());
  EXPECT_EQ(read("local.cfg"), "garbage without colon\n\x01\x02: binary\nsip line1 vmail: 2\n");
}

}  // namespace
}  // namespace tr69::config
