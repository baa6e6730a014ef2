#include "tr69/session/state_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tr69/base/file_util.h"

namespace tr69::session {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "tr69-state-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::permissions(path_, fs::perms::owner_all, ignored);
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

PersistentState sampleState() {
  PersistentState s;
  s.events = {{"0 BOOTSTRAP", ""},
              {"M Reboot", "reboot <&> \"key\""},
              {"7 TRANSFER COMPLETE", ""},
              {"M Download", "  spaced key\twith tab\r\n"}};
  s.parameterKey = "pk-2024-05-01";
  s.bootstrappedAcsUrl = "https://acs.example.com:7547/cwmp?x=1&y=2";
  s.retryCount = 7;
  s.transferResults = {{"dl-1", 0, "", "2024-05-01T10:00:00Z", "2024-05-01T10:05:00Z", 17},
                       {"dl-2", 9016, "HTTP 404 from \"file server\"", "0001-01-01T00:00:00Z",
                        "0001-01-01T00:00:00Z"}};
  s.blobs["attributes"] = "<attr name=\"Device.X\" notification=\"2\"/>\n";
  static constexpr char kBinary[] = "ts=1700000000 id=42\0binary\x01\xff";
  s.blobs["udp-cr"] = std::string(kBinary, sizeof kBinary - 1);
  s.blobs["empty"] = "";
  s.blobs["blank"] = "   ";
  return s;
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeRaw(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

class StateStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  LogCapture capture;
  Logger logger = capture.logger();
};

TEST_F(StateStoreTest, FreshDirectoryLoadsTheEmptyStateAndNeedsBootstrap) {
  StateStore store(dir.path(), logger);
  auto state = store.load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(*state, PersistentState{});
  EXPECT_TRUE(needsBootstrap(*state, "http://acs"));
  EXPECT_THAT(capture.lines(), IsEmpty());
}

TEST_F(StateStoreTest, RoundTrip) {
  const PersistentState original = sampleState();
  {
    StateStore store(dir.path(), logger);
    ASSERT_TRUE(store.load().ok());
    ASSERT_TRUE(store.save(original).ok());
  }
  StateStore again(dir.path(), logger);
  auto loaded = again.load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, original);
  EXPECT_THAT(again.recoveredSections(), IsEmpty());
  EXPECT_THAT(capture.lines(), IsEmpty());
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / StateStore::kFileName).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(StateStoreTest, TransferIdIsOptionalSoOlderFilesStillLoad) {
  PersistentState withoutIds = sampleState();
  for (auto& result : withoutIds.transferResults)
    result.transferId = 0;
  const std::string text = serializeState(withoutIds, 1);
  EXPECT_EQ(text.find("transfer-id"), std::string::npos);
  const ParsedState parsed = parseState(text);
  EXPECT_TRUE(parsed.invalidSections.empty());
  EXPECT_EQ(parsed.state.transferResults, withoutIds.transferResults);
  EXPECT_EQ(parseState(serializeState(sampleState(), 1)).state.transferResults[0].transferId, 17u);
}

TEST_F(StateStoreTest, SerializationIsDeterministicAndReadable) {
  const std::string a = serializeState(sampleState(), 3);
  EXPECT_EQ(a, serializeState(sampleState(), 3));
  EXPECT_THAT(a, HasSubstr("<code>M Reboot</code>"));
  EXPECT_THAT(a, HasSubstr("generation=\"3\""));
  EXPECT_THAT(a, HasSubstr("encoding=\"base64\""));  // the key with tab and CR/LF
}

TEST_F(StateStoreTest, NeedsBootstrapWhenTheUrlChangesInAnyWay) {
  PersistentState s;
  s.bootstrappedAcsUrl = "http://acs.example.com/cwmp";
  EXPECT_FALSE(needsBootstrap(s, "http://acs.example.com/cwmp"));
  EXPECT_TRUE(needsBootstrap(s, "http://acs.example.com/cwmp/"));
  EXPECT_TRUE(needsBootstrap(s, "https://acs.example.com/cwmp"));
  s.bootstrappedAcsUrl.reset();
  EXPECT_TRUE(needsBootstrap(s, ""));
}

TEST_F(StateStoreTest, EverySaveKeepsThePreviousGeneration) {
  StateStore store(dir.path(), logger);
  ASSERT_TRUE(store.load().ok());
  PersistentState first = sampleState();
  ASSERT_TRUE(store.save(first).ok());
  PersistentState second = first;
  second.retryCount = 0;
  second.events.clear();
  ASSERT_TRUE(store.save(second).ok());
  EXPECT_EQ(parseState(readAll(dir.path() / StateStore::kBackupName)).state, first);
  EXPECT_EQ(parseState(readAll(dir.path() / StateStore::kFileName)).state, second);
  EXPECT_EQ(parseState(readAll(dir.path() / StateStore::kFileName)).generation,
            parseState(readAll(dir.path() / StateStore::kBackupName)).generation + 1);
}

TEST_F(StateStoreTest, SavingAnUnchangedStateWritesNothing) {
  StateStore store(dir.path(), logger);
  ASSERT_TRUE(store.load().ok());
  PersistentState first = sampleState();
  ASSERT_TRUE(store.save(first).ok());
  PersistentState second = first;
  second.retryCount = 0;
  ASSERT_TRUE(store.save(second).ok());
  const std::string written = readAll(dir.path() / StateStore::kFileName);
  ASSERT_TRUE(store.save(second).ok());  // no second rotation: the backup still holds `first`
  EXPECT_EQ(parseState(readAll(dir.path() / StateStore::kBackupName)).state, first);
  EXPECT_EQ(readAll(dir.path() / StateStore::kFileName), written);
  // A store that loads again writes its next save whatever the content.
  StateStore reopened(dir.path(), logger);
  ASSERT_TRUE(reopened.load().ok());
  ASSERT_TRUE(reopened.save(second).ok());
  EXPECT_EQ(parseState(readAll(dir.path() / StateStore::kBackupName)).state, second);
}

TEST_F(StateStoreTest, DamagedSectionIsRecoveredFromThePreviousGeneration) {
  StateStore store(dir.path(), logger);
  ASSERT_TRUE(store.load().ok());
  PersistentState older = sampleState();
  ASSERT_TRUE(store.save(older).ok());
  PersistentState newer = older;
  newer.parameterKey = "pk-new";
  newer.retryCount = 1;
  ASSERT_TRUE(store.save(newer).ok());
  // Flip the content of the retry count in the current file.
  std::string text = readAll(dir.path() / StateStore::kFileName);
  const std::size_t at = text.find(">1</retry-count>");
  ASSERT_NE(at, std::string::npos);
  text[at + 1] = '9';
  writeRaw(dir.path() / StateStore::kFileName, text);

  StateStore reloaded(dir.path(), logger);
  auto state = reloaded.load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->retryCount, 7u);          // from the previous generation
  EXPECT_EQ(state->parameterKey, "pk-new");  // intact in the current file
  EXPECT_THAT(reloaded.recoveredSections(), ElementsAre("retry-count"));
  EXPECT_TRUE(capture.contains("is damaged"));
  EXPECT_TRUE(capture.contains("retry-count recovered from state.xml.bak"));
  EXPECT_EQ(readAll(dir.path() / StateStore::kCorruptName), text);
  // The damaged file never becomes the backup: the next save keeps the intact backup.
  ASSERT_TRUE(reloaded.save(*state).ok());
  EXPECT_EQ(parseState(readAll(dir.path() / StateStore::kBackupName)).state, older);
}

