// Lexical rules of values (cwmp.md 7.4): every type, ranges, sizes, enumerations, lists, facets,
// and hostile input.
#include "tr69/datamodel/value.h"

#include <gtest/gtest.h>

#include <vector>

namespace tr69::datamodel {
namespace {

struct Spec {
  Spec(Type t, std::int64_t max = -1, std::vector<Range> r = {},
       std::vector<std::string_view> e = {}, bool isList = false, Type item = Type::kString,
       std::string_view f = {})
      : type(t),
        maxLength(max),
        ranges(std::move(r)),
        enumeration(std::move(e)),
        list(isList),
        itemType(item),
        facet(f) {}
  Type type;
  std::int64_t maxLength;
  std::vector<Range> ranges;
  std::vector<std::string_view> enumeration;
  bool list;
  Type itemType;
  std::string_view facet;

  ParamDesc desc() const {
    ParamDesc d{};
    d.type = type;
    d.maxLength = maxLength;
    d.ranges = ranges;
    d.enumeration = enumeration;
    d.list = list;
    d.listItemType = itemType;
    d.facet = facet;
    return d;
  }
};

std::string ok(const Spec& spec, std::string_view text) {
  auto r = canonicalValue(spec.desc(), text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.fault().message);
  return r.ok() ? *r : std::string("<fault>");
}

void bad(const Spec& spec, std::string_view text) {
  auto r = canonicalValue(spec.desc(), text);
  ASSERT_FALSE(r.ok()) << "accepted: " << text;
  EXPECT_EQ(r.fault().code, FaultCode::kInvalidParameterValue);
}

TEST(Value, BooleanAcceptsFourFormsAnyCaseAndCanonicalises) {
  Spec s{Type::kBoolean};
  EXPECT_EQ(ok(s, "1"), "true");
  EXPECT_EQ(ok(s, "0"), "false");
  EXPECT_EQ(ok(s, "TRUE"), "true");
  EXPECT_EQ(ok(s, "False"), "false");
  for (auto t : {"", "yes", "2", " true", "true ", "01", "t"})
    bad(s, t);
}

TEST(Value, IntLimitsAndSign) {
  Spec s{Type::kInt};
  EXPECT_EQ(ok(s, "-2147483648"), "-2147483648");
  EXPECT_EQ(ok(s, "2147483647"), "2147483647");
  EXPECT_EQ(ok(s, "+007"), "7");
  EXPECT_EQ(ok(s, "-0"), "0");
  for (auto t : {"2147483648", "-2147483649", "", "-", "1.5", "1e3", " 1", "0x10", "１"})
    bad(s, t);
}

TEST(Value, UnsignedIntRejectsNegativesAndOverflow) {
  Spec s{Type::kUnsignedInt};
  EXPECT_EQ(ok(s, "4294967295"), "4294967295");
  EXPECT_EQ(ok(s, "0"), "0");
  for (auto t : {"4294967296", "-1", "99999999999999999999999999999999999999999"})
    bad(s, t);
}

TEST(Value, LongAndUnsignedLongLimits) {
  Spec l{Type::kLong};
  EXPECT_EQ(ok(l, "-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(ok(l, "9223372036854775807"), "9223372036854775807");
  bad(l, "9223372036854775808");
  Spec u{Type::kUnsignedLong};
  EXPECT_EQ(ok(u, "18446744073709551615"), "18446744073709551615");
  bad(u, "18446744073709551616");
  bad(u, "-5");
}

TEST(Value, RangesIncludingOpenEndsAndLists) {
  Spec s{Type::kUnsignedInt, -1, {Range{true, false, 1, 0}}};
  bad(s, "0");
  EXPECT_EQ(ok(s, "1"), "1");
  EXPECT_EQ(ok(s, "4294967295"), "4294967295");
  Spec multi{Type::kUnsignedInt, -1, {Range{true, true, 10, 10}, Range{true, true, 20, 20}}};
  EXPECT_EQ(ok(multi, "20"), "20");
  bad(multi, "15");
  Spec negative{Type::kInt, -1, {Range{true, true, -1, 5}}};
  EXPECT_EQ(ok(negative, "-1"), "-1");
  bad(negative, "-2");
  bad(negative, "6");
  Spec huge{Type::kUnsignedLong, -1, {Range{true, true, 0, 100}}};
  bad(huge, "18446744073709551615");
}

TEST(Value, StringMaxLengthCountsCharactersNotBytes) {
  Spec s{Type::kString, 3};
  EXPECT_EQ(ok(s, "abc"), "abc");
  EXPECT_EQ(ok(s, "\xC3\xA4\xC3\xB6\xC3\xBC"), "\xC3\xA4\xC3\xB6\xC3\xBC");  // three umlauts
  bad(s, "abcd");
  EXPECT_EQ(ok(Spec{Type::kString, 0}, ""), "");
}

TEST(Value, StringRejectsInvalidUtf8) {
  Spec s{Type::kString};
  for (std::string_view t :
       {std::string_view("\xC3"), std::string_view("\xFF"), std::string_view("\xC0\x80"),
        std::string_view("\xED\xA0\x80"), std::string_view("a\xE2\x82")}) {
    bad(s, t);
  }
}

TEST(Value, OversizedStringIsRejectedNotTruncated) {
  Spec s{Type::kString, 256};
  bad(s, std::string(100000, 'x'));
}

TEST(Value, EnumerationIncludingEmptyMember) {
  Spec s{Type::kString, -1, {}, {"InBand", "RFC2833", ""}};
  EXPECT_EQ(ok(s, "RFC2833"), "RFC2833");
  EXPECT_EQ(ok(s, ""), "");
  bad(s, "rfc2833");
  bad(s, "SIPInfo");
}

TEST(Value, ListsCheckItemsAgainstEnumerationAndItemType) {
  Spec s{Type::kString, 16, {}, {"UDP", "TCP", "TLS"}, true};
  EXPECT_EQ(ok(s, "UDP,TLS"), "UDP,TLS");
  EXPECT_EQ(ok(s, ""), "");
  bad(s, "UDP,SCTP");
  bad(s, "UDP,TCP,TLS,UDP,TCP");  // 19 characters > 16
  Spec numbers{Type::kString, -1, {}, {}, true, Type::kUnsignedInt};
  EXPECT_EQ(ok(numbers, "128,256"), "128,256");
  bad(numbers, "128,x");
}

TEST(Value, Base64MaxLengthAppliesToDecodedData) {
  Spec s{Type::kBase64, 3};
  EXPECT_EQ(ok(s, "YWJj"), "YWJj");  // "abc": 4 characters, 3 bytes
  bad(s, "YWJjZA==");                // 4 bytes
  bad(s, "YWJ");                     // truncated
  bad(s, "Y W=");
  EXPECT_EQ(ok(s, ""), "");
}

TEST(Value, DateTimeForms) {
  Spec s{Type::kDateTime};
  EXPECT_EQ(ok(s, "0001-01-01T00:00:00Z"), "0001-01-01T00:00:00Z");
  EXPECT_EQ(ok(s, "2024-02-29T23:59:59.123+01:00"), "2024-02-29T23:59:59.123+01:00");
  EXPECT_EQ(ok(s, "0001-01-03T03:04:05"), "0001-01-03T03:04:05");  // relative
  for (auto t : {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01 00:00:00Z",
                 "2024-01-01T24:00:00Z", "2024-01-01T00:00:00+15:00", "2024-01-01", "",
                 "2024-01-01T00:00:00Zjunk"}) {
    bad(s, t);
  }
}

TEST(Value, Facets) {
  Spec ip{Type::kString, -1, {}, {}, false, Type::kString, "IPAddress"};
  EXPECT_EQ(ok(ip, "192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(ok(ip, "2001:db8::1"), "2001:db8::1");
  EXPECT_EQ(ok(ip, ""), "");
  bad(ip, "192.0.2.256");
  bad(ip, "host.example");
  Spec mac{Type::kString, -1, {}, {}, false, Type::kString, "MACAddress"};
  EXPECT_EQ(ok(mac, "00:08:5D:01:02:03"), "00:08:5D:01:02:03");
  bad(mac, "00:08:5D:01:02");
  bad(mac, "00-08-5D-01-02-03");
}

TEST(Value, XsiTypeCompatibility) {
  EXPECT_TRUE(xsiTypeCompatible(Type::kUnsignedInt, "xsd:unsignedInt"));
  EXPECT_TRUE(xsiTypeCompatible(Type::kUnsignedInt, "xsd:string"));
  EXPECT_TRUE(xsiTypeCompatible(Type::kBase64, "xsd:base64Binary"));
  EXPECT_TRUE(xsiTypeCompatible(Type::kBase64, "soap-enc:base64"));
  EXPECT_FALSE(xsiTypeCompatible(Type::kBoolean, "xsd:int"));
  EXPECT_FALSE(xsiTypeCompatible(Type::kString, "xsd:boolean"));
  EXPECT_FALSE(xsiTypeCompatible(Type::kDateTime, "xsd:unsignedInt"));
  EXPECT_EQ(xsiTypeName(Type::kUnsignedLong), "xsd:unsignedLong");
}

TEST(Value, TypedParsers) {
  EXPECT_EQ(parseSigned("-5", -10, 10), -5);
  EXPECT_FALSE(parseSigned("11", -10, 10));
  EXPECT_EQ(parseUnsigned("42", 100), 42u);
  EXPECT_FALSE(parseUnsigned("-1", 100));
  EXPECT_EQ(parseBoolean("TrUe"), true);
  EXPECT_FALSE(parseBoolean("maybe"));
}

}  // namespace
}  // namespace tr69::datamodel
