#include "tr69/transfer/transfer_store.h"

#include <gtest/gtest.h>

namespace tr69::transfer {
namespace {

TransferState sample() {
  TransferState state;
  state.nextId = 9;
  Job download;
  download.id = 3;
  download.kind = TransferKind::kDownload;
  download.commandKey = "fw <&\"'> key";
  download.fileType = std::string(kFirmwareImage);
  download.url = "http://127.0.0.1:8080/fw.bin?a=1&b=2";
  download.username = "user";
  download.password = "p&ss<word>";
  download.fileSize = 4096;
  download.acceptedAt = 1764222000;
  download.dueAt = 1764222060;
  download.running = true;
  download.starts = 1;
  download.startTime = "2026-11-27T05:00:00Z";
  Job scheduled;
  scheduled.id = 5;
  scheduled.kind = TransferKind::kScheduleDownload;
  scheduled.fileType = std::string(kDownloadConfigFile);
  scheduled.url = "tftp://10.0.0.1/cfg";
  scheduled.windows = {{100, 200, std::string(kWindowAtAnyTime), "msg", -1},
                       {300, 400, std::string(kWindowConfirmationNeeded), "", 2}};
  state.jobs = {download, scheduled};
  StoredResult result;
  result.result.id = 7;
  result.result.kind = TransferKind::kUpload;
  result.result.commandKey = "up";
  result.result.faultCode = FaultCode::kUploadFailure;
  result.result.faultString = "HTTP status 500";
  result.result.startTime = "2026-11-27T05:00:00Z";
  result.result.completeTime = "2026-11-27T05:00:01Z";
  StoredResult firmware;
  firmware.result.id = 8;
  firmware.phase = ResultPhase::kFirmwareInstalling;
  firmware.image = "/state/transfers/firmware.img";
  state.results = {result, firmware};
  return state;
}

TEST(TransferStore, RoundTrip) {
  const TransferState state = sample();
  auto parsed = parseState(serializeState(state));
  ASSERT_TRUE(parsed.ok()) << parsed.fault().message;
  EXPECT_EQ(parsed->skippedEntries, 0u);
  EXPECT_EQ(parsed->state.nextId, 9u);
  EXPECT_EQ(parsed->state.jobs, state.jobs);
  ASSERT_EQ(parsed->state.results.size(), 2u);
  EXPECT_EQ(parsed->state.results[0].result.faultString, "HTTP status 500");
  EXPECT_EQ(parsed->state.results[0].result.faultCode, FaultCode::kUploadFailure);
  EXPECT_EQ(parsed->state.results[1].phase, ResultPhase::kFirmwareInstalling);
  EXPECT_EQ(parsed->state.results[1].image, "/state/transfers/firmware.img");
}

TEST(TransferStore, EmptyState) {
  auto parsed = parseState(serializeState({}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->state.jobs.empty());
  EXPECT_TRUE(parsed->state.results.empty());
}

TEST(TransferStore, NotXmlIsAnError) {
  EXPECT_FALSE(parseState("").ok());
  EXPECT_FALSE(parseState("garbage").ok());
  EXPECT_FALSE(parseState("<other/>").ok());
  EXPECT_FALSE(parseState("<transfers version=\"2\"/>").ok());
  EXPECT_FALSE(parseState(std::string(kMaxStateFileBytes + 1, ' ')).ok());
}

TEST(TransferStore, TruncatedFileIsAnError) {
  const std::string text = serializeState(sample());
  for (std::size_t cut : {text.size() / 4, text.size() / 2, text.size() - 5}) {
    EXPECT_FALSE(parseState(text.substr(0, cut)).ok()) << cut;
  }
}

TEST(TransferStore, DamagedEntriesAreSkippedAndCounted) {
  const std::string xml = R"(<transfers version="1" next-id="2">
    <job id="x" kind="download"/>
    <job id="4" kind="teleport" command-key="" file-type="" url="" username="" password=""
         file-size="0" target="" accepted-at="0" due-at="0" running="0" starts="0" start-time=""/>
    <job id="5" kind="upload" command-key="ok" file-type="2 Vendor Log File" url="http://h/"
         username="" password="" file-size="0" target="" accepted-at="1" due-at="1" running="0"
         starts="0" start-time=""/>
    <job id="6" kind="scheduleDownload" command-key="" file-type="" url="" username="" password=""
         file-size="0" target="" accepted-at="0" due-at="0" running="0" starts="0" start-time=""/>
    <result id="7" kind="download" command-key="" fault-code="9003" fault-string="" start=""
            complete="" phase="pending" image=""/>
    <result id="8" kind="download" command-key="" fault-code="0" fault-string="" start=""
            complete="" phase="firmware-ready" image=""/>
    <result id="99999999999999999999" kind="download"/>
    <junk/>
  </transfers>)";
  auto parsed = parseState(xml);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->state.jobs.size(), 1u);
  EXPECT_EQ(parsed->state.jobs[0].commandKey, "ok");
  EXPECT_TRUE(parsed->state.results.empty());
  EXPECT_EQ(parsed->skippedEntries, 7u);
  EXPECT_EQ(parsed->state.nextId, 6u);  // above every kept id
}

TEST(TransferStore, OversizedAttributeIsSkipped) {
  TransferState state = sample();
  state.jobs[0].url = std::string(5000, 'a');
  auto parsed = parseState(serializeState(state));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->state.jobs.size(), 1u);
  EXPECT_EQ(parsed->skippedEntries, 1u);
}

}  // namespace
}  // namespace tr69::transfer
