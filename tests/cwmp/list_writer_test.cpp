// The ParameterList items of GetParameterValuesResponse and GetParameterNamesResponse are written
// by the codec itself (encode.cpp), not by gSOAP. They must be byte for byte what gSOAP writes:
// the Inform's ParameterList (same ParameterValueStruct type) is still written by gSOAP and is the
// reference here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/lexical.h"

namespace tr69::cwmp {
namespace {

// From "<ParameterList" to the end of "</ParameterList>" (the first list of the envelope).
std::string parameterList(const std::string& xml) {
  const std::size_t begin = xml.find("<ParameterList");
  const std::size_t end = xml.find("</ParameterList>");
  EXPECT_NE(begin, std::string::npos) << xml;
  EXPECT_NE(end, std::string::npos) << xml;
  if (begin == std::string::npos || end == std::string::npos) return {};
  return xml.substr(begin, end + std::string_view("</ParameterList>").size() - begin);
}

std::string viaGsoap(Codec& codec, const std::vector<ParameterValue>& values) {
  Inform inform;
  inform.parameters = values;
  return parameterList(codec.encodeRequest(inform, {CwmpVersion::k1_0, "r"}));
}

std::string direct(Codec& codec, const std::vector<ParameterValue>& values) {
  return parameterList(
      codec.encodeResponse(GetParameterValuesResponse{values}, {CwmpVersion::k1_0, "r"}));
}

void expectSameAsGsoap(const std::vector<ParameterValue>& values) {
  Codec codec;
  const std::string reference = viaGsoap(codec, values);
  EXPECT_EQ(direct(codec, values), reference);
}

TEST(ListWriterTest, EveryByteValueIsWrittenAsGsoapWritesIt) {
  std::vector<ParameterValue> values;
  for (int byte = 0; byte < 256; ++byte) {
    const std::string one(1, static_cast<char>(byte));
    values.push_back({"Device.X." + std::to_string(byte) + one, "v" + one + "w", "xsd:string"});
    values.push_back({one, one, "xsd:string"});
  }
  expectSameAsGsoap(values);
}

TEST(ListWriterTest, MarkupControlCharactersAndUtf8) {
  expectSameAsGsoap({
      {"Device.A", "x<y>&\"z' \t\r\n end", "xsd:string"},
      {"Device.B", "]]> <![CDATA[ &amp; &#x41;", "xsd:string"},
      {"Device.C", std::string("nul\0inside\x01\x1b[0m", 15), "xsd:string"},
      {"Device.D", "caf\xC3\xA9 \xE2\x98\xBA \xF0\x9F\x98\x80", "xsd:string"},
      {"Device.E", "bad \xC3 \xC0\xAF \xED\xA0\x80 \xEF\xBF\xBE \xF5\x80\x80\x80 \xFF",
       "xsd:string"},
      {"Device.F\xC3", "\xE2\x98", "xsd:string"},
  });
}

TEST(ListWriterTest, MultiByteCharactersIncludingC1Controls) {
  std::vector<ParameterValue> values;
  for (char32_t c : {0x80, 0x85, 0x9F, 0xA0, 0xFF, 0x7FF, 0x800, 0x2028, 0xD7FF, 0xE000, 0xFEFF,
                     0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF}) {
    std::string text;
    if (c < 0x800) {
      text = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    } else if (c < 0x10000) {
      text = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
              static_cast<char>(0x80 | (c & 0x3F))};
    } else {
      text = {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
              static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    }
    values.push_back({"Device." + text, "<" + text + ">", "xsd:string"});
  }
  expectSameAsGsoap(values);
}

TEST(ListWriterTest, EmptyNamesValuesAndTypes) {
  expectSameAsGsoap({{"", "", ""}, {"Device.A", "", "xsd:unsignedInt"}, {"", "1", "xsd:boolean"}});
}

TEST(ListWriterTest, EveryTypeTheAgentWrites) {
  std::vector<ParameterValue> values;
  for (const char* type :
       {"xsd:string", "xsd:int", "xsd:unsignedInt", "xsd:boolean", "xsd:dateTime", "xsd:base64",
        "xsd:long", "xsd:unsignedLong", "xsd:hexBinary", "cwmp:X_00085D-Type.1_a"}) {
    values.push_back({std::string("Device.") + type, "1", type});
  }
  expectSameAsGsoap(values);
}

TEST(ListWriterTest, TypesThatAreNoPlainQNameGoThroughGsoap) {
  expectSameAsGsoap({{"Device.A", "1", " xsd:string"},
                     {"Device.B", "2", "xsd:int xsd:long"},
                     {"Device.C", "3", "a<b>&\"'\t\n\r"}});
}

TEST(ListWriterTest, EmptyList) {
  expectSameAsGsoap({});
  Codec codec;
  EXPECT_EQ(direct(codec, {}),
            "<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterValueStruct[0]\"></ParameterList>");
}

TEST(ListWriterTest, HugeValuesAndManyItems) {
  std::string huge;
  for (int i = 0; i < 200000; ++i)
    huge += static_cast<char>("ab<&>\r\xC3\xA9\x01"[i % 9]);
  std::vector<ParameterValue> values{{"Device.Huge", huge, "xsd:string"}};
  for (int i = 0; i < 3000; ++i) {
    values.push_back({"Device.Services.VoiceService.1.VoiceProfile.1.Line." + std::to_string(i),
                      std::to_string(i), "xsd:unsignedInt"});
  }
  expectSameAsGsoap(values);
}

TEST(ListWriterTest, EnvelopeAroundTheListIsGsoaps) {
  Codec codec;
  const std::string empty =
      codec.encodeResponse(GetParameterValuesResponse{}, {CwmpVersion::k1_1, "e"});
  const std::string full = codec.encodeResponse(
      GetParameterValuesResponse{{{"Device.A", "1", "xsd:string"}}}, {CwmpVersion::k1_1, "e"});
  const std::size_t emptyList = empty.find("<ParameterList");
  const std::size_t fullList = full.find("<ParameterList");
  EXPECT_EQ(full.substr(0, fullList), empty.substr(0, emptyList));
  const std::size_t emptyEnd = empty.find("</ParameterList>");
  const std::size_t fullEnd = full.find("</ParameterList>");
  EXPECT_EQ(full.substr(fullEnd), empty.substr(emptyEnd));
  // An ID that looks like the list markup is escaped by gSOAP and cannot confuse the splice.
  const std::string tricky =
      codec.encodeResponse(GetParameterValuesResponse{{{"Device.A", "1", "xsd:string"}}},
                           {CwmpVersion::k1_2, "ParameterValueStruct[0]\"></ParameterList>"});
  EXPECT_NE(tricky.find("cwmp:ParameterValueStruct[1]\"><ParameterValueStruct>"), std::string::npos)
      << tricky;
}

// gSOAP 2.8.124's own output for these items (recorded before the codec wrote them itself).
TEST(ListWriterTest, ParameterNamesAsGsoapWroteThem) {
  Codec codec;
  GetParameterNamesResponse names;
  names.parameters = {{"Device.", false}, {"", true}, {"a&b<c>\r", true}};
  EXPECT_EQ(parameterList(codec.encodeResponse(names, {CwmpVersion::k1_0, "x"})),
            "<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterInfoStruct[3]\">"
            "<ParameterInfoStruct><Name>Device.</Name><Writable>0</Writable></ParameterInfoStruct>"
            "<ParameterInfoStruct><Name/><Writable>1</Writable></ParameterInfoStruct>"
            "<ParameterInfoStruct><Name>a&amp;b&lt;c&gt;&#xD;</Name><Writable>1</Writable>"
            "</ParameterInfoStruct></ParameterList>");
  EXPECT_EQ(
      parameterList(codec.encodeResponse(GetParameterNamesResponse{}, {CwmpVersion::k1_0, "x"})),
      "<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterInfoStruct[0]\"></ParameterList>");
}

// The names of a GetParameterNamesResponse are escaped exactly as the gSOAP-written Inform's.
TEST(ListWriterTest, ParameterNamesEscapeLikeGsoap) {
  Codec codec;
  GetParameterNamesResponse names;
  std::vector<ParameterValue> values;
  for (int byte = 0; byte < 256; ++byte) {
    const std::string name = "N" + std::string(1, static_cast<char>(byte)) + "\xC3\xA9\xC3";
    names.parameters.push_back({name, byte % 2 == 0});
    values.push_back({name, "", "xsd:string"});
  }
  auto nameElements = [](const std::string& xml) {
    std::vector<std::string> out;
    for (std::size_t at = xml.find("<Name"); at != std::string::npos;
         at = xml.find("<Name", at + 1)) {
      const std::size_t end =
          xml[xml.find('>', at) - 1] == '/' ? xml.find('>', at) + 1 : xml.find("</Name>", at) + 7;
      out.push_back(xml.substr(at, end - at));
    }
    return out;
  };
  EXPECT_EQ(nameElements(parameterList(codec.encodeResponse(names, {CwmpVersion::k1_0, "x"}))),
            nameElements(viaGsoap(codec, values)));
}

TEST(ListWriterTest, AppendXmlTextEscapesElementContentAndAppends) {
  std::string out = "kept:";
  appendXmlText(out, "a&b<c>d\r\"'\t\n\x7F", XmlEscape::kText);
  EXPECT_EQ(out, "kept:a&amp;b&lt;c&gt;d&#xD;\"'\t\n&#x7F;");
  out.clear();
  appendXmlText(out, std::string("x\x01y\0z\xC3", 6), XmlEscape::kText);
  EXPECT_EQ(out, "x\xEF\xBF\xBDy\xEF\xBF\xBDz\xEF\xBF\xBD");
  out.clear();
  appendXmlText(out, "a&b<c>\r", XmlEscape::kNone);
  EXPECT_EQ(out, "a&b<c>\r");
  EXPECT_EQ(toXmlText("a&b\x01"), "a&b\xEF\xBF\xBD");
}

}  // namespace
}  // namespace tr69::cwmp
