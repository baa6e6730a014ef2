#include "tr69/connreq/udp_request.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tr69/base/crypto.h"
#include "tr69/connreq/udp_replay_store.h"

namespace tr69::connreq {
namespace {

std::string makeDatagram(const std::string& ts, const std::string& id, const std::string& un,
                         const std::string& cn, const std::string& password,
                         const std::string& extra = "") {
  const std::string sig = udpConnectionRequestSignature(password, ts, id, un, cn);
  return "GET http://203.0.113.7:7547?ts=" + ts + "&id=" + id + "&un=" + un + "&cn=" + cn +
         "&sig=" + sig + extra + " HTTP/1.1\r\nHost: 203.0.113.7:7547\r\n\r\n";
}

TEST(UdpRequestParseTest, ParsesTheStandardForm) {
  auto r = parseUdpConnectionRequest(makeDatagram("1700000000", "3735928559", "acs", "9f2c", "pw"));
  ASSERT_TRUE(r.ok()) << r.fault().message;
  EXPECT_EQ(r->ts, "1700000000");
  EXPECT_EQ(r->timestamp, 1700000000u);
  EXPECT_EQ(r->id, "3735928559");
  EXPECT_EQ(r->un, "acs");
  EXPECT_EQ(r->cn, "9f2c");
  EXPECT_EQ(r->sig.size(), 40u);
}

TEST(UdpRequestParseTest, ToleratesVariants) {
  EXPECT_TRUE(
      parseUdpConnectionRequest("GET HTTP://h:1/?cn=c&x=1&ts=5&&id=7&un=u%20v&sig=ab HTTP/1.1\n")
          .ok());
  EXPECT_TRUE(parseUdpConnectionRequest("GET  http://h?ts=5&id=7&un=&cn=c&sig=ab   HTTP/1.0").ok());
  auto r = parseUdpConnectionRequest("GET http://h?ts=5&id=7&un=a+b%2Fc&cn=c&sig=ab HTTP/1.1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->un, "a b/c");
}

TEST(UdpRequestParseTest, RejectsMalformedAndHostileInput) {
  const char* bad[] = {
      "",
      "GET",
      "POST http://h?ts=1&id=1&un=u&cn=c&sig=a HTTP/1.1",
      "GET http://h?ts=1&id=1&un=u&cn=c&sig=a",  // no version
      "GET http://h?ts=1&id=1&un=u&cn=c&sig=a FTP/1.0",
      "GET /relative?ts=1&id=1&un=u&cn=c&sig=a HTTP/1.1",  // not absolute
      "GET ftp://h?ts=1&id=1&un=u&cn=c&sig=a HTTP/1.1",
      "GET http://h HTTP/1.1",                             // no query
      "GET http://h?id=1&un=u&cn=c&sig=a HTTP/1.1",        // no ts
      "GET http://h?ts=1&un=u&cn=c&sig=a HTTP/1.1",        // no id
      "GET http://h?ts=1&id=1&un=u&sig=a HTTP/1.1",        // no cn
      "GET http://h?ts=1&id=1&un=u&cn=c HTTP/1.1",         // no sig
      "GET http://h?ts=1&id=1&cn=c&sig=a HTTP/1.1",        // no un
      "GET http://h?ts=x1&id=1&un=u&cn=c&sig=a HTTP/1.1",  // ts not a number
      "GET http://h?ts=-1&id=1&un=u&cn=c&sig=a HTTP/1.1",
      "GET http://h?ts=99999999999999999999999&id=1&un=u&cn=c&sig=a HTTP/1.1",
      "GET http://h?ts=1&ts=2&id=1&un=u&cn=c&sig=a HTTP/1.1",  // repeated
      "GET http://h?ts=1&id=1&un=%zz&cn=c&sig=a HTTP/1.1",     // bad escape
      "GET http://h?ts=1&id=1&un=u&cn=c&sig=a% HTTP/1.1",      // truncated escape
      "GET http://h?ts=1&id=1%0a&un=u&cn=c&sig=a HTTP/1.1",    // control char in id
      "GET http://h?ts=1&id=&un=u&cn=c&sig=a HTTP/1.1",        // empty id
  };
  for (const char* text : bad)
    EXPECT_FALSE(parseUdpConnectionRequest(text).ok()) << text;
  std::string huge = makeDatagram("1", "1", "u", "c", "p");
  huge += std::string(kMaxUdpConnectionRequestSize, 'x');
  EXPECT_FALSE(parseUdpConnectionRequest(huge).ok());
  EXPECT_FALSE(parseUdpConnectionRequest(std::string("GET http://h?ts=1\0&id=1", 23)).ok());
}

TEST(UdpRequestVerifyTest, SignatureIsHmacSha1OverTsIdUnCn) {
  // Independent computation of the expected value.
  EXPECT_EQ(udpConnectionRequestSignature("secret", "1700000000", "42", "acs", "abc"),
            toHex(hmacSha1("secret", "170000000042acsabc")));
}

TEST(UdpRequestVerifyTest, AcceptsValidAndRejectsEachDefect) {
  UdpReplayState none;
  auto valid = parseUdpConnectionRequest(makeDatagram("100", "7", "acs", "cn1", "pw"));
  ASSERT_TRUE(valid.ok());
  EXPECT_EQ(verifyUdpConnectionRequest(*valid, "acs", "pw", none), UdpVerdict::kAccept);
  EXPECT_EQ(verifyUdpConnectionRequest(*valid, "other", "pw", none), UdpVerdict::kWrongUser);
  EXPECT_EQ(verifyUdpConnectionRequest(*valid, "acs", "wrong", none), UdpVerdict::kBadSignature);
  EXPECT_EQ(verifyUdpConnectionRequest(*valid, "", "", none), UdpVerdict::kNoCredentials);
  EXPECT_EQ(verifyUdpConnectionRequest(*valid, "acs", "", none), UdpVerdict::kNoCredentials);

  auto upper = *valid;
  for (char& c : upper.sig)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(verifyUdpConnectionRequest(upper, "acs", "pw", none), UdpVerdict::kAccept);

  auto forged = *valid;
  forged.cn = "cn2";  // signature no longer covers the values
  EXPECT_EQ(verifyUdpConnectionRequest(forged, "acs", "pw", none), UdpVerdict::kBadSignature);

  UdpReplayState seen{100, "6", true};
  EXPECT_EQ(verifyUdpConnectionRequest(*valid, "acs", "pw", seen), UdpVerdict::kStaleTimestamp);
  seen = {99, "7", true};
  EXPECT_EQ(verifyUdpConnectionRequest(*valid, "acs", "pw", seen), UdpVerdict::kReplayedId);
  seen = {99, "6", true};
  EXPECT_EQ(verifyUdpConnectionRequest(*valid, "acs", "pw", seen), UdpVerdict::kAccept);
}

class ReplayStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("tr69-connreq-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(ReplayStoreTest, MissingFileIsEmptyState) {
  UdpReplayStore store(dir / UdpReplayStore::kFileName);
  auto state = store.load();
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->any);
}

TEST_F(ReplayStoreTest, SavesAndLoadsTheLastAcceptedValues) {
  UdpReplayStore store(dir / UdpReplayStore::kFileName);
  ASSERT_TRUE(store.save({1700000001, "3735928559", true}).ok());
  auto state = UdpReplayStore(dir / UdpReplayStore::kFileName).load();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->any);
  EXPECT_EQ(state->lastTimestamp, 1700000001u);
  EXPECT_EQ(state->lastId, "3735928559");
  EXPECT_EQ(
      std::filesystem::status(store.file()).permissions() & std::filesystem::perms::others_read,
      std::filesystem::perms::none);
}

TEST_F(ReplayStoreTest, CorruptFileIsReported) {
  std::ofstream(dir / "state") << "ts: abc\nid: 5\n";
  EXPECT_FALSE(UdpReplayStore(dir / "state").load().ok());
  std::ofstream(dir / "state2") << "ts: 5\n";
  EXPECT_FALSE(UdpReplayStore(dir / "state2").load().ok());
}

}  // namespace
}  // namespace tr69::connreq
