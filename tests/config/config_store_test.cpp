#include "tr69/config/config_store.h"

#include <gtest/gtest.h>

#include <set>

#include "config_test_util.h"
#include "tr69/config/sip_keys.h"
#include "tr69/config/tr69_settings.h"

namespace tr69::config {
namespace {

using testing::ConfigDirTest;

class ConfigStoreTest : public ConfigDirTest {};

TEST_F(ConfigStoreTest, PrecedenceAastraModelMacLocal) {
  write("aastra.cfg", "a: aastra\nb: aastra\nc: aastra\nd: aastra\n");
  write("6737i.cfg", "b: model\nc: model\nd: model\n");
  write("00085D1A2B3C.cfg", "c: mac\nd: mac\n");
  write("local.cfg", "d: local\n");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("a"), "aastra");
  EXPECT_EQ(store.snapshot().value("b"), "model");
  EXPECT_EQ(store.snapshot().value("c"), "mac");
  EXPECT_EQ(store.snapshot().value("d"), "local");
  EXPECT_EQ(store.snapshot().find("c")->source, ConfigLayer::kMac);
  EXPECT_EQ(store.snapshot().find("d")->source, ConfigLayer::kLocal);
  EXPECT_EQ(store.snapshot().find("d")->lineNumber, 1u);
  EXPECT_EQ(store.snapshot().fileName(ConfigLayer::kMac), "00085D1A2B3C.cfg");
  EXPECT_EQ(store.mac(), "00085D1A2B3C");
}

TEST_F(ConfigStoreTest, KeysAreCaseInsensitiveAcrossFiles) {
  write("aastra.cfg", "SIP Proxy IP: 10.0.0.1\n");
  write("local.cfg", "sip  proxy\tip: 10.0.0.2\n");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("Sip Proxy Ip"), "10.0.0.2");
  EXPECT_EQ(store.snapshot().values().size(), 1u);
}

TEST_F(ConfigStoreTest, LookupNormalisesEveryNonCanonicalSpelling) {
  write("aastra.cfg", "sip proxy ip: 10.0.0.1\n");
  ConfigStore store(options(), log_);
  for (const char* key : {"sip proxy ip", "SIP proxy ip", " sip proxy ip", "sip proxy ip ",
                          "sip  proxy ip", "sip\tproxy ip", "\tsip proxy\t\tip\t"}) {
    EXPECT_EQ(store.snapshot().value(key), "10.0.0.1") << "'" << key << "'";
  }
  for (const char* key : {"sip proxyip", "sip proxy", "", " ", "sip proxy ip x"}) {
    EXPECT_FALSE(store.snapshot().value(key).has_value()) << "'" << key << "'";
  }
}

TEST_F(ConfigStoreTest, LockInServerFileBeatsLocal) {
  write("aastra.cfg", "!admin password: 22222\n");
  write("local.cfg", "admin password: 1234\n");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("admin password"), "22222");
  EXPECT_TRUE(store.snapshot().locked("admin password"));
}

TEST_F(ConfigStoreTest, LaterServerFileOverridesLockStatus) {
  write("aastra.cfg", "!a: aastra\nb: aastra\n");
  write("00085D1A2B3C.cfg", "a: mac\n!b: mac\n");
  write("local.cfg", "a: local\nb: local\n");
  ConfigStore store(options(), log_);
  EXPECT_FALSE(store.snapshot().locked("a"));
  EXPECT_EQ(store.snapshot().value("a"), "local");
  EXPECT_TRUE(store.snapshot().locked("b"));
  EXPECT_EQ(store.snapshot().value("b"), "mac");
}

TEST_F(ConfigStoreTest, ForcedServerValueBeatsLocal) {
  write("6737i.cfg", "^sip proxy ip: 10.0.0.1\n");
  write("local.cfg", "sip proxy ip: 10.0.0.2\n");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("sip proxy ip"), "10.0.0.1");
  EXPECT_TRUE(store.snapshot().find("sip proxy ip")->forced);
  EXPECT_FALSE(store.snapshot().locked("sip proxy ip"));
}

