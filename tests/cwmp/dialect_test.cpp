// Decoding the dialects real ACSs write: prefixes, default namespaces, missing or wrong
// arrayType, xsi:type present or absent, extra headers, whitespace, CDATA, entities, UTF-8, and
// every cwmp namespace version.
#include <gtest/gtest.h>

#include "fake_handler.h"
#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/dispatcher.h"
#include "xml_test_util.h"

namespace tr69::cwmp {
namespace {

const char* const kEnvStart =
    R"(<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" )"
    R"(xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" )"
    R"(xmlns:xsd="http://www.w3.org/2001/XMLSchema" )"
    R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
    R"(xmlns:cwmp="urn:dslforum-org:cwmp-1-0">)";

std::string envelope(const std::string& header, const std::string& body) {
  return std::string(kEnvStart) + "<soap-env:Header>" + header +
         "</soap-env:Header><soap-env:Body>" + body + "</soap-env:Body></soap-env:Envelope>";
}

std::string gpv(const std::string& names) {
  return envelope(R"(<cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID>)",
                  "<cwmp:GetParameterValues>" + names + "</cwmp:GetParameterValues>");
}

template <class T>
T requestOf(const AcsMessage& message) {
  const auto* request = std::get_if<AcsRequest>(&message.body);
  if (request == nullptr) {
    ADD_FAILURE() << "not a request: "
                  << (std::holds_alternative<BadMessage>(message.body)
                          ? std::get<BadMessage>(message.body).detail
                          : std::string("other"));
    return T{};
  }
  const T* typed = std::get_if<T>(request);
  if (typed == nullptr) {
    ADD_FAILURE() << "unexpected request type";
    return T{};
  }
  return *typed;
}

TEST(DialectTest, OddPrefixesAndQNameTypesAreNormalised) {
  const char* body = R"(<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"
      xmlns:c="urn:dslforum-org:cwmp-1-1" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"
      xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:enc="http://schemas.xmlsoap.org/soap/encoding/">
    <e:Header><c:ID e:mustUnderstand="1">odd-1</c:ID></e:Header>
    <e:Body><c:SetParameterValues>
      <ParameterList enc:arrayType="c:ParameterValueStruct[4]">
        <ParameterValueStruct><Name>A</Name><Value i:type="s:dateTime">0001-01-01T00:00:00Z</Value></ParameterValueStruct>
        <ParameterValueStruct><Name i:type="s:string">B</Name><Value i:type="enc:base64">AAEC</Value></ParameterValueStruct>
        <ParameterValueStruct><Name>C</Name><Value i:type="s:base64Binary">AAEC</Value></ParameterValueStruct>
        <ParameterValueStruct><Name>D</Name><Value i:type="s:unsignedInt">7</Value></ParameterValueStruct>
      </ParameterList>
      <ParameterKey i:type="s:string">k</ParameterKey>
    </c:SetParameterValues></e:Body></e:Envelope>)";
  AcsMessage message = decodeAcsMessage(body);
  auto spv = requestOf<SetParameterValues>(message);
  ASSERT_EQ(spv.values.size(), 4u);
  EXPECT_EQ(spv.values[0], (ParameterValue{"A", "0001-01-01T00:00:00Z", "xsd:dateTime"}));
  EXPECT_EQ(spv.values[1], (ParameterValue{"B", "AAEC", "xsd:base64"}));
  EXPECT_EQ(spv.values[2], (ParameterValue{"C", "AAEC", "xsd:base64"}));
  EXPECT_EQ(spv.values[3], (ParameterValue{"D", "7", "xsd:unsignedInt"}));
  EXPECT_EQ(spv.parameterKey, "k");
  EXPECT_EQ(message.header.id, "odd-1");
  EXPECT_EQ(message.version, CwmpVersion::k1_1);
}

TEST(DialectTest, DefaultNamespacesEverywhere) {
  const char* body = R"(<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/">
    <Header><ID xmlns="urn:dslforum-org:cwmp-1-2">dn-1</ID></Header>
    <Body><GetParameterNames xmlns="urn:dslforum-org:cwmp-1-2">
      <ParameterPath>Device.</ParameterPath><NextLevel>0</NextLevel>
    </GetParameterNames></Body></Envelope>)";
  AcsMessage message = decodeAcsMessage(body);
  EXPECT_EQ(requestOf<GetParameterNames>(message), (GetParameterNames{"Device.", false}));
  EXPECT_EQ(message.header.id, "dn-1");
  EXPECT_EQ(message.version, CwmpVersion::k1_2);
}

