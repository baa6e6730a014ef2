// Change tracking for notifications: causes, baselines, ACS changes never notified.
#include "fixture.h"

namespace tr69::model {
namespace {

using testing_support::paramByPath;
using testing_support::TreeTest;

const std::string kUrl = "Device.ManagementServer.URL";
const std::string kIp = "Device.LAN.IPAddress";
const std::string kName = "Device.Services.VoiceService.1.VoiceProfile.1.Name";

class NotifyTest : public TreeTest {
 protected:
  void SetUp() override {
    std::vector<AttributeChange> changes{
        {kUrl, true, 2, false, {}}, {kIp, true, 1, false, {}}, {kName, true, 1, false, {}}};
    ASSERT_TRUE(tree_.setAttributes(changes).ok());
    auto b = tree_.takeBaseline();
    ASSERT_TRUE(b.ok());
    baseline_ = *b;
  }
  std::vector<ValueChange> changes() {
    auto r = tree_.collectChanges(baseline_);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<ValueChange>{};
  }
  NotificationBaseline baseline_;
};

TEST_F(NotifyTest, ListsNotifiedParameters) {
  auto list = tree_.notifiedParameters();
  EXPECT_EQ(list, (std::vector<std::string>{kName, kUrl, kIp}));  // tree order
  EXPECT_EQ(baseline_.values.size(), 3u);
}

TEST_F(NotifyTest, NoChangeNothingReported) {
  EXPECT_TRUE(changes().empty());
}

TEST_F(NotifyTest, LiveChangesAreReportedWithTheirNotification) {
  storage_.setValue(paramByPath(kIp), {}, "192.0.2.7");
  auto c = changes();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].name, kIp);
  EXPECT_EQ(c[0].value, "192.0.2.7");
  EXPECT_EQ(c[0].notification, 1);
  EXPECT_EQ(c[0].cause, ChangeCause::kLive);
  EXPECT_TRUE(changes().empty()) << "the baseline moved on";
}

TEST_F(NotifyTest, LocalConfigChangesCarryTheirCause) {
  storage_.setValue(paramByPath(kUrl), {}, "https://acs.example/");
  tree_.recordChange(kUrl, ChangeCause::kLocalConfig);
  auto c = changes();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].cause, ChangeCause::kLocalConfig);
  EXPECT_EQ(c[0].notification, 2);
}

TEST_F(NotifyTest, AcsChangesAreNeverReported) {
  std::vector<SetRequest> req{{kUrl, "https://acs.example/", std::nullopt},
                              {kName, "office", std::nullopt}};
  ASSERT_TRUE(tree_.setValues(req, ChangeCause::kAcs).ok());
  EXPECT_TRUE(changes().empty());
  EXPECT_EQ(baseline_.values[kUrl], "https://acs.example/");
}

TEST_F(NotifyTest, ALaterLocalChangeOverridesAnAcsCause) {
  std::vector<SetRequest> req{{kName, "office", std::nullopt}};
  ASSERT_TRUE(tree_.setValues(req, ChangeCause::kAcs).ok());
  storage_.setValue(paramByPath("Device.Services.VoiceService.{i}.VoiceProfile.{i}.Name"), {1, 1},
                    "lobby");
  tree_.recordChange(kName, ChangeCause::kLocalConfig);
  auto c = changes();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].value, "lobby");
}

TEST_F(NotifyTest, ChangedBackStillCountsOnlyIfDifferentFromBaseline) {
  storage_.setValue(paramByPath(kIp), {}, "192.0.2.7");
  storage_.setValue(paramByPath(kIp), {}, "");
  EXPECT_TRUE(changes().empty());
}

TEST_F(NotifyTest, HiddenValuesNeverReachTheBaselineOrTheChange) {
  const std::string pw = "Device.ManagementServer.Password";
  std::vector<AttributeChange> on{{pw, true, 1, false, {}}};
  ASSERT_TRUE(tree_.setAttributes(on).ok());
  baseline_ = *tree_.takeBaseline();
  storage_.setValue(paramByPath(pw), {}, "topsecret");
  EXPECT_EQ(baseline_.save().find("topsecret"), std::string::npos);
  auto c = changes();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].value, "");
  EXPECT_EQ(baseline_.save().find("topsecret"), std::string::npos);
}

TEST_F(NotifyTest, BaselineRoundTripsAndRejectsGarbage) {
  auto loaded = NotificationBaseline::load(baseline_.save());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->values, baseline_.values);
  EXPECT_FALSE(NotificationBaseline::load("<nope").ok());
  EXPECT_FALSE(NotificationBaseline::load("<other/>").ok());
  EXPECT_FALSE(NotificationBaseline::load("<baseline><parameter/></baseline>").ok());
}

TEST_F(NotifyTest, NewlyNotifiedParametersJoinTheBaselineSilently) {
  const std::string gw = "Device.LAN.DefaultGateway";
  std::vector<AttributeChange> on{{gw, true, 1, false, {}}};
  ASSERT_TRUE(tree_.setAttributes(on).ok());
  EXPECT_TRUE(changes().empty());
  EXPECT_EQ(baseline_.values.count(gw), 1u);
}

}  // namespace
}  // namespace tr69::model
