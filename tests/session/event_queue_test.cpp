#include "tr69/session/event_queue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tr69::session {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> names(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) {
    out.push_back(std::string(wireName(e.code)) + (e.commandKey.empty() ? "" : "/" + e.commandKey));
  }
  return out;
}

TEST(EventTable, RulesFollowTheStandardTable) {
  EXPECT_EQ(eventRule(EventCode::kBootstrap).wireName, "0 BOOTSTRAP");
  EXPECT_TRUE(eventRule(EventCode::kBootstrap).persistent);
  EXPECT_FALSE(eventRule(EventCode::kBoot).persistent);
  EXPECT_FALSE(eventRule(EventCode::kValueChange).persistent);
  EXPECT_FALSE(eventRule(EventCode::kConnectionRequest).persistent);
  EXPECT_FALSE(eventRule(EventCode::kConnectionRequest).retryWhenAlone);
  EXPECT_FALSE(eventRule(EventCode::kDiagnosticsComplete).persistent);
  EXPECT_TRUE(eventRule(EventCode::kPeriodic).persistent);
  EXPECT_EQ(eventRule(EventCode::kTransferComplete).deliveredBy,
            DeliveredBy::kTransferCompleteResponse);
  EXPECT_EQ(eventRule(EventCode::kMDownload).deliveredBy, DeliveredBy::kTransferCompleteResponse);
  EXPECT_EQ(eventRule(EventCode::kMUpload).deliveredBy, DeliveredBy::kTransferCompleteResponse);
  EXPECT_EQ(eventRule(EventCode::kMReboot).deliveredBy, DeliveredBy::kInformResponse);
  EXPECT_EQ(eventRule(EventCode::kMReboot).multiplicity, Multiplicity::kMultiple);
  EXPECT_EQ(eventRule(EventCode::kScheduled).multiplicity, Multiplicity::kSingle);
  EXPECT_EQ(eventRule(EventCode::kTransferComplete).discardOnBootstrap,
            kDiscardTransferEventsOnBootstrap);
  for (const EventRule& rule : kEventTable) {
    EXPECT_EQ(findEventCode(rule.wireName), rule.code) << rule.wireName;
    EXPECT_TRUE(rule.code == EventCode::kConnectionRequest || rule.retryWhenAlone);
  }
}

TEST(EventTable, UnknownAndMisspeltCodesAreNotFound) {
  EXPECT_FALSE(findEventCode("4 VALUE CHANGED"));
  EXPECT_FALSE(findEventCode("5 KICKED"));
  EXPECT_FALSE(findEventCode(""));
  EXPECT_FALSE(findEventCode("m reboot"));
}

TEST(EventTable, MEventsHaveTheirNumericPartner) {
  EXPECT_EQ(partnerEvent(EventCode::kMReboot), EventCode::kBoot);
  EXPECT_EQ(partnerEvent(EventCode::kMScheduleInform), EventCode::kScheduled);
  EXPECT_EQ(partnerEvent(EventCode::kMDownload), EventCode::kTransferComplete);
  EXPECT_EQ(partnerEvent(EventCode::kMUpload), EventCode::kTransferComplete);
  EXPECT_EQ(partnerEvent(EventCode::kMScheduleDownload), EventCode::kTransferComplete);
  EXPECT_FALSE(partnerEvent(EventCode::kPeriodic));
}

TEST(EventQueue, SinglesCollapseAndMultiplesKeepTheirKeys) {
  EventQueue queue;
  queue.raise(EventCode::kValueChange);
  queue.raise(EventCode::kValueChange);
  queue.raise(EventCode::kScheduled);
  queue.raise(EventCode::kMScheduleInform, "a");
  queue.raise(EventCode::kScheduled);
  queue.raise(EventCode::kMScheduleInform, "b");
  queue.raise(EventCode::kPeriodic, "ignored");
  EXPECT_THAT(names(queue.informEvents()),
              ElementsAre("4 VALUE CHANGE", "3 SCHEDULED", "M ScheduleInform/a",
                          "M ScheduleInform/b", "2 PERIODIC"));
}