TEST(DialectTest, UnqualifiedArgumentsUnderAnEmptyDefaultNamespace) {
  const char* body = R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
    <soapenv:Body><cwmp:GetParameterValues xmlns:cwmp="urn:dslforum-org:cwmp-1-0">
      <ParameterNames xmlns=""><string>Device.</string></ParameterNames>
    </cwmp:GetParameterValues></soapenv:Body></soapenv:Envelope>)";
  AcsMessage message = decodeAcsMessage(body);
  EXPECT_EQ(requestOf<GetParameterValues>(message).names, std::vector<std::string>{"Device."});
  EXPECT_FALSE(message.header.id.has_value());
}

TEST(DialectTest, ArraysWithoutWrongOrEmptyArrayType) {
  auto names = [](const std::string& array) {
    return requestOf<GetParameterValues>(decodeAcsMessage(gpv(array))).names;
  };
  std::vector<std::string> ab{"A", "B"};
  EXPECT_EQ(names("<ParameterNames><string>A</string><string>B</string></ParameterNames>"), ab);
  EXPECT_EQ(names(R"(<ParameterNames soap-enc:arrayType="xsd:string[1]"><string>A</string>)"
                  "<string>B</string></ParameterNames>"),
            ab);
  EXPECT_EQ(names(R"(<ParameterNames soap-enc:arrayType="xsd:string[5]"><string>A</string>)"
                  "<string>B</string></ParameterNames>"),
            ab);
  EXPECT_EQ(names(R"(<ParameterNames soap-enc:arrayType="xsd:string[100000000]">)"
                  "<string>A</string><string>B</string></ParameterNames>"),
            ab);
  EXPECT_EQ(names(R"(<ParameterNames xsi:type="soap-enc:Array"><string>A</string>)"
                  "<string>B</string></ParameterNames>"),
            ab);
  EXPECT_TRUE(names(R"(<ParameterNames soap-enc:arrayType="xsd:string[0]"/>)").empty());
  EXPECT_TRUE(names("<ParameterNames></ParameterNames>").empty());
  EXPECT_TRUE(names("").empty());
  // Item element names other than <string> are read too.
  EXPECT_EQ(names("<ParameterNames><xsd:string>A</xsd:string><item>B</item></ParameterNames>"), ab);
}

TEST(DialectTest, ExtraHeadersWithoutMustUnderstandAreIgnored) {
  std::string body =
      envelope(R"(<cwmp:ID soap-env:mustUnderstand="1">h-1</cwmp:ID>)"
               R"(<x:Trace xmlns:x="urn:example:acs" soap-env:mustUnderstand="0">abc</x:Trace>)"
               R"(<cwmp:NoMoreRequests>1</cwmp:NoMoreRequests>)"
               R"(<cwmp:SessionTimeout>60</cwmp:SessionTimeout>)"
               R"(<cwmp:UseCWMPVersion soap-env:mustUnderstand="1">1.4</cwmp:UseCWMPVersion>)",
               "<cwmp:GetRPCMethods/>");
  AcsMessage message = decodeAcsMessage(body);
  requestOf<GetRPCMethods>(message);
  EXPECT_EQ(message.header.id, "h-1");
  EXPECT_EQ(message.header.useCwmpVersion, "1.4");
}

TEST(DialectTest, UnknownMustUnderstandHeaderGetsOneMustUnderstandFault) {
  std::string body =
      envelope(R"(<cwmp:ID soap-env:mustUnderstand="1">mu-1</cwmp:ID>)"
               R"(<x:Frob xmlns:x="urn:example:acs" soap-env:mustUnderstand="1">1</x:Frob>)",
               "<cwmp:GetRPCMethods/>");
  Codec codec;
  test::CannedHandler handler;
  ServeResult result = serve(codec, body, handler);
  ASSERT_TRUE(std::holds_alternative<BadMessage>(result.message.body));
  EXPECT_EQ(std::get<BadMessage>(result.message.body).kind, BadMessage::Kind::kMustUnderstand);
  EXPECT_FALSE(handler.lastRequest.has_value());
  ASSERT_TRUE(result.reply.has_value());
  test::Envelope reply;
  test::parseEnvelope(*result.reply, reply);
  ASSERT_TRUE(reply.ok);
  EXPECT_EQ(test::localName(test::child(reply.body, "faultcode").text().get()), "MustUnderstand");
  EXPECT_EQ(std::string(test::child(reply.header, "ID").text().get()), "mu-1");
  // Exactly one envelope (gSOAP's own serve loop would have sent a second one).
  EXPECT_EQ(result.reply->find("Envelope>"), result.reply->rfind("Envelope>"));
}

