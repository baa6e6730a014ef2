// The pugixml SOAP layer of the test ACS: prefix-agnostic parsing, hostile input, writing.
#include "acs/soap.h"

#include <gtest/gtest.h>

#include "acs/fake_cpe.h"
#include "acs/rpc.h"

namespace tr69::testacs {
namespace {

TEST(SoapTest, ParsesInformWhateverPrefixesAreUsed) {
  for (const char* prefix : {"soap-env", "SOAP-ENV", "soapenv", "soap", "s"}) {
    InformSpec spec;
    spec.envelopePrefix = prefix;
    spec.cwmpNamespace = std::string(kCwmp11Ns);
    auto envelope = parseEnvelope(informXml(spec));
    ASSERT_TRUE(envelope.ok()) << prefix;
    EXPECT_EQ(envelope->methodName, "Inform");
    EXPECT_EQ(envelope->cwmpNamespace, kCwmp11Ns);
    EXPECT_EQ(envelope->id.value_or(""), "cpe-1");
    EXPECT_TRUE(envelope->idMustUnderstand);
  }
}

TEST(SoapTest, DefaultNamespaceAndOtherCwmpPrefixAreResolved) {
  const std::string xml =
      "<Envelope xmlns='http://schemas.xmlsoap.org/soap/envelope/'><Header>"
      "<x:ID xmlns:x='urn:dslforum-org:cwmp-1-2' mustUnderstand='1'>7</x:ID></Header>"
      "<Body><y:GetRPCMethodsResponse xmlns:y='urn:dslforum-org:cwmp-1-2'><MethodList>"
      "<string>Inform</string></MethodList></y:GetRPCMethodsResponse></Body></Envelope>";
  auto envelope = parseEnvelope(xml);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->methodName, "GetRPCMethodsResponse");
  EXPECT_EQ(envelope->id.value_or(""), "7");
  // An unprefixed mustUnderstand is not the SOAP attribute.
  EXPECT_FALSE(envelope->idMustUnderstand);
  EXPECT_EQ(parseResponse(*envelope).methodList, std::vector<std::string>{"Inform"});
}

TEST(SoapTest, RejectsMalformedTruncatedAndForeignDocuments) {
  const std::string good = informXml({});
  EXPECT_FALSE(parseEnvelope("").ok());
  EXPECT_FALSE(parseEnvelope("not xml").ok());
  EXPECT_FALSE(parseEnvelope(good.substr(0, good.size() / 2)).ok());
  EXPECT_FALSE(parseEnvelope("<html><body/></html>").ok());
  EXPECT_FALSE(parseEnvelope("<e:Envelope xmlns:e='urn:other'><e:Body/></e:Envelope>").ok());
  EXPECT_FALSE(
      parseEnvelope("<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'/>").ok());
  // Undeclared prefixes resolve to nothing rather than crashing.
  EXPECT_FALSE(parseEnvelope("<q:Envelope><q:Body/></q:Envelope>").ok());
}

TEST(SoapTest, HostileInputStaysBounded) {
  std::string deep;
  for (int i = 0; i < 5000; ++i)
    deep += "<a>";
  EXPECT_FALSE(parseEnvelope(deep).ok());
  const std::string entity =
      "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>"
      "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>&b;</s:Body>"
      "</s:Envelope>";
  // pugixml does not expand DTD entities, so the "billion laughs" cannot grow.
  auto parsed = parseEnvelope(entity);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->bodyElementCount, 0);
  const std::string big(2 * 1024 * 1024, 'x');
  EXPECT_FALSE(parseEnvelope(big).ok());
}

TEST(SoapTest, CountsEnvelopesAndBodyElements) {
  const std::string one = informXml({});
  const std::string body = one.substr(one.find("<soap-env:Envelope"));
  // pugixml accepts a document with two root elements; the count exposes it (C4).
  auto two = parseEnvelope(body + body);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->topLevelElementCount, 2);
}

TEST(SoapTest, WritesRequestsWithArgumentsInSchemaOrder) {
  RpcRequest download;
  download.method = "Download";
  download.with("URL", "http://127.0.0.1:1/fw.st").with("CommandKey", "dl-1");
  const std::string xml = writeRequest(kCwmp12Ns, "acs-1", true, download);
  auto envelope = parseEnvelope(xml);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->methodName, "Download");
  EXPECT_EQ(envelope->holdRequests.value_or(""), "true");
  std::vector<std::string> order;
  for (pugi::xml_node child : elementChildren(envelope->method))
    order.push_back(child.name());
  const std::vector<std::string> expected = {
      "CommandKey", "FileType",       "URL",          "Username",   "Password",
      "FileSize",   "TargetFileName", "DelaySeconds", "SuccessURL", "FailureURL"};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(childText(envelope->method, "FileType").value_or(""), "1 Firmware Upgrade Image");
  EXPECT_EQ(childText(envelope->method, "URL").value_or(""), "http://127.0.0.1:1/fw.st");
}

TEST(SoapTest, WritesArraysWithArrayTypeAndXsiType) {
  RpcRequest spv = setParameterValues(
      {{"Device.ManagementServer.PeriodicInformInterval", "60", "xsd:unsignedInt"}}, "key-1");
  auto envelope = parseEnvelope(writeRequest(kCwmp12Ns, "acs-2", std::nullopt, spv));
  ASSERT_TRUE(envelope.ok());
  pugi::xml_node list = childByLocalName(envelope->method, "ParameterList");
  EXPECT_STREQ(findAttribute(list, kSoapEncNs, "arrayType").value(),
               "cwmp:ParameterValueStruct[1]");
  pugi::xml_node value = childByLocalName(childByLocalName(list, "ParameterValueStruct"), "Value");
  EXPECT_STREQ(findAttribute(value, kXsiNs, "type").value(), "xsd:unsignedInt");
  EXPECT_FALSE(envelope->holdRequests);
}

TEST(SoapTest, RawArgumentsAreSentVerbatim) {
  RpcRequest odd;
  odd.method = "X_Unknown";
  odd.rawArguments = "<Foo>1</Foo><Bar/>";
  auto envelope = parseEnvelope(writeRequest(kCwmp12Ns, "1", std::nullopt, odd));
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(elementChildren(envelope->method).size(), 2u);
}

TEST(SoapTest, ParsesCpeFaultWithSetParameterValuesFaults) {
  auto envelope = parseEnvelope(cpeFaultXml(
      std::string(kCwmp12Ns), "9", 9003,
      "<SetParameterValuesFault><ParameterName>A.B</ParameterName><FaultCode>9007</FaultCode>"
      "<FaultString>bad</FaultString></SetParameterValuesFault>"));
  ASSERT_TRUE(envelope.ok());
  EXPECT_TRUE(envelope->isFault());
  EXPECT_EQ(envelope->cwmpNamespace, kCwmp12Ns);
  RpcResponse response = parseResponse(*envelope);
  EXPECT_TRUE(response.isFault);
  EXPECT_EQ(response.soapFaultCode, "Client");
  EXPECT_EQ(response.faultCode, 9003u);
  ASSERT_EQ(response.setParameterValuesFaults.size(), 1u);
  EXPECT_EQ(response.setParameterValuesFaults[0].name, "A.B");
  EXPECT_EQ(response.setParameterValuesFaults[0].code, 9007u);
}

TEST(SoapTest, PrettyPrintsXmlAndLeavesOtherTextAlone) {
  EXPECT_NE(prettyXml("<a><b>1</b></a>").find("\n  <b>1</b>"), std::string::npos);
  EXPECT_EQ(prettyXml("plain"), "plain");
}

}  // namespace
}  // namespace tr69::testacs
