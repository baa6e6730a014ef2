// GetParameterValues and typed access through generated handles.
#include "fixture.h"

namespace tr69::model {
namespace {

using testing_support::paramByPath;
using testing_support::TreeTest;
namespace vp = dm::Services::VoiceService::VoiceProfile;

TEST_F(TreeTest, ReadsDefaultsConstantsAndCounts) {
  EXPECT_EQ(value("Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServerPort"), "5060");
  EXPECT_EQ(value("Device.Services.VoiceService.1.Capabilities.SIP.Role"), "UserAgent");
  EXPECT_EQ(value("Device.Services.VoiceService.1.VoiceProfileNumberOfEntries"), "9");
  EXPECT_EQ(value("Device.Services.VoiceServiceNumberOfEntries"), "1");
  EXPECT_EQ(value("Device.Services.VoiceService.1.VoiceProfile.4.NumberOfLines"), "1");
  EXPECT_EQ(value("Device.LAN.DHCPOptionNumberOfEntries"), "0");
  EXPECT_EQ(value("Device.DeviceInfo.UpTime"), "0");  // no live value yet: type's zero
}

TEST_F(TreeTest, PartialPathExpandsToEveryParameterBelow) {
  std::vector<std::string> req{"Device.Services.VoiceService.1.VoiceProfile.2.Line.1.SIP."};
  auto r = tree_.getValues(req);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);  // AuthUserName, AuthPassword, URI, SIPEventSubscribeNumberOfElements
  for (const auto& v : *r) {
    EXPECT_EQ(v.name.rfind("Device.Services.VoiceService.1.VoiceProfile.2.Line.1.SIP.", 0), 0u);
  }
}

TEST_F(TreeTest, HiddenParametersReadEmptyForTheAcsButNotInternally) {
  storage_.setValue(paramByPath("Device.ManagementServer.Password"), {}, "secret");
  EXPECT_EQ(value("Device.ManagementServer.Password"), "");
  auto internal = tree_.get(dm::ManagementServer::Password);
  ASSERT_TRUE(internal.ok());
  EXPECT_EQ(*internal, "secret");
}

TEST_F(TreeTest, AnyUnknownNameFailsTheWholeRequest) {
  std::vector<std::string> req{"Device.DeviceInfo.UpTime", "Device.DeviceInfo.Nope"};
  auto r = tree_.getValues(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.fault().code, FaultCode::kInvalidParameterName);
}

TEST_F(TreeTest, StorageReadFaultFailsTheRequest) {
  class Failing : public MemoryStorage {
   public:
    using MemoryStorage::MemoryStorage;
    Result<std::optional<std::string>> read(const datamodel::ParamDesc&,
                                            const InstancePath&) override {
      return Fault(FaultCode::kInternalError, "backend down");
    }
  } failing(datamodel::aastraModel(), 9);
  Tree tree(datamodel::aastraModel(), failing, 9);
  std::vector<std::string> req{"Device.DeviceInfo."};
  auto r = tree.getValues(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.fault().code, FaultCode::kInternalError);
}

TEST_F(TreeTest, TypedGetAndSet) {
  auto interval = tree_.get(dm::ManagementServer::PeriodicInformInterval);
  ASSERT_TRUE(interval.ok());
  EXPECT_EQ(*interval, 86400u);
  ASSERT_TRUE(tree_.set(dm::ManagementServer::PeriodicInformInterval, 300u).ok());
  EXPECT_EQ(*tree_.get(dm::ManagementServer::PeriodicInformInterval), 300u);
  ASSERT_TRUE(tree_.set(vp::SIP::ProxyServer, std::string("proxy.example"), {1, 2}).ok());
  EXPECT_EQ(*tree_.get(vp::SIP::ProxyServer, {1, 2}), "proxy.example");
  EXPECT_EQ(*tree_.get(vp::SIP::ProxyServer, {1, 3}), "");
  ASSERT_TRUE(tree_.set(dm::ManagementServer::STUNEnable, true).ok());
  EXPECT_EQ(value("Device.ManagementServer.STUNEnable"), "true");
  EXPECT_EQ(*tree_.get(dm::ManagementServer::STUNMaximumKeepAlivePeriod), -1);
}

TEST_F(TreeTest, TypedAccessChecksInstancesAndValues) {
  auto missing = tree_.get(vp::SIP::ProxyServer, {1, 10});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.fault().code, FaultCode::kInvalidParameterName);
  auto wrongService = tree_.get(vp::SIP::ProxyServer, {2, 1});
  ASSERT_FALSE(wrongService.ok());
  auto range = tree_.set(dm::ManagementServer::PeriodicInformInterval, 0u);
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.fault().code, FaultCode::kInvalidParameterValue);
  auto computed = tree_.set(dm::Services::VoiceService::VoiceProfileNumberOfEntries, 3u, {1});
  ASSERT_FALSE(computed.ok());
  EXPECT_EQ(computed.fault().code, FaultCode::kNonWritableParameter);
}