TEST(DialectTest, HoldRequestsIsReportedAndNotEchoed) {
  for (const char* value : {"1", "true", " TRUE "}) {
    std::string body = envelope(
        R"(<cwmp:ID soap-env:mustUnderstand="1">hold</cwmp:ID><cwmp:HoldRequests soap-env:mustUnderstand="1">)" +
            std::string(value) + "</cwmp:HoldRequests>",
        "<cwmp:GetRPCMethods/>");
    Codec codec;
    test::CannedHandler handler;
    ServeResult result = serve(codec, body, handler);
    EXPECT_TRUE(result.message.header.holdRequests) << value;
    ASSERT_TRUE(result.reply.has_value());
    EXPECT_EQ(result.reply->find("HoldRequests"), std::string::npos);
  }
  std::string off =
      envelope(R"(<cwmp:HoldRequests soap-env:mustUnderstand="1">false</cwmp:HoldRequests>)",
               "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>");
  EXPECT_FALSE(decodeAcsMessage(off).header.holdRequests);
}

TEST(DialectTest, WhitespaceCdataEntitiesAndMultibyteText) {
  std::string body =
      envelope("\n\t<cwmp:ID soap-env:mustUnderstand=\"1\">\n ws \n</cwmp:ID>\n",
               "\n  <cwmp:SetParameterValues>\n"
               "    <ParameterList>\n"
               "      <ParameterValueStruct>\n"
               "        <Name>Device.A</Name>\n"
               "        <Value><![CDATA[a<b>&c]]></Value>\n"
               "      </ParameterValueStruct>\n"
               "      <ParameterValueStruct><Name>Device.B</Name>"
               "<Value>&lt;&gt;&amp;&quot;&apos;&#233;&#x263A;</Value></ParameterValueStruct>\n"
               "      <ParameterValueStruct><Name>Device.C</Name>"
               "<Value>Gr\xC3\xBC\xC3\x9F"
               "e \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x93\x9E</Value>"
               "</ParameterValueStruct>\n"
               "      <ParameterValueStruct><Name>Device.D</Name><Value>  two  spaces  </Value>"
               "</ParameterValueStruct>\n"
               "    </ParameterList>\n"
               "    <ParameterKey></ParameterKey>\n"
               "  </cwmp:SetParameterValues>\n");
  AcsMessage message = decodeAcsMessage(body);
  auto spv = requestOf<SetParameterValues>(message);
  ASSERT_EQ(spv.values.size(), 4u);
  EXPECT_EQ(spv.values[0].value, "a<b>&c");
  EXPECT_EQ(spv.values[0].type, "");  // no xsi:type: left to the model to validate
  EXPECT_EQ(spv.values[1].value, "<>&\"'\xC3\xA9\xE2\x98\xBA");
  EXPECT_EQ(spv.values[2].value,
            "Gr\xC3\xBC\xC3\x9F"
            "e \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x93\x9E");
  EXPECT_EQ(spv.values[3].value, "  two  spaces  ");
}

TEST(DialectTest, EveryCwmpNamespaceIsReadAndTheReplyUsesIt) {
  struct Case {
    const char* uri;
    CwmpVersion version;
  };
  for (const Case& c : {Case{"urn:dslforum-org:cwmp-1-0", CwmpVersion::k1_0},
                        Case{"urn:dslforum-org:cwmp-1-1", CwmpVersion::k1_1},
                        Case{"urn:dslforum-org:cwmp-1-2", CwmpVersion::k1_2},
                        Case{"urn:dslforum-org:cwmp-1-3", CwmpVersion::k1_2}}) {
    std::string body =
        std::string(
            R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp=")") +
        c.uri +
        R"("><s:Header><cwmp:ID s:mustUnderstand="1">v</cwmp:ID></s:Header>)"
        R"(<s:Body><cwmp:GetRPCMethods/></s:Body></s:Envelope>)";
    Codec codec;
    test::CannedHandler handler;
    ServeResult result = serve(codec, body, handler);
    EXPECT_EQ(result.message.version, c.version) << c.uri;
    test::Envelope reply;
    test::parseEnvelope(result.reply.value_or(""), reply);
    ASSERT_TRUE(reply.ok) << c.uri;
    EXPECT_EQ(test::namespaceOf(reply.body), namespaceUri(c.version)) << c.uri;
  }
}

