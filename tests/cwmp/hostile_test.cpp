// Malformed and hostile input: every case must be answered (a fault reply with the right code)
// without crashing, and without unbounded memory or time.
#include <gtest/gtest.h>

#include "fake_handler.h"
#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/dispatcher.h"
#include "xml_test_util.h"

namespace tr69::cwmp {
namespace {

const char* const kHead =
    R"(<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" )"
    R"(xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" )"
    R"(xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Header>)"
    R"(<cwmp:ID soap-env:mustUnderstand="1">evil</cwmp:ID></soap-env:Header><soap-env:Body>)";
const char* const kTail = "</soap-env:Body></soap-env:Envelope>";

std::string wrap(const std::string& body) {
  return kHead + body + kTail;
}

// Serves `body` and checks that the reply is one well-formed SOAP fault with `code`.
BadMessage expectFault(const std::string& body, FaultCode code,
                       const DecodeLimits& limits = DecodeLimits{}) {
  Codec codec(limits);
  test::CannedHandler handler;
  ServeResult result = serve(codec, body, handler);
  const auto* bad = std::get_if<BadMessage>(&result.message.body);
  if (bad == nullptr) {
    ADD_FAILURE() << "decoded without a fault";
    return {};
  }
  EXPECT_EQ(bad->fault.code, code) << bad->detail;
  EXPECT_FALSE(handler.lastRequest.has_value());
  test::Envelope reply;
  test::parseEnvelope(result.reply.value_or(""), reply);
  EXPECT_TRUE(reply.ok) << result.reply.value_or("<no reply>");
  if (reply.ok) {
    EXPECT_EQ(test::localName(reply.body.name()), "Fault");
    pugi::xml_node detail = test::child(test::child(reply.body, "detail"), "Fault");
    EXPECT_EQ(std::to_string(static_cast<unsigned>(code)),
              test::child(detail, "FaultCode").text().get());
  }
  return *bad;
}

TEST(HostileTest, EveryTruncationOfARequestIsAFault) {
  std::string full = test::readData("set_parameter_values.request.xml");
  Codec codec;
  test::CannedHandler handler;
  std::size_t end = full.rfind("</soap-env:Envelope>");
  for (std::size_t length = 1; length < end; ++length) {
    ServeResult result = serve(codec, full.substr(0, length), handler);
    bool empty = std::holds_alternative<EmptyBody>(result.message.body);
    bool bad = std::holds_alternative<BadMessage>(result.message.body);
    ASSERT_TRUE(empty || bad) << "length " << length;
    if (bad) {
      test::Envelope reply;
      test::parseEnvelope(result.reply.value_or(""), reply);
      ASSERT_TRUE(reply.ok) << "length " << length;
    }
  }
  EXPECT_FALSE(handler.lastRequest.has_value());
}

TEST(HostileTest, NotSoapAtAll) {
  for (const char* body : {"hello", "<html><body>502 Bad Gateway</body></html>", "<", "<a",
                           "\x01\x02\x03", "{\"json\":true}"}) {
    BadMessage bad = expectFault(body, FaultCode::kInvalidArguments);
    EXPECT_TRUE(bad.kind == BadMessage::Kind::kNotSoap || bad.kind == BadMessage::Kind::kMalformed)
        << body;
  }
  expectFault(std::string("<a>\0</a>", 8), FaultCode::kInvalidArguments);
}

TEST(HostileTest, Soap12EnvelopeIsRefused) {
  BadMessage bad =
      expectFault(R"(<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>)"
                  R"(<c:GetRPCMethods xmlns:c="urn:dslforum-org:cwmp-1-0"/></e:Body></e:Envelope>)",
                  FaultCode::kInvalidArguments);
  EXPECT_EQ(bad.kind, BadMessage::Kind::kNotSoap);
}

