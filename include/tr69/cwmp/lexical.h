// Lexical forms of the CWMP scalar types (TR-069 A.2.1 / TR-106 data types), shared by the codec
// and by the code that produces values for it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tr69::cwmp {

// The "Unknown Time" of TR-069 (also used by Download/Upload responses with Status 1).
inline constexpr std::string_view kUnknownTime = "0001-01-01T00:00:00Z";

// "0", "1", "true", "false" in any case, with surrounding XML whitespace ignored.
std::optional<bool> parseBoolean(std::string_view text);
std::optional<std::uint32_t> parseUnsignedInt(std::string_view text);
std::optional<std::int32_t> parseInt(std::string_view text);

// xsd:dateTime as TR-069 uses it: YYYY-MM-DDThh:mm:ss[.fraction][Z|(+|-)hh:mm]. A value without
// a time zone is accepted too (relative time since boot, year < 1000).
bool isValidDateTime(std::string_view text);

// UTC with a 'Z' ("2024-05-01T10:00:00Z"), or local time with its offset when utcOffset is given
// ("2024-05-01T12:00:00+02:00"), as the Inform's CurrentTime wants.
std::string formatDateTime(std::chrono::system_clock::time_point time);
std::string formatDateTime(std::chrono::system_clock::time_point time,
                           std::chrono::seconds utcOffset);

// Base64 without line breaks (xsd:base64 parameter values).
std::string encodeBase64(std::string_view data);
std::optional<std::string> decodeBase64(std::string_view text);  // ignores XML whitespace

// How appendXmlText writes the markup characters.
enum class XmlEscape {
  kNone,  // not at all: gSOAP escapes the result when it serialises it
  kText,  // element content byte for byte as gSOAP writes it: & < > CR DEL -> &amp; &lt; &gt;
          // &#xD; &#x7F;
};

// The one function that makes text XML-safe, for every string the codec writes: invalid UTF-8
// and the characters XML 1.0 forbids (control characters other than tab, LF and CR; U+FFFE,
// U+FFFF; surrogates) become U+FFFD, then markup is escaped as `escape` says; appended to `out`.
void appendXmlText(std::string& out, std::string_view text, XmlEscape escape);

// appendXmlText(text, kNone) as a new string: what the codec hands to gSOAP.
std::string toXmlText(std::string_view text);

}  // namespace tr69::cwmp
