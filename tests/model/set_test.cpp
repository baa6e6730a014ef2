// SetParameterValues: validation codes, atomicity, canonical forms (cwmp.md 7.7, 3.4).
#include "fixture.h"

namespace tr69::model {
namespace {

using testing_support::TreeTest;

const std::string kProxy = "Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer";
const std::string kPort = "Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServerPort";
const std::string kInterval = "Device.ManagementServer.PeriodicInformInterval";

TEST_F(TreeTest, SetsAndCanonicalisesValues) {
  auto outcome = set({{kProxy, "10.0.0.1", std::nullopt},
                      {"Device.ManagementServer.PeriodicInformEnable", "1", "xsd:boolean"},
                      {kInterval, "+0600", "xsd:unsignedInt"}});
  ASSERT_TRUE(outcome.ok()) << outcome.fault.message;
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(value(kProxy), "10.0.0.1");
  EXPECT_EQ(value("Device.ManagementServer.PeriodicInformEnable"), "true");
  EXPECT_EQ(value(kInterval), "600");
  EXPECT_EQ(storage_.writeBatches(), 1u);
}

TEST_F(TreeTest, EachFailingParameterIsReportedWithItsOwnCode) {
  auto outcome = set({{kProxy, "fine", std::nullopt},
                      {"Device.ManagementServer.Nope", "1", std::nullopt},
                      {"Device.DeviceInfo.UpTime", "5", std::nullopt},
                      {kInterval, "true", "xsd:boolean"},
                      {kPort, "70000", std::nullopt},
                      {"Device.ManagementServer.", "x", std::nullopt}});
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.fault.code, FaultCode::kInvalidArguments);
  ASSERT_EQ(outcome.parameterFaults.size(), 5u);
  EXPECT_EQ(outcome.parameterFaults[0].name, "Device.ManagementServer.Nope");
  EXPECT_EQ(outcome.parameterFaults[0].code, FaultCode::kInvalidParameterName);
  EXPECT_EQ(outcome.parameterFaults[1].code, FaultCode::kNonWritableParameter);
  EXPECT_EQ(outcome.parameterFaults[2].code, FaultCode::kInvalidParameterType);
  EXPECT_EQ(outcome.parameterFaults[3].code, FaultCode::kInvalidParameterValue);
  EXPECT_EQ(outcome.parameterFaults[4].code, FaultCode::kInvalidParameterName);  // partial path
  EXPECT_EQ(value(kProxy), "") << "nothing applied";
  EXPECT_EQ(storage_.writeBatches(), 0u);
}

TEST_F(TreeTest, ValueFaultsCoverRangeEnumerationLengthAndLexicalForm) {
  const std::string dtmf = "Device.Services.VoiceService.1.VoiceProfile.1.DTMFMethod";
  const std::string name = "Device.Services.VoiceService.1.VoiceProfile.1.Name";
  for (const auto& [param, bad] : std::vector<std::pair<std::string, std::string>>{
           {kInterval, "0"},
           {kInterval, "-1"},
           {kInterval, "abc"},
           {dtmf, "Morse"},
           {name, std::string(65, 'n')},
           {"Device.ManagementServer.PeriodicInformTime", "soon"},
           {"Device.UserInterface.ISPLogo", "!!!!"}}) {
    auto outcome = set({{param, bad, std::nullopt}});
    ASSERT_EQ(outcome.parameterFaults.size(), 1u) << param << "=" << bad;
    EXPECT_EQ(outcome.parameterFaults[0].code, FaultCode::kInvalidParameterValue) << param;
  }
}

TEST_F(TreeTest, DuplicateNameIs9003ForTheWholeRequest) {
  auto outcome = set({{kProxy, "a", std::nullopt}, {kProxy, "b", std::nullopt}});
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.fault.code, FaultCode::kInvalidArguments);
  EXPECT_TRUE(outcome.parameterFaults.empty());
  EXPECT_EQ(value(kProxy), "");
}

TEST_F(TreeTest, StorageFailureAppliesNothingAndPassesTheFaultOn) {
  storage_.failNextWrite(Fault(FaultCode::kInternalError, "disk full"));
  auto outcome = set({{kProxy, "a", std::nullopt}, {kInterval, "60", std::nullopt}});
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.fault.code, FaultCode::kInternalError);
  EXPECT_TRUE(outcome.parameterFaults.empty());
  EXPECT_EQ(value(kProxy), "");
  EXPECT_EQ(value(kInterval), "86400");
}

TEST_F(TreeTest, PendingRestartGivesStatus1) {
  storage_.setApplyStatus(ApplyStatus::kPendingRestart);
  auto outcome = set({{kProxy, "a", std::nullopt}});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.status, 1);
}

TEST_F(TreeTest, HiddenParametersAreWritableAndFaultsDoNotEchoTheirValue) {
  auto outcome = set({{"Device.ManagementServer.Password", std::string(300, 's'), std::nullopt}});
  ASSERT_EQ(outcome.parameterFaults.size(), 1u);
  EXPECT_EQ(outcome.parameterFaults[0].message.find("sss"), std::string::npos);
  ASSERT_TRUE(set({{"Device.ManagementServer.Password", "pw", std::nullopt}}).ok());
  EXPECT_EQ(*tree_.get(dm::ManagementServer::Password), "pw");
}

TEST_F(TreeTest, EmptyRequestSucceeds) {
  auto outcome = set({});
  EXPECT_TRUE(outcome.ok());
}

}  // namespace
}  // namespace tr69::model