TEST_F(TreeTest, TypedSetMayWriteReadOnlyAgentValues) {
  ASSERT_TRUE(tree_.set(dm::ManagementServer::ParameterKey, std::string("key-1")).ok());
  EXPECT_EQ(value("Device.ManagementServer.ParameterKey"), "key-1");
}

TEST_F(TreeTest, MalformedStoredValueIsAnInternalErrorForTypedReads) {
  storage_.setValue(paramByPath("Device.DeviceInfo.UpTime"), {}, "abc");
  auto r = tree_.get(dm::DeviceInfo::UpTime);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.fault().code, FaultCode::kInternalError);
}

TEST_F(TreeTest, ForcedInformValues) {
  storage_.setValue(paramByPath("Device.DeviceInfo.SoftwareVersion"), {}, "3.3.1.4322");
  auto r = tree_.forcedInformValues();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 6u);
  bool found = false;
  for (const auto& v : *r) {
    if (v.name == "Device.DeviceInfo.SoftwareVersion") found = v.value == "3.3.1.4322";
  }
  EXPECT_TRUE(found);
}

// A storage that counts the read batches the tree opens.
class BatchCountingStorage : public MemoryStorage {
 public:
  using MemoryStorage::MemoryStorage;
  void beginReadBatch() override {
    ++begins;
    ++open;
  }
  void endReadBatch() override {
    ++ends;
    --open;
  }
  Result<std::optional<std::string>> read(const datamodel::ParamDesc& param,
                                          const InstancePath& instances) override {
    if (open > 0) ++readsInBatch;
    return MemoryStorage::read(param, instances);
  }
  int begins = 0;
  int ends = 0;
  int open = 0;
  int readsInBatch = 0;
};

TEST(ReadBatchTest, EveryReadRequestIsOneBatch) {
  BatchCountingStorage storage(datamodel::aastraModel(), 9);
  Tree tree(datamodel::aastraModel(), storage, 9);
  std::vector<std::string> all{"Device."};
  ASSERT_TRUE(tree.getValues(all).ok());
  EXPECT_EQ(storage.begins, 1);
  EXPECT_EQ(storage.ends, 1);
  EXPECT_GT(storage.readsInBatch, 100);
  ASSERT_TRUE(tree.forcedInformValues().ok());
  auto baseline = tree.takeBaseline();
  ASSERT_TRUE(baseline.ok());
  ASSERT_TRUE(tree.collectChanges(*baseline).ok());
  EXPECT_EQ(storage.begins, 4);
  EXPECT_EQ(storage.ends, 4);
  // A failing request closes its batch too.
  std::vector<std::string> unknown{"Device.DeviceInfo.Manufacturer", "Device.NoSuchThing"};
  EXPECT_FALSE(tree.getValues(unknown).ok());
  EXPECT_EQ(storage.begins, 5);
  EXPECT_EQ(storage.ends, 5);
  EXPECT_EQ(storage.open, 0);
  // Typed reads are no request: no batch.
  const int reads = storage.readsInBatch;
  EXPECT_TRUE(tree.get(dm::DeviceInfo::ProvisioningCode).ok());
  EXPECT_EQ(storage.begins, 5);
  EXPECT_EQ(storage.readsInBatch, reads);
}

}  // namespace
}  // namespace tr69::model