TEST(EventQueue, MEventsBringTheirPartnerExceptReboot) {
  EventQueue queue;
  queue.raise(EventCode::kMScheduleInform, "s1");
  queue.raise(EventCode::kMDownload, "d1");
  queue.raise(EventCode::kMScheduleDownload, "sd1");
  queue.raise(EventCode::kMReboot, "r1");
  EXPECT_THAT(names(queue.pending()),
              ElementsAre("3 SCHEDULED", "M ScheduleInform/s1", "7 TRANSFER COMPLETE",
                          "M Download/d1", "M ScheduleDownload/sd1", "M Reboot/r1"));
}

TEST(EventQueue, InformResponseDeliversAllButTransferEvents) {
  EventQueue queue;
  queue.raise(EventCode::kBoot);
  queue.raise(EventCode::kMReboot, "rb");
  queue.raise(EventCode::kTransferComplete);
  queue.raise(EventCode::kMDownload, "dl");
  ASSERT_EQ(queue.informEvents().size(), 4u);
  queue.onInformResponse();
  EXPECT_THAT(names(queue.pending()), ElementsAre("7 TRANSFER COMPLETE", "M Download/dl"));
  EXPECT_FALSE(queue.onTransferCompleteResponse("other"));
  EXPECT_TRUE(queue.onTransferCompleteResponse("dl"));
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, TransferCompleteStaysUntilEveryTransferIsAcknowledged) {
  EventQueue queue;
  queue.raise(EventCode::kTransferComplete);
  queue.raise(EventCode::kMDownload, "d1");
  queue.raise(EventCode::kTransferComplete);
  queue.raise(EventCode::kMUpload, "u1");
  EXPECT_THAT(names(queue.informEvents()),
              ElementsAre("7 TRANSFER COMPLETE", "M Download/d1", "M Upload/u1"));
  queue.onInformResponse();
  EXPECT_TRUE(queue.onTransferCompleteResponse("u1"));
  EXPECT_THAT(names(queue.pending()), ElementsAre("7 TRANSFER COMPLETE", "M Download/d1"));
  EXPECT_TRUE(queue.onTransferCompleteResponse("d1"));
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, DeliveredEventsAreNotRepeatedAfterALaterFailure) {
  EventQueue queue;
  queue.raise(EventCode::kPeriodic);
  queue.raise(EventCode::kTransferComplete);
  queue.raise(EventCode::kMDownload, "k");
  queue.informEvents();
  queue.onInformResponse();
  EXPECT_TRUE(queue.onSessionFailed());
  EXPECT_THAT(names(queue.informEvents()), ElementsAre("7 TRANSFER COMPLETE", "M Download/k"));
}

TEST(EventQueue, FailureBeforeInformResponseKeepsEverything) {
  EventQueue queue;
  queue.raise(EventCode::kBoot);
  queue.raise(EventCode::kValueChange);
  queue.informEvents();
  EXPECT_TRUE(queue.onSessionFailed());
  EXPECT_THAT(names(queue.informEvents()), ElementsAre("1 BOOT", "4 VALUE CHANGE"));
}

TEST(EventQueue, LoneConnectionRequestIsNotRetried) {
  EventQueue queue;
  queue.raise(EventCode::kConnectionRequest);
  queue.informEvents();
  EXPECT_FALSE(queue.onSessionFailed());
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, ConnectionRequestWithOtherEventsIsRetriedAndKept) {
  EventQueue queue;
  queue.raise(EventCode::kConnectionRequest);
  queue.raise(EventCode::kPeriodic);
  queue.informEvents();
  EXPECT_TRUE(queue.onSessionFailed());
  EXPECT_THAT(names(queue.pending()), ElementsAre("6 CONNECTION REQUEST", "2 PERIODIC"));
}

TEST(EventQueue, FailureWithNothingPendingIsNotRetried) {
  EventQueue queue;
  queue.raise(EventCode::kPeriodic);
  queue.informEvents();
  queue.onInformResponse();
  EXPECT_FALSE(queue.onSessionFailed());
}