TEST_F(ConfigStoreTest, PrefixesInLocalCfgMeanNothing) {
  write("aastra.cfg", "a: server\n");
  write("local.cfg", "!a: local\n^b: local\n");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("a"), "local");
  EXPECT_FALSE(store.snapshot().locked("a"));
  EXPECT_FALSE(store.snapshot().find("b")->forced);
}

TEST_F(ConfigStoreTest, MacAndModelFilesFoundInEitherCase) {
  write("AASTRA.CFG", "a: 1\n");
  write("6737I.cfg", "b: 2\n");
  write("00085d1a2b3c.cfg", "c: 3\n");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("a"), "1");
  EXPECT_EQ(store.snapshot().value("b"), "2");
  EXPECT_EQ(store.snapshot().value("c"), "3");
}

TEST_F(ConfigStoreTest, MacNormalization) {
  EXPECT_EQ(ConfigStore::normalizeMac("00:08:5d:1a:2b:3c"), "00085D1A2B3C");
  EXPECT_EQ(ConfigStore::normalizeMac("00-08-5D-1A-2B-3C"), "00085D1A2B3C");
  EXPECT_EQ(ConfigStore::normalizeMac("00085d1a2b3c"), "00085D1A2B3C");
  EXPECT_EQ(ConfigStore::normalizeMac("00085d1a2b3"), std::nullopt);
  EXPECT_EQ(ConfigStore::normalizeMac("00085d1a2b3g"), std::nullopt);
  EXPECT_EQ(ConfigStore::normalizeMac("../../etc/pw"), std::nullopt);
}

TEST_F(ConfigStoreTest, MalformedMacOrModelDisablesThatLayer) {
  write("aastra.cfg", "a: 1\n");
  ConfigStore store({dir_, "../evil", "not-a-mac"}, log_);
  EXPECT_TRUE(store.pathOf(ConfigLayer::kMac).empty());
  EXPECT_TRUE(store.pathOf(ConfigLayer::kModel).empty());
  EXPECT_EQ(store.snapshot().value("a"), "1");
  EXPECT_TRUE(capture_.contains("malformed MAC"));
  EXPECT_TRUE(capture_.contains("unusable model name"));
}

TEST_F(ConfigStoreTest, MissingFilesAreEmptyLayers) {
  ConfigStore store(options(), log_);
  EXPECT_TRUE(store.snapshot().values().empty());
  EXPECT_TRUE(capture_.lines().empty()) << capture_.joined();
}

TEST_F(ConfigStoreTest, OversizedFileIsRefusedAndPreviousContentKept) {
  write("aastra.cfg", "sip proxy ip: 10.0.0.1\n");
  ConfigStore store(options(), log_);
  write("aastra.cfg", "sip proxy ip: 10.0.0.2\n# " + std::string(kMaxFileBytes, 'x') + "\n");
  const ConfigDiff diff = store.reload();
  EXPECT_TRUE(diff.empty());
  EXPECT_EQ(store.snapshot().value("sip proxy ip"), "10.0.0.1");
  EXPECT_TRUE(capture_.contains("aastra.cfg")) << capture_.joined();
  EXPECT_TRUE(capture_.contains("previous content")) << capture_.joined();
}

TEST_F(ConfigStoreTest, OversizedFileOnFirstLoadIsEmpty) {
  write("aastra.cfg", "a: 1\n# " + std::string(kMaxFileBytes, 'x') + "\n");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("a"), std::nullopt);
  EXPECT_TRUE(capture_.contains("file refused")) << capture_.joined();
}

TEST_F(ConfigStoreTest, BadLineIsLoggedWithFileLineAndKey) {
  write("00085D1A2B3C.cfg", "a: 1\nsip line1 auth name 1001\nb: 2\n");
  ConfigStore store(options(), log_);
  EXPECT_TRUE(
      capture_.contains("00085D1A2B3C.cfg:2: no ':' after the key (key 'sip line1 auth "
                        "name 1001')"))
      << capture_.joined();
  EXPECT_EQ(store.snapshot().value("b"), "2");
}