TEST(DialectTest, BooleansAndNumbersInEveryAcceptedForm) {
  for (const char* value : {"1", "true", "TRUE", " True "}) {
    std::string body = envelope("", std::string("<cwmp:GetParameterNames><ParameterPath/>"
                                                "<NextLevel xsi:type=\"xsd:boolean\">") +
                                        value + "</NextLevel></cwmp:GetParameterNames>");
    EXPECT_TRUE(requestOf<GetParameterNames>(decodeAcsMessage(body)).nextLevel) << value;
  }
  std::string empty = envelope("",
                               "<cwmp:GetParameterNames><ParameterPath></ParameterPath>"
                               "<NextLevel>false</NextLevel></cwmp:GetParameterNames>");
  EXPECT_EQ(requestOf<GetParameterNames>(decodeAcsMessage(empty)), (GetParameterNames{"", false}));
  std::string delay = envelope("",
                               "<cwmp:ScheduleInform><DelaySeconds> 4294967295 </DelaySeconds>"
                               "<CommandKey/></cwmp:ScheduleInform>");
  EXPECT_EQ(requestOf<ScheduleInform>(decodeAcsMessage(delay)).delaySeconds, 4294967295u);
}

TEST(DialectTest, OldSchemaNamespacesAndAnXmlDeclaration) {
  const char* body = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- an ACS comment -->
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:xsi="http://www.w3.org/1999/XMLSchema-instance" xmlns:xsd="http://www.w3.org/1999/XMLSchema"
  xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><SOAP-ENV:Body>
  <cwmp:SetParameterValues><ParameterList><ParameterValueStruct><Name>X</Name>
  <Value xsi:type="xsd:int">-3</Value></ParameterValueStruct></ParameterList>
  <ParameterKey>k</ParameterKey></cwmp:SetParameterValues></SOAP-ENV:Body></SOAP-ENV:Envelope>)";
  auto spv = requestOf<SetParameterValues>(decodeAcsMessage(body));
  ASSERT_EQ(spv.values.size(), 1u);
  EXPECT_EQ(spv.values[0], (ParameterValue{"X", "-3", "xsd:int"}));
}

TEST(DialectTest, EmptyBodiesMeanNoMoreRequests) {
  Codec codec;
  test::CannedHandler handler;
  for (const char* body : {"", "\r\n", "  \t\n"}) {
    ServeResult result = serve(codec, body, handler);
    EXPECT_TRUE(std::holds_alternative<EmptyBody>(result.message.body));
    EXPECT_FALSE(result.reply.has_value());
  }
}

TEST(DialectTest, AcsFaultWithQualifiedFaultCodeAndNoDetail) {
  std::string body = envelope("",
                              "<soap-env:Fault><faultcode>soap-env:Server</faultcode>"
                              "<faultstring>Internal</faultstring></soap-env:Fault>");
  AcsMessage message = decodeAcsMessage(body);
  ASSERT_TRUE(std::holds_alternative<AcsFault>(message.body));
  const auto& fault = std::get<AcsFault>(message.body);
  EXPECT_EQ(fault.faultCode, "SOAP-ENV:Server");
  EXPECT_EQ(fault.faultString, "Internal");
  EXPECT_EQ(fault.cwmpCode, 0u);
}

TEST(DialectTest, SetParameterAttributesWithEmptyNotificationWhenUnchanged) {
  std::string body =
      envelope("",
               "<cwmp:SetParameterAttributes><ParameterList><SetParameterAttributesStruct>"
               "<Name>Device.</Name><NotificationChange>0</NotificationChange><Notification/>"
               "<AccessListChange>0</AccessListChange><AccessList/></SetParameterAttributesStruct>"
               "</ParameterList></cwmp:SetParameterAttributes>");
  auto spa = requestOf<SetParameterAttributes>(decodeAcsMessage(body));
  ASSERT_EQ(spa.attributes.size(), 1u);
  EXPECT_EQ(spa.attributes[0], (SetParameterAttribute{"Device.", false, 0, false, {}}));
}

}  // namespace
}  // namespace tr69::cwmp
