// Get/SetParameterAttributes and the attribute snapshot (cwmp.md 5).
#include "fixture.h"

namespace tr69::model {
namespace {

using testing_support::TreeTest;

const std::string kUrl = "Device.ManagementServer.URL";
const std::string kKey = "Device.ManagementServer.ParameterKey";

ParameterAttributes attributesOf(Tree& tree, const std::string& name) {
  std::vector<std::string> names{name};
  auto r = tree.getAttributes(names);
  EXPECT_TRUE(r.ok());
  return r.ok() && r->size() == 1 ? (*r)[0] : ParameterAttributes{};
}

TEST_F(TreeTest, DefaultsComeFromTheModel) {
  auto a = attributesOf(tree_, kUrl);
  EXPECT_EQ(a.notification, 0);
  EXPECT_TRUE(a.accessList.empty());
}

TEST_F(TreeTest, SetsNotificationAndAccessListIndependently) {
  std::vector<AttributeChange> changes{{kUrl, true, 2, false, {}}};
  ASSERT_TRUE(tree_.setAttributes(changes).ok());
  changes = {{kUrl, false, 0, true, {"Subscriber"}}};
  ASSERT_TRUE(tree_.setAttributes(changes).ok());
  auto a = attributesOf(tree_, kUrl);
  EXPECT_EQ(a.notification, 2);
  EXPECT_EQ(a.accessList, std::vector<std::string>{"Subscriber"});
}

TEST_F(TreeTest, ActiveNotificationRefusedWhereTheModelDeniesIt) {
  std::vector<AttributeChange> changes{{kUrl, true, 1, false, {}}, {kKey, true, 2, false, {}}};
  auto r = tree_.setAttributes(changes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.fault().code, FaultCode::kNotificationRejected);
  EXPECT_EQ(attributesOf(tree_, kUrl).notification, 0) << "all or nothing";
  changes = {{kKey, true, 1, false, {}}};
  EXPECT_TRUE(tree_.setAttributes(changes).ok());
  EXPECT_EQ(attributesOf(tree_, kKey).notification, 1);
}

TEST_F(TreeTest, PartialPathAppliesBelowAndSkipsDeniedParameters) {
  std::vector<AttributeChange> changes{{"Device.ManagementServer.", true, 2, false, {}}};
  ASSERT_TRUE(tree_.setAttributes(changes).ok());
  EXPECT_EQ(attributesOf(tree_, kUrl).notification, 2);
  EXPECT_EQ(attributesOf(tree_, kKey).notification, 0);
  std::vector<std::string> names{"Device.ManagementServer."};
  auto r = tree_.getAttributes(names);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 23u);
}

TEST_F(TreeTest, InvalidAttributeRequests) {
  std::vector<AttributeChange> bad{{kUrl, true, 3, false, {}}};
  EXPECT_EQ(tree_.setAttributes(bad).fault().code, FaultCode::kInvalidArguments);
  bad = {{kUrl, false, 0, true, {"Everyone"}}};
  EXPECT_EQ(tree_.setAttributes(bad).fault().code, FaultCode::kInvalidArguments);
  bad = {{"Device.Nope", true, 1, false, {}}};
  EXPECT_EQ(tree_.setAttributes(bad).fault().code, FaultCode::kInvalidParameterName);
  std::vector<std::string> names{"Device.Nope."};
  EXPECT_EQ(tree_.getAttributes(names).fault().code, FaultCode::kInvalidParameterName);
}

TEST_F(TreeTest, NotificationValueIsIgnoredWithoutNotificationChange) {
  std::vector<AttributeChange> changes{{kUrl, false, 7, false, {}}};
  EXPECT_TRUE(tree_.setAttributes(changes).ok());
  EXPECT_EQ(attributesOf(tree_, kUrl).notification, 0);
}

TEST_F(TreeTest, SnapshotRoundTrips) {
  std::vector<AttributeChange> changes{{kUrl, true, 1, true, {"Subscriber"}}};
  ASSERT_TRUE(tree_.setAttributes(changes).ok());
  std::string snapshot = tree_.saveAttributes();
  MemoryStorage storage(datamodel::aastraModel(), 9);
  Tree fresh(datamodel::aastraModel(), storage, 9);
  ASSERT_TRUE(fresh.loadAttributes(snapshot).ok());
  auto a = attributesOf(fresh, kUrl);
  EXPECT_EQ(a.notification, 1);
  EXPECT_EQ(a.accessList, std::vector<std::string>{"Subscriber"});
}

TEST_F(TreeTest, MalformedSnapshotsAreRejectedAndKeepTheOldState) {
  std::vector<AttributeChange> changes{{kUrl, true, 1, false, {}}};
  ASSERT_TRUE(tree_.setAttributes(changes).ok());
  for (std::string_view bad :
       {"", "<attributes>", "<other/>", "<attributes><parameter notification=\"1\"/></attributes>",
        "<attributes><parameter name=\"x\" notification=\"9\"/></attributes>"}) {
    EXPECT_FALSE(tree_.loadAttributes(bad).ok()) << bad;
  }
  EXPECT_EQ(attributesOf(tree_, kUrl).notification, 1);
}

TEST_F(TreeTest, ResettingToDefaultsDropsTheEntry) {
  std::vector<AttributeChange> changes{{kUrl, true, 2, false, {}}};
  ASSERT_TRUE(tree_.setAttributes(changes).ok());
  changes = {{kUrl, true, 0, false, {}}};
  ASSERT_TRUE(tree_.setAttributes(changes).ok());
  EXPECT_EQ(tree_.saveAttributes().find("parameter"), std::string::npos);
}

}  // namespace
}  // namespace tr69::model