TEST(HostileTest, WrongTypesAndMissingArgumentsGive9003) {
  for (const char* body :
       {"<cwmp:GetParameterNames><ParameterPath/><NextLevel>maybe</NextLevel>"
        "</cwmp:GetParameterNames>",
        "<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath></cwmp:GetParameterNames>",
        "<cwmp:ScheduleInform><DelaySeconds>-1</DelaySeconds><CommandKey/></cwmp:ScheduleInform>",
        "<cwmp:ScheduleInform><DelaySeconds>ten</DelaySeconds><CommandKey/></cwmp:ScheduleInform>",
        "<cwmp:Download><CommandKey/><FileType>1 Firmware Upgrade Image</FileType><URL>u</URL>"
        "<FileSize>4294967296</FileSize><DelaySeconds>0</DelaySeconds></cwmp:Download>",
        "<cwmp:SetParameterAttributes><ParameterList><SetParameterAttributesStruct><Name>X</Name>"
        "<NotificationChange>1</NotificationChange><Notification>two</Notification>"
        "<AccessListChange>0</AccessListChange></SetParameterAttributesStruct></ParameterList>"
        "</cwmp:SetParameterAttributes>",
        "<cwmp:ScheduleDownload><TimeWindowList><TimeWindowStruct><WindowStart>x</WindowStart>"
        "</TimeWindowStruct></TimeWindowList></cwmp:ScheduleDownload>"}) {
    BadMessage bad = expectFault(wrap(body), FaultCode::kInvalidArguments);
    EXPECT_EQ(bad.kind, BadMessage::Kind::kMalformed) << body;
  }
}

TEST(HostileTest, FaultMessageNamesTheBadArgument) {
  BadMessage bad = expectFault(wrap("<cwmp:GetParameterNames><ParameterPath/>"
                                    "<NextLevel>maybe</NextLevel></cwmp:GetParameterNames>"),
                               FaultCode::kInvalidArguments);
  EXPECT_NE(bad.fault.message.find("NextLevel"), std::string::npos) << bad.fault.message;
}

TEST(HostileTest, OversizedEnvelopeIsRefusedUnparsed) {
  DecodeLimits limits;
  limits.maxEnvelopeBytes = 2048;
  std::string names;
  while (names.size() < 4096)
    names += "<string>Device.DeviceInfo.</string>";
  BadMessage bad = expectFault(wrap("<cwmp:GetParameterValues><ParameterNames>" + names +
                                    "</ParameterNames></cwmp:GetParameterValues>"),
                               FaultCode::kResourcesExceeded, limits);
  EXPECT_EQ(bad.kind, BadMessage::Kind::kTooLarge);
  EXPECT_EQ(DecodeLimits{}.maxEnvelopeBytes, 1024u * 1024u);
}

TEST(HostileTest, HugeArraysAreCapped) {
  std::string names;
  for (int i = 0; i < 10001; ++i)
    names += "<string>A</string>";
  BadMessage bad = expectFault(wrap("<cwmp:GetParameterValues><ParameterNames>" + names +
                                    "</ParameterNames></cwmp:GetParameterValues>"),
                               FaultCode::kResourcesExceeded);
  EXPECT_EQ(bad.kind, BadMessage::Kind::kTooLarge);
}

TEST(HostileTest, DeepNestingIsRefused) {
  std::string deep;
  for (int i = 0; i < 100000; ++i)
    deep += "<x>";
  for (int i = 0; i < 100000; ++i)
    deep += "</x>";
  BadMessage bad = expectFault(wrap("<cwmp:GetRPCMethods>" + deep + "</cwmp:GetRPCMethods>"),
                               FaultCode::kResourcesExceeded);
  EXPECT_EQ(bad.kind, BadMessage::Kind::kTooLarge);
  // An unclosed tower is refused the same way.
  std::string tower;
  for (int i = 0; i < 1000; ++i)
    tower += "<y a='>'>";
  expectFault(tower, FaultCode::kResourcesExceeded);
}

