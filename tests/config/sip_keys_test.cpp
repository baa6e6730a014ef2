#include "tr69/config/sip_keys.h"

#include <gtest/gtest.h>

#include <set>

namespace tr69::config {
namespace {

TEST(SipKeysTest, BuildAndParseKeys) {
  EXPECT_EQ(sipGlobalKey("proxy ip"), "sip proxy ip");
  EXPECT_EQ(sipLineKey(3, "proxy ip"), "sip line3 proxy ip");
  auto parts = parseSipKey("sip line3 proxy ip");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->line, 3);
  EXPECT_EQ(parts->suffix, "proxy ip");
  parts = parseSipKey("sip proxy ip");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->line, 0);
  EXPECT_EQ(parts->suffix, "proxy ip");
  EXPECT_FALSE(parseSipKey("sips persistent tls"));
  EXPECT_FALSE(parseSipKey("tr69 server"));
  EXPECT_FALSE(parseSipKey("sip line10 auth name"));
  EXPECT_FALSE(parseSipKey("sip line0 auth name"));
  EXPECT_FALSE(parseSipKey("sip line1"));
  EXPECT_FALSE(parseSipKey("sip line1 "));
  EXPECT_FALSE(parseSipKey("sip "));
  parts = parseSipKey("sip lines per page");  // a global key that starts with "line"
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->line, 0);
}

TEST(SipKeysTest, SetTable) {
  EXPECT_EQ(sipKeySetOf("auth name"), SipKeySet::kAuthentication);
  EXPECT_EQ(sipKeySetOf("password"), SipKeySet::kAuthentication);
  EXPECT_EQ(sipKeySetOf("registrar port"), SipKeySet::kNetwork);
  EXPECT_EQ(sipKeySetOf("centralized conf"), SipKeySet::kNetwork);
  EXPECT_EQ(sipKeySetOf("dtmf method"), SipKeySet::kNone);
  EXPECT_EQ(sipSetSuffixes(SipKeySet::kAuthentication).size(), 10u);
  EXPECT_EQ(sipSetSuffixes(SipKeySet::kNetwork).size(), 14u);
  EXPECT_TRUE(sipSetSuffixes(SipKeySet::kNone).empty());
  std::set<std::string_view> unique;
  for (const auto& member : kSipSetTable)
    EXPECT_TRUE(unique.insert(member.suffix).second) << member.suffix;
}

class SetRuleTest : public ::testing::Test {
 protected:
  void build(std::string_view server, std::string_view local) {
    server_ = ConfigFile::parse(server, "aastra.cfg", log_);
    local_ = ConfigFile::parse(local, "local.cfg", log_);
    snapshot_ = ConfigSnapshot::resolve({&server_, nullptr, nullptr, &local_});
  }
  LogCapture capture_;
  Logger log_ = capture_.logger();
  ConfigFile server_;
  ConfigFile local_;
  ConfigSnapshot snapshot_;
};

TEST_F(SetRuleTest, LineWithoutPerLineKeysUsesGlobals) {
  build("sip proxy ip: g-proxy\nsip registrar ip: g-reg\n", "");
  EXPECT_FALSE(lineUsesOwnSet(snapshot_, 1, "proxy ip"));
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 1, "proxy ip")->value, "g-proxy");
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 1, "registrar ip")->value, "g-reg");
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 1, "outbound proxy"), std::nullopt);
}

TEST_F(SetRuleTest, OnePerLineKeyTakesTheWholeSet) {
  build("sip proxy ip: g-proxy\nsip registrar ip: g-reg\nsip auth name: g-auth\n",
        "sip line2 proxy ip: l-proxy\n");
  EXPECT_TRUE(lineUsesOwnSet(snapshot_, 2, "registrar ip"));
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 2, "proxy ip")->value, "l-proxy");
  // Same set, no per-line value: the global one is ignored.
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 2, "registrar ip"), std::nullopt);
  // Other set: still global.
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 2, "auth name")->value, "g-auth");
  // Other lines: untouched.
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 1, "registrar ip")->value, "g-reg");
}

