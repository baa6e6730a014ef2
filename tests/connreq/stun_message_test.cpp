#include "tr69/connreq/stun_message.h"

#include <gtest/gtest.h>

#include "tr69/base/crypto.h"

namespace tr69::connreq::stun {
namespace {

TransactionId fixedId() {
  TransactionId id{};
  for (std::size_t i = 0; i < id.size(); ++i)
    id[i] = static_cast<std::uint8_t>(i + 1);
  return id;
}

TEST(StunMessageTest, BindingRequestWithTr111AttributesHasTheExactBytes) {
  Message m;
  m.transactionId = fixedId();
  m.connectionRequestBinding = true;
  m.bindingChange = true;
  const std::string bytes = encode(m);
  EXPECT_EQ(toHex(bytes),
            "0001"
            "001c"
            "0102030405060708090a0b0c0d0e0f10"
            "c0010014" +
                toHex("dslforum.org/TR-111 ") + "c0020000");
}

TEST(StunMessageTest, RoundTripsEveryAttribute) {
  Message m;
  m.type = kBindingErrorResponse;
  m.transactionId = fixedId();
  m.mappedAddress = StunAddress{"203.0.113.7", 40000};
  m.responseAddress = StunAddress{"10.0.0.1", 1};
  m.sourceAddress = StunAddress{"2001:db8::1", 3478};
  m.changedAddress = StunAddress{"127.0.0.2", 3479};
  m.changeRequest = 0x06;
  m.username = "user";
  m.errorCode = ErrorCode{401, "Unauthorized"};
  m.unknownAttributes = {0x0022, 0x0033, 0x0044};
  m.connectionRequestBinding = true;
  auto d = decode(encode(m));
  ASSERT_TRUE(d.ok()) << d.fault().message;
  EXPECT_EQ(d->type, kBindingErrorResponse);
  EXPECT_EQ(d->transactionId, m.transactionId);
  EXPECT_EQ(d->mappedAddress, m.mappedAddress);
  EXPECT_EQ(d->responseAddress, m.responseAddress);
  EXPECT_EQ(d->sourceAddress, m.sourceAddress);
  EXPECT_EQ(d->changedAddress, m.changedAddress);
  EXPECT_EQ(d->changeRequest, 0x06u);
  EXPECT_EQ(d->username, "user");
  ASSERT_TRUE(d->errorCode);
  EXPECT_EQ(d->errorCode->code, 401u);
  EXPECT_EQ(d->errorCode->reason, "Unauthorized");
  // An odd count is padded by repeating the last type (RFC 3489 §11.2.10).
  EXPECT_EQ(d->unknownAttributes, (std::vector<std::uint16_t>{0x22, 0x33, 0x44, 0x44}));
  EXPECT_TRUE(d->connectionRequestBinding);
  EXPECT_FALSE(d->bindingChange);
  EXPECT_FALSE(d->integrityOffset);
}

TEST(StunMessageTest, UsernameIsPaddedWithSpacesToAMultipleOfFour) {
  Message m;
  m.username = "abcde";
  const std::string bytes = encode(m);
  EXPECT_EQ(bytes.size(), 20u + 4 + 8);
  EXPECT_EQ(bytes.substr(24), "abcde   ");
  EXPECT_EQ(decode(bytes)->username, "abcde");
}

TEST(StunMessageTest, MessageIntegrityFollowsRfc3489) {
  Message m;
  m.transactionId = fixedId();
  m.connectionRequestBinding = true;
  m.username = "cpe1";
  const std::string bytes = encode(m, "secret");
  // Independent computation: header length counts MI, text zero-padded to 64 bytes.
  const std::size_t miOffset = bytes.size() - 24;
  std::string text = bytes.substr(0, miOffset);
  ASSERT_EQ(static_cast<unsigned char>(text[3]), bytes.size() - 20);
  text.resize(((text.size() + 63) / 64) * 64, '\0');
  EXPECT_EQ(bytes.substr(miOffset, 4), std::string("\x00\x08\x00\x14", 4));
  EXPECT_EQ(bytes.substr(miOffset + 4), hmacSha1("secret", text));

  auto d = decode(bytes);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->integrityOffset);
  EXPECT_EQ(*d->integrityOffset, miOffset);
  EXPECT_TRUE(verifyIntegrity(bytes, *d, "secret"));
  EXPECT_FALSE(verifyIntegrity(bytes, *d, "Secret"));
  std::string tampered = bytes;
  tampered[49] ^= 1;  // inside USERNAME
  auto dt = decode(tampered);
  ASSERT_TRUE(dt.ok());
  EXPECT_FALSE(verifyIntegrity(tampered, *dt, "secret"));
}

TEST(StunMessageTest, AttributesAfterMessageIntegrityAreIgnored) {
  Message m;
  m.transactionId = fixedId();
  std::string bytes = encode(m, "k");
  bytes += std::string("\x00\x01\x00\x08\x00\x01\x00\x50\x01\x02\x03\x04", 12);
  bytes[3] = static_cast<char>(bytes.size() - 20);
  auto d = decode(bytes);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->mappedAddress);
}