TEST_F(ConfigStoreTest, ReloadReportsEffectiveChanges) {
  write("aastra.cfg", "a: 1\nb: 1\nc: 1\n!d: 1\n");
  write("local.cfg", "b: local\n");
  ConfigStore store(options(), log_);
  write("aastra.cfg", "a: 2\nb: 2\nd: 1\ne: new\n");
  const ConfigDiff diff = store.reload();
  // a changed; b's server value changed but local.cfg still wins; c removed; d unlocked; e added.
  ASSERT_EQ(diff.changes.size(), 4u);
  EXPECT_EQ(diff.changes[0].key, "a");
  EXPECT_EQ(diff.changes[0].before->value, "1");
  EXPECT_EQ(diff.changes[0].after->value, "2");
  EXPECT_EQ(diff.changes[1].key, "c");
  EXPECT_FALSE(diff.changes[1].after.has_value());
  EXPECT_EQ(diff.changes[2].key, "d");
  EXPECT_TRUE(diff.changes[2].before->locked);
  EXPECT_FALSE(diff.changes[2].after->locked);
  EXPECT_EQ(diff.changes[3].key, "e");
  EXPECT_FALSE(diff.changes[3].before.has_value());
  EXPECT_EQ(diff.before->value("a"), "1");
  EXPECT_EQ(diff.after->value("a"), "2");
  // Nothing changed: empty diff.
  EXPECT_TRUE(store.reload().empty());
}

TEST_F(ConfigStoreTest, LocalCfgEditedUnderneathIsALocalChange) {
  write("local.cfg", "sip line1 screen name: One\n");
  ConfigStore store(options(), log_);
  write("local.cfg", "sip line1 screen name: Two\n");
  const ConfigDiff diff = store.reload();
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].after->value, "Two");
  EXPECT_TRUE(diff.touchesPrefix("sip "));
  EXPECT_FALSE(diff.touchesPrefix("tr69 "));
}

TEST_F(ConfigStoreTest, Tr69SettingsChangePickedUpOnReload) {
  write("aastra.cfg", "tr69 server: http://127.0.0.1\ntr69 periodic inform interval: 600\n");
  ConfigStore store(options(), log_);
  const Tr69Settings before = Tr69Settings::fromSnapshot(store.snapshot(), log_);
  EXPECT_EQ(before.periodicInformInterval, 600u);
  write("aastra.cfg", "tr69 server: http://127.0.0.1\ntr69 periodic inform interval: 60\n");
  const ConfigDiff diff = store.reload();
  EXPECT_TRUE(diff.touchesPrefix("tr69 "));
  const Tr69Settings after = Tr69Settings::fromSnapshot(store.snapshot(), log_);
  EXPECT_EQ(after.periodicInformInterval, 60u);
  EXPECT_EQ(changedSettings(before, after),
            std::vector<std::string_view>{"periodicInformInterval"});
}

TEST_F(ConfigStoreTest, DuplicateKeyInOneFileTakesTheLast) {
  write("aastra.cfg", "!a: first\na: second\n");
  ConfigStore store(options(), log_);
  EXPECT_EQ(store.snapshot().value("a"), "second");
  EXPECT_FALSE(store.snapshot().locked("a"));
}

}  // namespace
}  // namespace tr69::config