TEST(HostileTest, BillionLaughsIsRefusedWithoutExpansion) {
  std::string dtd = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
  std::string previous = "lol";
  for (int level = 1; level <= 9; ++level) {
    std::string name = "lol" + std::to_string(level);
    dtd += "<!ENTITY " + name + " \"";
    for (int i = 0; i < 10; ++i)
      dtd += "&" + previous + ";";
    dtd += "\">";
    previous = name;
  }
  dtd += "]>";
  BadMessage bad =
      expectFault(dtd + wrap("<cwmp:GetParameterValues><ParameterNames><string>&lol9;</string>"
                             "</ParameterNames></cwmp:GetParameterValues>"),
                  FaultCode::kInvalidArguments);
  EXPECT_NE(bad.detail.find("document type"), std::string::npos);
  // An external entity (XXE) is refused the same way.
  expectFault(R"(<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>)" +
                  wrap("<cwmp:Reboot><CommandKey>&e;</CommandKey></cwmp:Reboot>"),
              FaultCode::kInvalidArguments);
}

TEST(HostileTest, UndefinedEntitiesAndBadCharacterReferencesDoNotCrash) {
  Codec codec;
  test::CannedHandler handler;
  for (const char* text : {"&undefined;", "&#0;", "&#1;", "&#xD800;", "&#x110000;", "&#;", "&amp",
                           "&#99999999999999999999;"}) {
    ServeResult result =
        serve(codec,
              wrap(std::string("<cwmp:Reboot><CommandKey>") + text + "</CommandKey></cwmp:Reboot>"),
              handler);
    ASSERT_TRUE(result.reply.has_value()) << text;
    test::Envelope reply;
    test::parseEnvelope(*result.reply, reply);
    EXPECT_TRUE(reply.ok) << text;
  }
}

TEST(HostileTest, InvalidUtf8AndControlCharactersAreNeverEchoedRaw) {
  Codec codec;
  test::CannedHandler handler;
  // GetParameterNames echoes nothing, but SPV faults name the parameters: use a fault reply.
  ServeResult result = serve(
      codec,
      wrap("<cwmp:SetParameterValues><ParameterList><ParameterValueStruct>"
           "<Name>Device.NoSuchParameter.\xC3\x28\xFF</Name><Value>1</Value>"
           "</ParameterValueStruct></ParameterList><ParameterKey/></cwmp:SetParameterValues>"),
      handler);
  ASSERT_TRUE(result.reply.has_value());
  test::Envelope reply;
  test::parseEnvelope(*result.reply, reply);
  ASSERT_TRUE(reply.ok);
  EXPECT_EQ(result.reply->find('\xFF'), std::string::npos);
}

TEST(HostileTest, BodyWithoutAMethodElement) {
  expectFault(wrap(""), FaultCode::kInvalidArguments);
  expectFault(wrap("just text"), FaultCode::kInvalidArguments);
  expectFault(R"(<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"/>)",
              FaultCode::kInvalidArguments);
}

TEST(HostileTest, MismatchedTagsAndGarbageAfterTheEnvelope) {
  expectFault(wrap("<cwmp:Reboot><CommandKey>x</Key></cwmp:Reboot>"), FaultCode::kInvalidArguments);
  expectFault(wrap("<cwmp:Reboot><CommandKey>x</CommandKey></cwmp:Rebooot>"),
              FaultCode::kInvalidArguments);
}

TEST(HostileTest, CodecStaysUsableAfterBadInput) {
  Codec codec;
  test::CannedHandler handler;
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(std::holds_alternative<BadMessage>(codec.decodeAcsMessage("<broken").body));
    AcsMessage good = codec.decodeAcsMessage(test::readData("reboot.request.xml"));
    ASSERT_TRUE(std::holds_alternative<AcsRequest>(good.body));
    EXPECT_EQ(std::get<AcsRequest>(good.body), AcsRequest(Reboot{"rb-42"}));
    EXPECT_EQ(good.header.id, "reboot-1");
  }
}

}  // namespace
}  // namespace tr69::cwmp