TEST(StunMessageTest, UnknownMandatoryAttributesAreReported) {
  std::string bytes = encode(Message{});
  bytes += std::string("\x00\x77\x00\x00\x80\x77\x00\x00", 8);
  bytes[3] = 8;
  auto d = decode(bytes);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->unknownMandatory, (std::vector<std::uint16_t>{0x77}));
}

TEST(StunMessageTest, AcceptsUnpaddedAttributeAtTheEnd) {
  std::string bytes = encode(Message{});
  bytes += std::string(
      "\x00\x06\x00\x03"
      "abc",
      7);
  bytes[3] = 7;
  auto d = decode(bytes);
  ASSERT_TRUE(d.ok()) << d.fault().message;
  EXPECT_EQ(d->username, "abc");
}

TEST(StunMessageTest, RejectsMalformedMessages) {
  const std::string header = encode(Message{});
  auto withAttr = [&](std::string attr) {
    std::string bytes = header + attr;
    bytes[2] = static_cast<char>(attr.size() >> 8);
    bytes[3] = static_cast<char>(attr.size() & 0xff);
    return bytes;
  };
  EXPECT_FALSE(decode("").ok());
  EXPECT_FALSE(decode(header.substr(0, 19)).ok());
  std::string lengthTooBig = header;
  lengthTooBig[3] = 4;
  EXPECT_FALSE(decode(lengthTooBig).ok());
  EXPECT_FALSE(decode(header + "abcd").ok());  // length field 0 but 4 more bytes
  std::string notStun = header;
  notStun[0] = '\xC0';
  EXPECT_FALSE(decode(notStun).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\x00\x01\x00", 3))).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\x00\x01\x00\x08\x00\x01\x00\x50", 8))).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\x00\x01\x00\x04\x00\x01\x00\x50", 8))).ok());
  EXPECT_FALSE(
      decode(withAttr(std::string("\x00\x01\x00\x08\x00\x07\x00\x50\x01\x02\x03\x04", 12))).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\x00\x03\x00\x02\x00\x00\x00\x00", 8))).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\x00\x08\x00\x04\x00\x00\x00\x00", 8))).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\x00\x09\x00\x04\x00\x00\x00\x01", 8))).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\x00\x09\x00\x04\x00\x00\x04\x64", 8))).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\x00\x0a\x00\x03\x00\x01\x00\x00", 8))).ok());
  EXPECT_FALSE(decode(withAttr(std::string("\xc0\x01\x00\x04"
                                           "dsl!",
                                           8)))
                   .ok());
  EXPECT_FALSE(decode(header + std::string(kMaxMessageSize, '\0')).ok());
}

TEST(StunMessageTest, TellsStunFromConnectionRequests) {
  EXPECT_TRUE(looksLikeStun(encode(Message{})));
  Message response;
  response.type = kBindingResponse;
  EXPECT_TRUE(looksLikeStun(encode(response)));
  EXPECT_FALSE(looksLikeStun("GET http://x?ts=1 HTTP/1.1"));
  EXPECT_FALSE(looksLikeStun(""));
}

TEST(StunMessageTest, TransactionIdsAreRandom) {
  EXPECT_NE(randomTransactionId(), randomTransactionId());
}

}  // namespace
}  // namespace tr69::connreq::stun