namespace tr69::config {
namespace {

// The documented example file of the repository parses cleanly and sets every tr69 key.
TEST(ExampleConfigTest, ShippedAastraCfgIsValid) {
  LogCapture capture;
  const Logger log = capture.logger();
  auto text = readFile(std::filesystem::path(TR69_SOURCE_DIR) / "config" / "aastra.cfg");
  ASSERT_TRUE(text.ok());
  const ConfigFile file = ConfigFile::parse(*text, "aastra.cfg", log);
  EXPECT_EQ(file.badLines(), 0u);
  for (const std::string_view key :
       {tr69_keys::kServer, tr69_keys::kServerPort, tr69_keys::kUsername, tr69_keys::kPassword,
        tr69_keys::kConnectionRequestUsername, tr69_keys::kConnectionRequestPassword,
        tr69_keys::kConnectionRequestPath, tr69_keys::kConnectionRequestPort,
        tr69_keys::kPeriodicInformEnable, tr69_keys::kPeriodicInformInterval,
        tr69_keys::kPeriodicInformTime, tr69_keys::kTrustedCertificates, tr69_keys::kPrivateKey,
        tr69_keys::kServerAuthenticationRequired}) {
    EXPECT_NE(file.find(key), nullptr) << key;
  }
  const ConfigSnapshot snapshot = ConfigSnapshot::resolve({&file, nullptr, nullptr, nullptr});
  const Tr69Settings settings = Tr69Settings::fromSnapshot(snapshot, log);
  EXPECT_EQ(settings.acsUrl(), "http://127.0.0.1:7547");
  EXPECT_TRUE(capture.lines().empty()) << capture.joined();
  EXPECT_TRUE(snapshot.locked("sip registration period"));
}

}  // namespace
}  // namespace tr69::config

namespace tr69::config {
namespace {

class ConfigReloadTest : public testing::ConfigDirTest {};

// A global change arriving in a server file: lines without a per-line value of that set see it,
// lines with their own set do not; the diff's two snapshots let the caller tell them apart.
TEST_F(ConfigReloadTest, GlobalChangeSeenOnlyByLinesWithoutOwnSet) {
  write("aastra.cfg", "sip registrar ip: 10.0.0.1\n");
  write("local.cfg", "sip line1 proxy ip: 10.0.0.5\n");
  ConfigStore store(options(), log_);
  write("aastra.cfg", "sip registrar ip: 10.0.0.2\n");
  const ConfigDiff diff = store.reload();
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].key, "sip registrar ip");
  for (int line = 1; line <= kMaxSipLines; ++line) {
    const auto before = effectiveSipLineValue(*diff.before, line, "registrar ip");
    const auto after = effectiveSipLineValue(*diff.after, line, "registrar ip");
    if (line == 1) {
      EXPECT_EQ(before, after) << line;
    } else {
      ASSERT_TRUE(before && after) << line;
      EXPECT_EQ(before->value, "10.0.0.1");
      EXPECT_EQ(after->value, "10.0.0.2");
    }
  }
  EXPECT_EQ(sipLinesAffected(diff), (std::set<int>{2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST_F(ConfigReloadTest, PerLineChangeAffectsOnlyThatLine) {
  write("aastra.cfg", "sip line3 auth name: 3003\ntr69 server: http://127.0.0.1\n");
  ConfigStore store(options(), log_);
  write("aastra.cfg", "sip line3 auth name: 3333\ntr69 server: http://127.0.0.2\n");
  EXPECT_EQ(sipLinesAffected(store.reload()), std::set<int>{3});
}

TEST_F(ConfigReloadTest, DeletedServerFileRemovesItsKeys) {
  write("00085D1A2B3C.cfg", "sip line1 auth name: 1001\n");
  ConfigStore store(options(), log_);
  std::filesystem::remove(dir_ / "00085D1A2B3C.cfg");
  const ConfigDiff diff = store.reload();
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_FALSE(diff.changes[0].after.has_value());
  EXPECT_TRUE(capture_.lines().empty()) << capture_.joined();
}

TEST_F(ConfigReloadTest, OwnEditIsNotALocalChange) {
  ConfigStore store(options(), log_);
  ASSERT_TRUE(store.applyLocalEdit(LocalEdit().set("sip line1 vmail", "*97")).ok());
  EXPECT_TRUE(store.reload().empty());
}

}  // namespace
}  // namespace tr69::config