TEST_F(SetRuleTest, PerLineKeyInAServerFileCountsToo) {
  build("sip registrar ip: g-reg\nsip line1 proxy port: 5070\n", "");
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 1, "registrar ip"), std::nullopt);
}

TEST_F(SetRuleTest, KeysOutsideTheSetsOverrideOneByOne) {
  build("sip dtmf method: 0\nsip srtp mode: 1\n", "sip line1 dtmf method: 2\n");
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 1, "dtmf method")->value, "2");
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 1, "srtp mode")->value, "1");
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 2, "dtmf method")->value, "0");
}

TEST(SipKeysTest, SplitWithoutCopying) {
  const std::string key = "sip line3 proxy ip";
  auto parts = splitSipKey(key);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->line, 3);
  EXPECT_EQ(parts->suffix, "proxy ip");
  EXPECT_EQ(parts->suffix.data(), key.data() + 10);  // a view into the key
  parts = splitSipKey("sip proxy ip");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->line, 0);
  EXPECT_FALSE(splitSipKey("sip line10 auth name"));
  EXPECT_FALSE(splitSipKey("sips persistent tls"));
}

TEST_F(SetRuleTest, PerLineSetBitsAreComputedOncePerSnapshot) {
  build("sip line1 auth name: a\nsip line3 proxy port: 5061\nsip line3 dtmf method: 1\n",
        "sip line9 password: p\nsip line0 user name: x\nsip line10 proxy ip: y\n");
  const unsigned auth = 1u << static_cast<unsigned>(SipKeySet::kAuthentication);
  const unsigned network = 1u << static_cast<unsigned>(SipKeySet::kNetwork);
  EXPECT_EQ(snapshot_.perLineSipSets(1), auth);
  EXPECT_EQ(snapshot_.perLineSipSets(2), 0u);
  EXPECT_EQ(snapshot_.perLineSipSets(3), network);  // dtmf method is in no set
  EXPECT_EQ(snapshot_.perLineSipSets(9), auth);
  EXPECT_EQ(snapshot_.perLineSipSets(0), 0u);  // "sip line0 ..." is no per-line key
  EXPECT_EQ(snapshot_.perLineSipSets(10), 0u);
  EXPECT_EQ(snapshot_.perLineSipSets(-1), 0u);
  EXPECT_TRUE(lineUsesOwnSet(snapshot_, 3, "registrar ip"));
  EXPECT_TRUE(lineUsesOwnSet(snapshot_, 3, "dtmf method"));
  EXPECT_FALSE(lineUsesOwnSet(snapshot_, 1, "dtmf method"));
  EXPECT_FALSE(lineUsesOwnSet(snapshot_, 2, "auth name"));
}

TEST_F(SetRuleTest, FindEffectiveValuePointsIntoTheSnapshot) {
  const std::string longSuffix(80, 'x');
  build("sip proxy ip: g-proxy\nsip " + longSuffix + ": g-long\n",
        "sip line2 auth name: l-auth\nsip line4 " + longSuffix + ": l-long\n");
  const EffectiveValue* global = findEffectiveSipLineValue(snapshot_, 1, "proxy ip");
  ASSERT_NE(global, nullptr);
  EXPECT_EQ(global, snapshot_.find("sip proxy ip"));
  const EffectiveValue* own = findEffectiveSipLineValue(snapshot_, 2, "auth name");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own, snapshot_.find("sip line2 auth name"));
  EXPECT_EQ(findEffectiveSipLineValue(snapshot_, 2, "password"), nullptr);  // own set, unset
  // Keys longer than the lookup buffer take the string path.
  ASSERT_NE(findEffectiveSipLineValue(snapshot_, 4, longSuffix), nullptr);
  EXPECT_EQ(findEffectiveSipLineValue(snapshot_, 4, longSuffix)->value, "l-long");
  EXPECT_EQ(findEffectiveSipLineValue(snapshot_, 3, longSuffix)->value, "g-long");
  EXPECT_EQ(effectiveSipLineValue(snapshot_, 4, longSuffix)->value, "l-long");
}

}  // namespace
}  // namespace tr69::config
