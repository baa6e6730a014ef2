#include "tr69/base/crypto.h"

#include <gtest/gtest.h>

namespace tr69 {
namespace {

TEST(CryptoTest, HmacSha1MatchesRfc2202Vector) {
  // RFC 2202 test case 2.
  EXPECT_EQ(toHex(hmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(CryptoTest, Md5MatchesRfc1321Vector) {
  EXPECT_EQ(toHex(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(toHex(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(CryptoTest, HexRoundTripAndRejectsBadInput) {
  const std::string bytes("\x00\x01\xfe\xff", 4);
  EXPECT_EQ(toHex(bytes), "0001feff");
  EXPECT_EQ(fromHex("0001FEff").value(), bytes);
  EXPECT_FALSE(fromHex("abc").has_value());
  EXPECT_FALSE(fromHex("zz").has_value());
}

TEST(CryptoTest, RandomValuesDifferAndHaveTheRequestedLength) {
  EXPECT_EQ(randomBytes(16).size(), 16u);
  EXPECT_EQ(randomHex(7).size(), 7u);
  EXPECT_NE(randomHex(32), randomHex(32));
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace tr69
