// AddObject / DeleteObject (cwmp.md 2.3) and the instance rules of the Aastra model.
#include "fixture.h"

namespace tr69::model {
namespace {

using testing_support::TreeTest;

const std::string kProfiles = "Device.Services.VoiceService.1.VoiceProfile.";
const std::string kDhcp = "Device.LAN.DHCPOption.";

TEST_F(TreeTest, AddObjectTakesTheLowestFreeNumber) {
  EXPECT_EQ(*tree_.addObject(kDhcp, ChangeCause::kAcs), 1u);
  EXPECT_EQ(*tree_.addObject(kDhcp, ChangeCause::kAcs), 2u);
  EXPECT_EQ(*tree_.addObject(kDhcp, ChangeCause::kAcs), 3u);
  ASSERT_TRUE(tree_.deleteObject(kDhcp + "2.", ChangeCause::kAcs).ok());
  EXPECT_EQ(*tree_.addObject(kDhcp, ChangeCause::kAcs), 2u);
  EXPECT_EQ(value("Device.LAN.DHCPOptionNumberOfEntries"), "3");
  EXPECT_EQ(value(kDhcp + "2.Value"), "");  // a new instance reads its defaults
}

TEST_F(TreeTest, VoiceProfilesAreLimitedToTheLineCount) {
  auto full = tree_.addObject(kProfiles, ChangeCause::kAcs);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.fault().code, FaultCode::kResourcesExceeded);
  ASSERT_TRUE(tree_.deleteObject(kProfiles + "4.", ChangeCause::kAcs).ok());
  EXPECT_EQ(value("Device.Services.VoiceService.1.VoiceProfileNumberOfEntries"), "8");
  EXPECT_EQ(*tree_.addObject(kProfiles, ChangeCause::kAcs), 4u);
}

TEST_F(TreeTest, DeleteObjectRemovesValuesAndAttributesBelow) {
  const std::string proxy = kProfiles + "3.SIP.ProxyServer";
  ASSERT_TRUE(set({{proxy, "pbx", std::nullopt}}).ok());
  std::vector<AttributeChange> changes{{proxy, true, 1, false, {}}};
  ASSERT_TRUE(tree_.setAttributes(changes).ok());
  ASSERT_TRUE(tree_.deleteObject(kProfiles + "3.", ChangeCause::kAcs).ok());
  EXPECT_FALSE(tree_.resolve(proxy).ok());
  ASSERT_EQ(*tree_.addObject(kProfiles, ChangeCause::kAcs), 3u);
  EXPECT_EQ(value(proxy), "");
  std::vector<std::string> names{proxy};
  EXPECT_EQ((*tree_.getAttributes(names))[0].notification, 0);
}

TEST_F(TreeTest, AddObjectRejectsWhatIsNotAWritableTable) {
  for (const std::string& bad :
       {std::string("Device.LAN."), kProfiles + "1.", std::string("Device.LAN.DHCPOption"),
        std::string("Device.LAN.TraceRouteDiagnostics.RouteHops."),
        std::string("Device.Services.VoiceService."), std::string("Device.Nope.")}) {
    auto r = tree_.addObject(bad, ChangeCause::kAcs);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.fault().code, FaultCode::kInvalidParameterName) << bad;
  }
}

TEST_F(TreeTest, LineTablesHoldExactlyOneLine) {
  const std::string lines = kProfiles + "1.Line.";
  auto add = tree_.addObject(lines, ChangeCause::kAcs);
  ASSERT_FALSE(add.ok());
  EXPECT_EQ(add.fault().code, FaultCode::kResourcesExceeded);
  auto del = tree_.deleteObject(lines + "1.", ChangeCause::kAcs);
  ASSERT_FALSE(del.ok());
  EXPECT_EQ(del.fault().code, FaultCode::kRequestDenied);
}

TEST_F(TreeTest, DeleteObjectRejectsNonInstances) {
  for (const std::string& bad :
       {kProfiles, kProfiles + "1.SIP.", kProfiles + "12.",
        std::string("Device.Services.VoiceService.1."), kProfiles + "1.SIP.ProxyServer"}) {
    auto r = tree_.deleteObject(bad, ChangeCause::kAcs);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.fault().code, FaultCode::kInvalidParameterName) << bad;
  }
}

TEST_F(TreeTest, AddObjectInsideANewInstance) {
  auto n = tree_.addObject(kProfiles + "2.SIP.EventSubscribe.", ChangeCause::kAcs);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(value(kProfiles + "2.SIP.SIPEventSubscribeNumberOfElements"), "1");
  EXPECT_EQ(value(kProfiles + "1.SIP.SIPEventSubscribeNumberOfElements"), "0");
  EXPECT_EQ(tree_.instances(dm::Services::VoiceService::VoiceProfile::SIP::EventSubscribe::kObject,
                            {1, 2}),
            std::vector<InstanceNumber>{1});
}

}  // namespace
}  // namespace tr69::model
