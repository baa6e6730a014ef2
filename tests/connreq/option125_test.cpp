#include "tr69/connreq/option125.h"

#include <gtest/gtest.h>

#include "tr69/base/crypto.h"

namespace tr69::connreq {
namespace {

DeviceIdentity aastra() {
  return {"00085D", "A1B2C3D4", "6739i"};
}

TEST(Option125Test, EncodesEnterprise3561WithSubOptions123) {
  auto payload = encodeDeviceOption125Payload(aastra());
  ASSERT_TRUE(payload.ok()) << payload.fault().message;
  // 00000de9 = 3561, data-len 0x19 = 25 = (2+6)+(2+8)+(2+5)
  EXPECT_EQ(toHex(*payload),
            "00000de9"
            "19"
            "0106" +
                toHex("00085D") + "0208" + toHex("A1B2C3D4") + "0305" + toHex("6739i"));
  auto option = encodeDeviceOption125(aastra());
  ASSERT_TRUE(option.ok());
  EXPECT_EQ(static_cast<unsigned char>((*option)[0]), 125);
  EXPECT_EQ(static_cast<unsigned char>((*option)[1]), payload->size());
  EXPECT_EQ(option->substr(2), *payload);
}

TEST(Option125Test, RoundTripsThroughTheDecoder) {
  auto payload = encodeDeviceOption125Payload(aastra());
  ASSERT_TRUE(payload.ok());
  auto blocks = decodeOption125Payload(*payload);
  ASSERT_TRUE(blocks.ok());
  ASSERT_EQ(blocks->size(), 1u);
  EXPECT_EQ((*blocks)[0].enterprise, 3561u);
  EXPECT_EQ((*blocks)[0].subOptions.at(1), "00085D");
  EXPECT_EQ((*blocks)[0].subOptions.at(2), "A1B2C3D4");
  EXPECT_EQ((*blocks)[0].subOptions.at(3), "6739i");
}

TEST(Option125Test, RefusesEmptyAndOversizedFields) {
  EXPECT_FALSE(encodeDeviceOption125Payload({"", "s", "p"}).ok());
  EXPECT_FALSE(encodeDeviceOption125Payload({"00085D", "", "p"}).ok());
  EXPECT_FALSE(encodeDeviceOption125Payload({"00085D", std::string(256, 'x'), "p"}).ok());
  // Each fits a sub-option, but together they exceed one option.
  EXPECT_FALSE(
      encodeDeviceOption125Payload({"00085D", std::string(200, 'x'), std::string(60, 'y')}).ok());
  // The largest that fits: 250 bytes of sub-options.
  EXPECT_TRUE(
      encodeDeviceOption125Payload({"00085D", std::string(200, 'x'), std::string(36, 'y')}).ok());
}

TEST(Option125Test, DecodesGatewaySubOptionsAndSkipsOtherEnterprises) {
  std::string payload = *fromHex(
      "0000000903"
      "010141");  // enterprise 9, sub-option 1 "A"
  payload += *fromHex(
      "00000de9"
      "0e"
      "0403414243"
      "05024b4c"
      "0603585958");
  auto blocks = decodeOption125Payload(payload);
  ASSERT_TRUE(blocks.ok()) << blocks.fault().message;
  ASSERT_EQ(blocks->size(), 2u);
  const auto gateway = gatewayIdentityFromOption125(*blocks);
  EXPECT_EQ(gateway.manufacturerOui, "ABC");
  EXPECT_EQ(gateway.serialNumber, "KL");
  EXPECT_EQ(gateway.productClass, "XYX");
}

TEST(Option125Test, RejectsTruncatedInput) {
  EXPECT_FALSE(decodeOption125Payload(*fromHex("00000d")).ok());
  EXPECT_FALSE(decodeOption125Payload(*fromHex("00000de9"
                                               "05"
                                               "0103"))
                   .ok());
  EXPECT_FALSE(decodeOption125Payload(*fromHex("00000de9"
                                               "03"
                                               "010541"))
                   .ok());
  EXPECT_FALSE(decodeOption125Payload(*fromHex("00000de9"
                                               "01"
                                               "01"))
                   .ok());
  EXPECT_TRUE(decodeOption125Payload("").ok());
}

TEST(Option125Test, DescribesAPayloadReadably) {
  auto payload = encodeDeviceOption125Payload(aastra());
  ASSERT_TRUE(payload.ok());
  const std::string text = describeOption125Payload(*payload);
  EXPECT_NE(text.find("enterprise 3561 (Broadband Forum)"), std::string::npos);
  EXPECT_NE(text.find("1 DeviceManufacturerOUI (6): \"00085D\""), std::string::npos);
  EXPECT_NE(text.find("3 DeviceProductClass (5): \"6739i\""), std::string::npos);
  EXPECT_NE(describeOption125Payload("\x01").find("malformed"), std::string::npos);
}

}  // namespace
}  // namespace tr69::connreq