TEST_F(StateStoreTest, TruncatedFileAtEveryOffsetLoadsWhatIsIntact) {
  PersistentState older = sampleState();
  older.parameterKey = "old-key";
  older.blobs["only-in-old"] = "x";
  const PersistentState current = sampleState();
  const std::string full = serializeState(current, 5);
  const std::string backup = serializeState(older, 4);
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    const std::string truncated = full.substr(0, cut);
    const ParsedState parsed = parseState(truncated);
    EXPECT_FALSE(parsed.wellFormed && parsed.invalidSections.empty() && parsed.state == current &&
                 cut + 2 < full.size())
        << cut;
    for (const std::string& name : parsed.validSections) {
      if (name == "parameter-key") {
        EXPECT_EQ(parsed.state.parameterKey, current.parameterKey);
      } else if (name == "events") {
        EXPECT_EQ(parsed.state.events, current.events);
      } else if (name == "transfer-results") {
        EXPECT_EQ(parsed.state.transferResults, current.transferResults);
      } else if (name.rfind("blob:", 0) == 0) {
        EXPECT_EQ(parsed.state.blobs.at(name.substr(5)), current.blobs.at(name.substr(5)));
      }
    }
    if (cut % 97 != 0) continue;  // the full file round trip for a sample of offsets
    writeRaw(dir.path() / StateStore::kFileName, truncated);
    writeRaw(dir.path() / StateStore::kBackupName, backup);
    StateStore store(dir.path(), logger);
    auto state = store.load();
    ASSERT_TRUE(state.ok()) << cut;
    EXPECT_EQ(state->events, current.events) << cut;  // both generations agree
    EXPECT_EQ(state->transferResults, current.transferResults) << cut;
    EXPECT_TRUE(state->parameterKey == current.parameterKey ||
                state->parameterKey == older.parameterKey)
        << cut;
  }
}