TEST(EventQueue, EventRaisedDuringTheSessionSurvivesTheInformResponse) {
  EventQueue queue;
  queue.raise(EventCode::kValueChange);
  queue.raise(EventCode::kMReboot, "r1");
  queue.informEvents();
  queue.raise(EventCode::kValueChange);  // a new change while the Inform is in flight
  queue.raise(EventCode::kConnectionRequest);
  queue.onInformResponse();
  EXPECT_THAT(names(queue.pending()), ElementsAre("4 VALUE CHANGE", "6 CONNECTION REQUEST"));
  queue.onSessionSucceeded();
  EXPECT_THAT(names(queue.informEvents()), ElementsAre("4 VALUE CHANGE", "6 CONNECTION REQUEST"));
}

TEST(EventQueue, SingleRaisedTwiceAroundAFailedInformIsListedOnce) {
  EventQueue queue;
  queue.raise(EventCode::kValueChange);
  queue.informEvents();
  queue.raise(EventCode::kValueChange);
  EXPECT_TRUE(queue.onSessionFailed());
  EXPECT_THAT(names(queue.informEvents()), ElementsAre("4 VALUE CHANGE"));
}

TEST(EventQueue, BootstrapDiscardsEarlierUndeliveredEventsPerTheTable) {
  EventQueue queue;
  queue.raise(EventCode::kPeriodic);
  queue.raise(EventCode::kMReboot, "r");
  queue.raise(EventCode::kTransferComplete);
  queue.raise(EventCode::kMDownload, "d");
  const std::vector<Event> discarded = queue.raise(EventCode::kBootstrap);
  queue.raise(EventCode::kBoot);
  if (kDiscardTransferEventsOnBootstrap) {
    EXPECT_THAT(names(discarded),
                ElementsAre("2 PERIODIC", "M Reboot/r", "7 TRANSFER COMPLETE", "M Download/d"));
    EXPECT_THAT(names(queue.informEvents()), ElementsAre("0 BOOTSTRAP", "1 BOOT"));
  } else {
    EXPECT_THAT(names(discarded), ElementsAre("2 PERIODIC", "M Reboot/r"));
    EXPECT_THAT(names(queue.informEvents()),
                ElementsAre("7 TRANSFER COMPLETE", "M Download/d", "0 BOOTSTRAP", "1 BOOT"));
  }
}

TEST(EventQueue, BootstrapIsNeverDiscardedByASecondBootstrap) {
  EventQueue queue;
  queue.raise(EventCode::kBootstrap);
  EXPECT_THAT(queue.raise(EventCode::kBootstrap), IsEmpty());
  EXPECT_THAT(names(queue.pending()), ElementsAre("0 BOOTSTRAP"));
}

TEST(EventQueue, PersistentSubsetRoundTrips) {
  EventQueue queue;
  queue.raise(EventCode::kBootstrap);
  queue.raise(EventCode::kBoot);
  queue.raise(EventCode::kValueChange);
  queue.raise(EventCode::kConnectionRequest);
  queue.raise(EventCode::kMReboot, "r1");
  queue.raise(EventCode::kTransferComplete);
  queue.raise(EventCode::kMUpload, "u<&>\"1");
  queue.raise(EventCode::kDiagnosticsComplete);
  const std::vector<StoredEvent> stored = queue.persistentEvents();
  EXPECT_THAT(stored, ElementsAre(StoredEvent{"0 BOOTSTRAP", ""}, StoredEvent{"M Reboot", "r1"},
                                  StoredEvent{"7 TRANSFER COMPLETE", ""},
                                  StoredEvent{"M Upload", "u<&>\"1"}));
  EventQueue restored;
  EXPECT_THAT(restored.restore(stored), IsEmpty());
  EXPECT_EQ(restored.persistentEvents(), stored);
}

TEST(EventQueue, RestoreSkipsUnknownAndVolatileCodes) {
  EventQueue queue;
  const std::vector<StoredEvent> skipped = queue.restore({{"2 PERIODIC", ""},
                                                          {"9 REQUEST DOWNLOAD", ""},
                                                          {"1 BOOT", ""},
                                                          {"2 PERIODIC", "x"},
                                                          {"M Download", "d"}});
  EXPECT_THAT(skipped,
              ElementsAre(StoredEvent{"9 REQUEST DOWNLOAD", ""}, StoredEvent{"1 BOOT", ""}));
  EXPECT_THAT(names(queue.pending()), ElementsAre("2 PERIODIC", "M Download/d"));
}

}  // namespace
}  // namespace tr69::session
