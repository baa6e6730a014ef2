// Path resolution and GetParameterNames (cwmp.md 7.5, 7.6).
#include "fixture.h"

namespace tr69::model {
namespace {

using testing_support::TreeTest;

constexpr std::string_view kProfile = "Device.Services.VoiceService.1.VoiceProfile.";

TEST_F(TreeTest, ResolvesParametersObjectsTablesAndTheRoot) {
  auto root = tree_.resolve("");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->kind, Node::Kind::kObject);
  EXPECT_EQ(root->index, 0u);
  auto param = tree_.resolve("Device.Services.VoiceService.1.VoiceProfile.3.SIP.ProxyServer");
  ASSERT_TRUE(param.ok());
  EXPECT_EQ(param->kind, Node::Kind::kParameter);
  EXPECT_EQ(param->instances, (InstancePath{1, 3}));
  auto table = tree_.resolve(std::string(kProfile));
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->kind, Node::Kind::kTable);
  auto instance = tree_.resolve(std::string(kProfile) + "9.");
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(instance->kind, Node::Kind::kObject);
}

TEST_F(TreeTest, RejectsUnknownAndMalformedPaths) {
  for (std::string_view bad :
       {"Device", "Device.Nope.", "Device.DeviceInfo", "Device.DeviceInfo.UpTime.",
        "Device.DeviceInfo.Uptime", "device.DeviceInfo.UpTime", "Device..DeviceInfo.",
        "Device.Services.VoiceService.2.", "Device.Services.VoiceService.0.",
        "Device.Services.VoiceService.01.", "Device.Services.VoiceService.-1.",
        "Device.Services.VoiceService.1.VoiceProfile.10.", "Device.Services.VoiceService.x.",
        "Device.Services.VoiceService.1.VoiceProfile.99999999999.",
        "Device.Services.VoiceService.VoiceProfile.", "InternetGatewayDevice.", "."}) {
    auto r = tree_.resolve(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.fault().code, FaultCode::kInvalidParameterName) << bad;
  }
}

TEST_F(TreeTest, NextLevelTrueOnEmptyPathGivesTheRootObject) {
  auto r = tree_.parameterNames("", true);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0], (ParameterInfo{"Device.", false}));
}

TEST_F(TreeTest, NextLevelFalseOnEmptyPathGivesTheWholeTree) {
  auto all = names("", false);
  EXPECT_EQ(all.front(), "Device.");
  EXPECT_TRUE(contains(all, "Device.ManagementServer.PeriodicInformInterval"));
  EXPECT_TRUE(contains(all, "Device.Services.VoiceService.1.VoiceProfile.9.Line.1.SIP.URI"));
  EXPECT_TRUE(contains(all, "Device.Services.VoiceService.1.VoiceProfile."));
  EXPECT_TRUE(contains(all, "Device.Services.VoiceService.1.VoiceProfile.2."));
  EXPECT_FALSE(contains(all, "Device.Services.VoiceService.1.VoiceProfile.10."));
  std::vector<std::string> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "duplicates";
}

TEST_F(TreeTest, NextLevelTrueListsDirectChildrenOnly) {
  auto children = names("Device.", true);
  EXPECT_TRUE(contains(children, "Device.DeviceSummary"));
  EXPECT_TRUE(contains(children, "Device.ManagementServer."));
  EXPECT_FALSE(contains(children, "Device."));
  EXPECT_FALSE(contains(children, "Device.ManagementServer.URL"));
  auto profiles = names(kProfile, true);
  ASSERT_EQ(profiles.size(), 9u);
  EXPECT_EQ(profiles[0], std::string(kProfile) + "1.");
  auto vs = names("Device.Services.VoiceService.1.", true);
  EXPECT_TRUE(contains(vs, "Device.Services.VoiceService.1.VoiceProfile."));
  EXPECT_FALSE(contains(vs, "Device.Services.VoiceService.1.VoiceProfile.1."));
}

TEST_F(TreeTest, NextLevelFalseIncludesTheItemAndAllDescendants) {
  auto sub = names("Device.ManagementServer.", false);
  EXPECT_EQ(sub.front(), "Device.ManagementServer.");
  EXPECT_EQ(sub.size(), 1u + 23u);
  auto one = names("Device.ManagementServer.URL", false);
  EXPECT_EQ(one, std::vector<std::string>{"Device.ManagementServer.URL"});
}

TEST_F(TreeTest, NextLevelTrueOnAParameterIs9003) {
  auto r = tree_.parameterNames("Device.ManagementServer.URL", true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.fault().code, FaultCode::kInvalidArguments);
}

TEST_F(TreeTest, UnknownPathIs9005) {
  auto r = tree_.parameterNames("Device.Nothing.", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.fault().code, FaultCode::kInvalidParameterName);
}

TEST_F(TreeTest, WritableFlagsFollowTheModel) {
  auto r = tree_.parameterNames("Device.LAN.", false);
  ASSERT_TRUE(r.ok());
  auto find = [&](std::string_view name) {
    for (const auto& info : *r) {
      if (info.name == name) return info.writable;
    }
    ADD_FAILURE() << name;
    return false;
  };
  EXPECT_FALSE(find("Device.LAN."));                                  // single object
  EXPECT_TRUE(find("Device.LAN.DHCPOption."));                        // table allowing AddObject
  EXPECT_FALSE(find("Device.LAN.TraceRouteDiagnostics.RouteHops."));  // read-only table
  EXPECT_FALSE(find("Device.LAN.MACAddress"));
  EXPECT_TRUE(find("Device.LAN.DNSServers"));
  auto profile = tree_.parameterNames(std::string(kProfile) + "1.", false);
  ASSERT_TRUE(profile.ok());
  EXPECT_TRUE((*profile)[0].writable);  // a deletable instance
}

TEST_F(TreeTest, LineCountLimitsTheProfiles) {
  MemoryStorage small(datamodel::aastraModel(), 2);
  Tree tree(datamodel::aastraModel(), small, 2);
  auto r = tree.parameterNames(kProfile, true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 2u);
}

}  // namespace
}  // namespace tr69::model