TEST_F(StateStoreTest, TruncatedFileWithoutBackupKeepsTheIntactSections) {
  const std::string full = serializeState(sampleState(), 1);
  const std::size_t cut = full.find("<transfer-results");
  ASSERT_NE(cut, std::string::npos);
  writeRaw(dir.path() / StateStore::kFileName, full.substr(0, cut + 30));
  StateStore store(dir.path(), logger);
  auto state = store.load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->events, sampleState().events);
  EXPECT_EQ(state->parameterKey, sampleState().parameterKey);
  EXPECT_EQ(state->retryCount, 7u);
  EXPECT_THAT(state->transferResults, IsEmpty());
  EXPECT_THAT(store.lostSections(), Contains("transfer-results"));
  EXPECT_TRUE(capture.contains("damaged in both generations"));
}

TEST_F(StateStoreTest, GarbageIsReportedAndYieldsTheBackupOrAFreshState) {
  for (const std::string& garbage :
       {std::string("\x00\x01\x02 not xml at all", 18),
        std::string("<html><body>404</body></html>"),
        std::string("<tr69-state><events md5=\"00\"><event><code>1 BOOT</code></event></events>"),
        std::string(4096, '<')}) {
    writeRaw(dir.path() / StateStore::kFileName, garbage);
    fs::remove(dir.path() / StateStore::kBackupName);
    StateStore store(dir.path(), logger);
    auto state = store.load();
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(*state, PersistentState{});
    EXPECT_TRUE(capture.contains("is damaged"));
    // And a fresh save works on top of it.
    ASSERT_TRUE(store.save(sampleState()).ok());
    StateStore again(dir.path(), logger);
    EXPECT_EQ(*again.load(), sampleState());
  }
}

TEST_F(StateStoreTest, MissingCurrentFileFallsBackToThePreviousGeneration) {
  writeRaw(dir.path() / StateStore::kBackupName, serializeState(sampleState(), 2));
  StateStore store(dir.path(), logger);
  auto state = store.load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(*state, sampleState());
  EXPECT_TRUE(capture.contains("is missing"));
}

TEST_F(StateStoreTest, UnknownElementsAndAttributesAreIgnored) {
  std::string text = serializeState(sampleState(), 1);
  const std::size_t at = text.find("<events");
  text.insert(at, "<future-section md5=\"x\"><thing/></future-section>\n");
  text.replace(text.find("<tr69-state "), 12, "<tr69-state extra=\"1\" ");
  writeRaw(dir.path() / StateStore::kFileName, text);
  StateStore store(dir.path(), logger);
  auto state = store.load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(*state, sampleState());
  EXPECT_THAT(capture.lines(), IsEmpty());
}

TEST_F(StateStoreTest, MissingDirectoryIsAClearError) {
  StateStore store(dir.path() / "nope", logger);
  auto state = store.load();
  ASSERT_FALSE(state.ok());
  EXPECT_THAT(state.fault().message, HasSubstr("state directory does not exist"));
  EXPECT_TRUE(capture.contains("does not exist"));
  writeRaw(dir.path() / "file", "x");
  StateStore onFile(dir.path() / "file", logger);
  ASSERT_FALSE(onFile.load().ok());
}

TEST_F(StateStoreTest, UnwritableDirectoryIsAClearError) {
  // root ignores permission bits; /proc refuses new files to everyone.
  const fs::path target = ::geteuid() == 0 ? fs::path("/proc") : dir.path() / "ro";
  if (target != "/proc") {
    fs::create_directory(target);
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_exec);
  }
  StateStore store(target, logger);
  ASSERT_TRUE(store.load().ok());
  const Status saved = store.save(sampleState());
  ASSERT_FALSE(saved.ok());
  EXPECT_THAT(saved.fault().message, HasSubstr("cannot write state file"));
  EXPECT_TRUE(capture.contains("state: cannot write"));
}

TEST_F(StateStoreTest, InvalidBlobNamesAreRefused) {
  StateStore store(dir.path(), logger);
  ASSERT_TRUE(store.load().ok());
  PersistentState s;
  s.blobs["bad name/"] = "x";
  EXPECT_FALSE(store.save(s).ok());
  EXPECT_FALSE(isValidBlobName(""));
  EXPECT_FALSE(isValidBlobName(std::string(65, 'a')));
  EXPECT_TRUE(isValidBlobName("notification.baseline_v2-1"));
}

TEST_F(StateStoreTest, HostileValuesInSectionsAreRejectedNotTrusted) {
  std::string text = serializeState(sampleState(), 1);
  // Invalid base64 inside a sealed section, and a non-numeric retry count.
  const std::size_t enc = text.find("encoding=\"base64\">");
  ASSERT_NE(enc, std::string::npos);
  text.insert(enc + 18, "!!");
  const std::size_t retry = text.find(">7</retry-count>");
  text.replace(retry + 1, 1, "x");
  const ParsedState parsed = parseState(text);
  EXPECT_TRUE(parsed.wellFormed);
  EXPECT_THAT(parsed.invalidSections, Contains("events"));
  EXPECT_THAT(parsed.invalidSections, Contains("retry-count"));
  EXPECT_THAT(parsed.validSections, Contains("parameter-key"));
}

}  // namespace
}  // namespace tr69::session
