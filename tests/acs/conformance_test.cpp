// Each conformance check on a good and on a bad message.
#include "acs/conformance.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "acs/fake_cpe.h"

namespace tr69::testacs {
namespace {

const std::string kNs(kCwmp12Ns);

bool hasRule(const std::vector<Violation>& found, const std::string& rule) {
  return std::any_of(found.begin(), found.end(),
                     [&](const Violation& v) { return v.rule == rule; });
}

std::string all(const std::vector<Violation>& found) {
  std::string out;
  for (const auto& v : found)
    out += describe(v) + "\n";
  return out;
}

Envelope parse(const std::string& xml) {
  auto envelope = parseEnvelope(xml);
  EXPECT_TRUE(envelope.ok()) << xml;
  return envelope.ok() ? *envelope : Envelope{};
}

TEST(ConformanceTest, GoodInformPasses) {
  auto found = checkInform(parse(informXml({})), defaultForcedInformParameters());
  EXPECT_TRUE(found.empty()) << all(found);
  EXPECT_TRUE(checkEnvelope(parse(informXml({}))).empty());
}

TEST(ConformanceTest, InformFieldRules) {
  InformSpec spec;
  spec.oui = "0008 5D";
  spec.manufacturer = "";
  spec.maxEnvelopes = "0";
  spec.retryCount = "-1";
  spec.currentTime = "yesterday";
  auto found = checkInform(parse(informXml(spec)), defaultForcedInformParameters());
  for (const char* rule : {"C69", "C4", "§2.4", "C71"}) {
    EXPECT_TRUE(hasRule(found, rule)) << rule << "\n" << all(found);
  }
}

TEST(ConformanceTest, UnknownTimeAndOffsetsAreValidCurrentTimes) {
  for (const char* time :
       {"0001-01-01T00:00:00Z", "2026-05-01T12:00:00.123+02:00", "2026-05-01T12:00:00-05:30"}) {
    InformSpec spec;
    spec.currentTime = time;
    EXPECT_FALSE(hasRule(checkInform(parse(informXml(spec)), {}), "C71")) << time;
  }
  EXPECT_TRUE(isCwmpDateTime("0001-01-02T03:04:05"));  // relative since boot
  EXPECT_FALSE(isCwmpDateTime("0001-01-02T03:04:05", false));
  EXPECT_FALSE(isCwmpDateTime("2026-05-01 12:00:00Z"));
}

TEST(ConformanceTest, EventRules) {
  InformSpec spec;
  spec.events = {{"1 BOOT", ""}, {"1 BOOT", ""}};
  EXPECT_TRUE(hasRule(checkInform(parse(informXml(spec)), {}), "C62"));
  spec.events = {{"M Download", "k"}};
  EXPECT_TRUE(hasRule(checkInform(parse(informXml(spec)), {}), "§4.2"));
  spec.events = {{"3 SCHEDULED", ""}};
  EXPECT_TRUE(hasRule(checkInform(parse(informXml(spec)), {}), "§4.1"));
  spec.events = {{"4 VALUE CHANGED", ""}};
  EXPECT_TRUE(hasRule(checkInform(parse(informXml(spec)), {}), "§4.1"));
  spec.events = {{"0 BOOTSTRAP", ""},         {"1 BOOT", ""},       {"M Reboot", "rb"},
                 {"7 TRANSFER COMPLETE", ""}, {"M Download", "dl"}, {"X 00085D Custom", ""}};
  auto found = checkInform(parse(informXml(spec)), {});
  EXPECT_TRUE(found.empty()) << all(found);
}

TEST(ConformanceTest, ForcedParametersTypesAndArrays) {
  InformSpec spec;
  spec.parameters = {{"Device.DeviceInfo.SoftwareVersion", "1", "xsd:string"}};
  EXPECT_TRUE(hasRule(checkInform(parse(informXml(spec)), defaultForcedInformParameters()), "C70"));
  spec.omitParameterTypes = true;
  EXPECT_TRUE(hasRule(checkInform(parse(informXml(spec)), {}), "§1.3"));
  std::string wrongCount = informXml({});
  const auto at = wrongCount.find("ParameterValueStruct[6]");
  ASSERT_NE(at, std::string::npos);
  wrongCount.replace(at, 23, "ParameterValueStruct[2]");
  EXPECT_TRUE(hasRule(checkInform(parse(wrongCount), {}), "§2.2"));
}

TEST(ConformanceTest, EnvelopeRules) {
  std::string qualified = informXml({});
  const auto at = qualified.find("<DeviceId>");
  qualified.replace(at, 10, "<cwmp:DeviceId>");
  const auto end = qualified.find("</DeviceId>");
  qualified.replace(end, 11, "</cwmp:DeviceId>");
  EXPECT_TRUE(hasRule(checkEnvelope(parse(qualified)), "§1.3"));
  const std::string body = informXml({}).substr(informXml({}).find("<soap-env:Envelope"));
  EXPECT_TRUE(hasRule(checkEnvelope(parse(body + body)), "C4"));
}

TEST(ConformanceTest, PostHeaders) {
  EXPECT_TRUE(checkPostHeaders({true, "text/xml; charset=\"utf-8\"", "", "100"}).empty());
  EXPECT_TRUE(checkPostHeaders({true, "text/xml; charset=utf-8", "\"\"", "100"}).empty());
  EXPECT_TRUE(hasRule(checkPostHeaders({true, "text/html", "", "1"}), "C5"));
  EXPECT_TRUE(hasRule(checkPostHeaders({true, "text/xml", "", "1"}), "C5"));
  EXPECT_TRUE(
      hasRule(checkPostHeaders({true, "text/xml; charset=utf-8", std::nullopt, "1"}), "C5"));
  EXPECT_TRUE(checkPostHeaders({false, std::nullopt, std::nullopt, "0"}).empty());
  EXPECT_TRUE(hasRule(checkPostHeaders({false, "text/xml", std::nullopt, "0"}), "C6"));
  EXPECT_TRUE(hasRule(checkPostHeaders({false, std::nullopt, "", "0"}), "C6"));
  EXPECT_TRUE(hasRule(checkPostHeaders({false, std::nullopt, std::nullopt, std::nullopt}), "C6"));
}

TEST(ConformanceTest, ResponseIdNamespaceAndType) {
  const std::string good = cpeResponseXml(kNs, "acs-1", "RebootResponse");
  EXPECT_TRUE(checkResponse(parse(good), "acs-1", "Reboot", kNs).empty());
  EXPECT_TRUE(hasRule(checkResponse(parse(good), "acs-2", "Reboot", kNs), "C7"));
  EXPECT_TRUE(hasRule(checkResponse(parse(good), "acs-1", "FactoryReset", kNs), "C7"));
  EXPECT_TRUE(hasRule(checkResponse(parse(good), "acs-1", "Reboot", std::string(kCwmp10Ns)), "C8"));
  std::string noMustUnderstand = good;
  const auto at = noMustUnderstand.find(" SOAP-ENV:mustUnderstand=\"1\"");
  noMustUnderstand.erase(at, 28);
  EXPECT_TRUE(hasRule(checkResponse(parse(noMustUnderstand), "acs-1", "Reboot", kNs), "C7"));
}

TEST(ConformanceTest, FaultStructure) {
  EXPECT_TRUE(
      checkResponse(parse(cpeFaultXml(kNs, "1", 9005)), "1", "GetParameterValues", kNs).empty());
  std::string wrongClass = cpeFaultXml(kNs, "1", 9000);
  wrongClass.replace(wrongClass.find(">Server<"), 8, ">Client<");
  EXPECT_TRUE(hasRule(checkResponse(parse(wrongClass), "1", "X_Foo", kNs), "C26"));
  EXPECT_TRUE(
      hasRule(checkResponse(parse(cpeFaultXml(kNs, "1", 8002)), "1", "Reboot", kNs), "§3.2"));
  const std::string entry =
      "<SetParameterValuesFault><ParameterName>A.B</ParameterName><FaultCode>%d</FaultCode>"
      "</SetParameterValuesFault>";
  auto spvFault = [&](unsigned top, int per) {
    std::string detail = entry;
    detail.replace(detail.find("%d"), 2, std::to_string(per));
    return cpeFaultXml(kNs, "1", top, detail);
  };
  EXPECT_TRUE(checkResponse(parse(spvFault(9003, 9007)), "1", "SetParameterValues", kNs).empty());
  EXPECT_TRUE(
      hasRule(checkResponse(parse(spvFault(9002, 9007)), "1", "SetParameterValues", kNs), "C36"));
  EXPECT_TRUE(
      hasRule(checkResponse(parse(spvFault(9003, 9002)), "1", "SetParameterValues", kNs), "§3.4"));
}

TEST(ConformanceTest, ResponseBodies) {
  const std::string methods =
      "<MethodList soap-enc:arrayType=\"xsd:string[2]\"><string>GetRPCMethods</string>"
      "<string>Inform</string></MethodList>";
  EXPECT_TRUE(
      hasRule(checkResponse(parse(cpeResponseXml(kNs, "1", "GetRPCMethodsResponse", methods)), "1",
                            "GetRPCMethods", kNs),
              "C27"));
  EXPECT_TRUE(hasRule(
      checkResponse(parse(cpeResponseXml(kNs, "1", "AddObjectResponse",
                                         "<InstanceNumber>0</InstanceNumber><Status>0</Status>")),
                    "1", "AddObject", kNs),
      "C43"));
  EXPECT_TRUE(checkResponse(parse(cpeResponseXml(
                                kNs, "1", "DownloadResponse",
                                "<Status>1</Status><StartTime>0001-01-01T00:00:00Z</StartTime>"
                                "<CompleteTime>0001-01-01T00:00:00Z</CompleteTime>")),
                            "1", "Download", kNs)
                  .empty());
  EXPECT_TRUE(
      hasRule(checkResponse(parse(cpeResponseXml(kNs, "1", "DownloadResponse",
                                                 "<Status>1</Status><StartTime>2026-01-01T00:00:00Z"
                                                 "</StartTime><CompleteTime>0001-01-01T00:00:00Z"
                                                 "</CompleteTime>")),
                            "1", "Download", kNs),
              "C55"));
  EXPECT_TRUE(hasRule(checkResponse(parse(cpeResponseXml(kNs, "1", "SetParameterValuesResponse",
                                                         "<Status>2</Status>")),
                                    "1", "SetParameterValues", kNs),
                      "§2.3"));
}

TEST(ConformanceTest, TransferCompleteRules) {
  InformSpec spec;
  spec.events = {{"7 TRANSFER COMPLETE", ""}, {"M Download", "dl-1"}};
  const InformMessage inform = parseInform(parse(informXml(spec)).method);
  EXPECT_TRUE(
      checkTransferComplete(parse(transferCompleteXml(kNs, "t", "dl-1", 0)), inform, kNs).empty());
  EXPECT_TRUE(
      hasRule(checkTransferComplete(parse(transferCompleteXml(kNs, "t", "other", 0)), inform, kNs),
              "§2.4"));
  EXPECT_TRUE(hasRule(
      checkTransferComplete(parse(transferCompleteXml(kNs, "t", "dl-1", 9005, "x")), inform, kNs),
      "§3.2"));
  EXPECT_TRUE(hasRule(
      checkTransferComplete(parse(transferCompleteXml(kNs, "t", "dl-1", 9016)), inform, kNs),
      "C57"));
  const InformMessage boot = parseInform(parse(informXml({})).method);
  EXPECT_TRUE(hasRule(
      checkTransferComplete(parse(transferCompleteXml(kNs, "t", "dl-1", 0)), boot, kNs), "§2.4"));
}

TEST(ConformanceTest, SessionOrder) {
  using Kind = SessionOrder::Kind;
  {
    SessionOrder order;
    EXPECT_TRUE(order.onCpeMessage(Kind::kInform, "Inform").empty());
    order.onAcsReply(false, false);
    EXPECT_TRUE(order.onCpeMessage(Kind::kEmpty, "").empty());
    order.onAcsReply(true, false);
    EXPECT_TRUE(order.finished());
    EXPECT_TRUE(hasRule(order.onCpeMessage(Kind::kEmpty, ""), "C14"));
  }
  {
    SessionOrder order;
    EXPECT_TRUE(hasRule(order.onCpeMessage(Kind::kEmpty, ""), "C1"));
  }
  {
    SessionOrder order;
    EXPECT_TRUE(hasRule(order.onCpeMessage(Kind::kCpeRequest, "TransferComplete"), "C3"));
  }
  {
    SessionOrder order;
    order.onCpeMessage(Kind::kInform, "Inform");
    EXPECT_TRUE(hasRule(order.onCpeMessage(Kind::kInform, "Inform"), "C2"));
  }
  {
    SessionOrder order;
    order.setTransferCompleteDue(true);
    order.onCpeMessage(Kind::kInform, "Inform");
    order.onAcsReply(false, true);
    // Held: the empty POST is right, and the TransferComplete may come later.
    EXPECT_TRUE(order.onCpeMessage(Kind::kEmpty, "").empty());
    order.onAcsReply(false, false);
    EXPECT_FALSE(order.cpeDone());
    EXPECT_TRUE(order.onCpeMessage(Kind::kResponse, "GetParameterValuesResponse").empty());
    order.onAcsReply(true, false);
    EXPECT_TRUE(order.onCpeMessage(Kind::kCpeRequest, "TransferComplete").empty());
    order.onAcsReply(false, false);
    EXPECT_TRUE(order.onCpeMessage(Kind::kEmpty, "").empty());
    order.onAcsReply(true, false);
    EXPECT_TRUE(order.finished());
  }
  {
    SessionOrder order;
    order.onCpeMessage(Kind::kInform, "Inform");
    order.onAcsReply(false, true);
    EXPECT_TRUE(hasRule(order.onCpeMessage(Kind::kCpeRequest, "GetRPCMethods"), "C12"));
  }
}

}  // namespace
}  // namespace tr69::testacs
