// Properties of the generated Aastra model that other modules rely on.
#include "tr69/datamodel/descriptor.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tr69/datamodel/dm.h"

namespace tr69::datamodel {
namespace {

const ParamDesc& param(std::string_view path) {
  for (const auto& p : aastraModel().params) {
    if (p.path == path) return p;
  }
  ADD_FAILURE() << "no parameter " << path;
  return aastraModel().params[0];
}

const ObjectDesc& object(std::string_view path) {
  for (const auto& o : aastraModel().objects) {
    if (o.path == path) return o;
  }
  ADD_FAILURE() << "no object " << path;
  return aastraModel().objects[0];
}

TEST(AastraModel, HandlesPointAtTheirDescriptors) {
  const auto& m = aastraModel();
  EXPECT_EQ(m.params[dm::ManagementServer::PeriodicInformInterval.index].path,
            "Device.ManagementServer.PeriodicInformInterval");
  static_assert(std::is_same_v<decltype(dm::ManagementServer::PeriodicInformInterval)::ValueType,
                               std::uint32_t>);
  static_assert(dm::Services::VoiceService::VoiceProfile::SIP::ProxyServer.kDepth == 2);
  static_assert(std::is_same_v<decltype(dm::DeviceInfo::UpTime)::ValueType, std::uint32_t>);
  static_assert(
      std::is_same_v<decltype(dm::ManagementServer::STUNMaximumKeepAlivePeriod)::ValueType,
                     std::int32_t>);
  static_assert(std::is_same_v<decltype(dm::ManagementServer::STUNEnable)::ValueType, bool>);
  EXPECT_EQ(m.objects[dm::Services::VoiceService::VoiceProfile::kObject.index].path,
            "Device.Services.VoiceService.{i}.VoiceProfile.{i}.");
  for (std::uint32_t i = 0; i < m.params.size(); ++i) {
    EXPECT_EQ(m.objects[m.params[i].object].parameters.size() > 0, true);
  }
}

TEST(AastraModel, LineCountsPerPhoneModel) {
  const auto& m = aastraModel();
  EXPECT_EQ(m.lineCountFor("6730i"), 6u);
  EXPECT_EQ(m.lineCountFor("6863i"), 2u);
  EXPECT_EQ(m.lineCountFor("6867i"), 9u);
  EXPECT_EQ(m.lineCountFor("unknown-model"), 9u);
}

TEST(AastraModel, InstanceRules) {
  const auto& vs = object("Device.Services.VoiceService.{i}.");
  EXPECT_TRUE(vs.fixedInstances());
  EXPECT_EQ(vs.maxEntries, 1u);
  const auto& vp = object("Device.Services.VoiceService.{i}.VoiceProfile.{i}.");
  EXPECT_TRUE(vp.addDelete);
  EXPECT_EQ(vp.maxEntries, kLineCount);
  EXPECT_EQ(vp.initialEntries, kLineCount);
  EXPECT_TRUE(
      object("Device.Services.VoiceService.{i}.VoiceProfile.{i}.Line.{i}.").fixedInstances());
  EXPECT_TRUE(object("Device.Services.VoiceService.{i}.X_Aastra_GlobalVoiceProfile.Line.{i}.")
                  .fixedInstances());
  EXPECT_FALSE(object("Device.LAN.DHCPOption.{i}.").fixedInstances());
}

TEST(AastraModel, ForcedInformParametersOfDevice1) {
  std::set<std::string_view> forced;
  for (const auto& p : aastraModel().params) {
    if (p.forcedInform) forced.insert(p.path);
  }
  EXPECT_EQ(forced, (std::set<std::string_view>{
                        "Device.DeviceSummary", "Device.DeviceInfo.HardwareVersion",
                        "Device.DeviceInfo.SoftwareVersion", "Device.ManagementServer.ParameterKey",
                        "Device.ManagementServer.ConnectionRequestURL", "Device.LAN.IPAddress"}));
}

TEST(AastraModel, PasswordsAreHidden) {
  for (const auto& p : aastraModel().params) {
    if (p.name.find("Password") != std::string_view::npos && p.type == Type::kString) {
      EXPECT_TRUE(p.hidden) << p.path;
    }
  }
}

TEST(AastraModel, BindingsFollowTheAastraKeys) {
  const auto& proxy = param("Device.Services.VoiceService.{i}.VoiceProfile.{i}.SIP.ProxyServer");
  EXPECT_EQ(proxy.binding, BindingKind::kConfig);
  EXPECT_EQ(proxy.bindingArg, "sip line{VoiceProfile} proxy ip");
  const auto& global =
      param("Device.Services.VoiceService.{i}.X_Aastra_GlobalVoiceProfile.SIP.ProxyServer");
  EXPECT_EQ(global.bindingArg, "sip proxy ip");
  EXPECT_EQ(param("Device.ManagementServer.PeriodicInformInterval").bindingArg,
            "tr69 periodic inform interval");
  EXPECT_EQ(param("Device.DeviceInfo.UpTime").binding, BindingKind::kLive);
  EXPECT_EQ(param("Device.ManagementServer.ParameterKey").binding, BindingKind::kAgent);
  EXPECT_EQ(param("Device.DeviceInfo.ProvisioningCode").binding, BindingKind::kStored);
  const auto& count = param("Device.Services.VoiceService.{i}.VoiceProfileNumberOfEntries");
  EXPECT_EQ(count.binding, BindingKind::kCount);
  EXPECT_EQ(aastraModel().objects[static_cast<std::size_t>(count.countTable)].path,
            "Device.Services.VoiceService.{i}.VoiceProfile.{i}.");
  EXPECT_EQ(param("Device.ManagementServer.ParameterKey").activeNotify, ActiveNotify::kCanDeny);
}

TEST(AastraModel, EveryParameterHasABinding) {
  for (const auto& p : aastraModel().params) {
    if (p.binding == BindingKind::kCount) {
      EXPECT_GE(p.countTable, 0) << p.path;
    }
    if (p.writable) {
      EXPECT_NE(p.binding, BindingKind::kConstant) << p.path;
      EXPECT_NE(p.binding, BindingKind::kCount) << p.path;
    }
  }
}

}  // namespace
}  // namespace tr69::datamodel
