#include "tr69/datamodel/value.h"

#include <arpa/inet.h>

#include <cctype>
#include <limits>

#include "tr69/base/base64.h"
#include "tr69/base/datetime.h"

namespace tr69::datamodel {
namespace {

Fault invalid(std::string message) {
  return Fault(FaultCode::kInvalidParameterValue, std::move(message));
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Number of UTF-8 code points, or nullopt when the text is not valid UTF-8.
std::optional<std::size_t> utf8Length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (extra > 0 && i + extra >= text.size()) return std::nullopt;
    for (std::size_t j = 1; j <= extra; ++j) {
      unsigned char cc = static_cast<unsigned char>(text[i + j]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = cp << 6 | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    i += extra + 1;
    ++count;
  }
  return count;
}

bool inRanges(const ParamDesc& param, bool negative, std::uint64_t magnitude) {
  if (param.ranges.empty()) return true;
  // Compare as a signed 128-bit-free pair: values above INT64_MAX exceed every declared max.
  const bool huge =
      !negative && magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const std::int64_t v =
      huge ? 0
           : (negative ? static_cast<std::int64_t>(0 - magnitude)  // magnitude <= 2^63
                       : static_cast<std::int64_t>(magnitude));
  for (const Range& r : param.ranges) {
    bool aboveMin = !r.hasMin || huge || v >= r.min;
    bool belowMax = !r.hasMax || (!huge && v <= r.max);
    if (aboveMin && belowMax) return true;
  }
  return false;
}

std::string describeRanges(const ParamDesc& param) {
  std::string out;
  for (const Range& r : param.ranges) {
    if (!out.empty()) out += ",";
    if (r.hasMin) out += std::to_string(r.min);
    out += ":";
    if (r.hasMax) out += std::to_string(r.max);
  }
  return out;
}

// Parses an optionally signed decimal; returns sign and magnitude.
bool parseDecimal(std::string_view text, bool allowMinus, bool& negative, std::uint64_t& mag) {
  negative = false;
  mag = 0;
  std::size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  if (pos == text.size() || text.size() - pos > 40) return false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c < '0' || c > '9') return false;
    std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (mag > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return false;
    mag = mag * 10 + digit;
  }
  if (negative && mag == 0) negative = false;  // "-0" is zero, valid for unsigned types too
  return !(negative && !allowMinus);
}

Result<std::string> checkInteger(const ParamDesc& param, Type type, std::string_view text,
                                 bool applyRanges) {
  bool negative = false;
  std::uint64_t mag = 0;
  bool isSigned = type == Type::kInt || type == Type::kLong;
  if (!parseDecimal(text, isSigned, negative, mag)) {
    return invalid("not a valid " + std::string(typeName(type)));
  }
  std::uint64_t limit = 0;
  switch (type) {
    case Type::kInt:
      limit = negative ? 2147483648ULL : 2147483647ULL;
      break;
    case Type::kUnsignedInt:
      limit = 4294967295ULL;
      break;
    case Type::kLong:
      limit = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
      break;
    default:
      limit = std::numeric_limits<std::uint64_t>::max();
      break;
  }
  if (mag > limit) return invalid("out of the " + std::string(typeName(type)) + " range");
  if (applyRanges && !inRanges(param, negative, mag)) {
    return invalid("outside the allowed range " + describeRanges(param));
  }
  std::string canonical;
  if (negative) canonical.push_back('-');
  canonical += std::to_string(mag);
  return canonical;
}

Status checkFacet(const ParamDesc& param, std::string_view text) {
  if (text.empty()) return {};
  if (param.facet == "IPAddress") {
    std::string copy(text);
    unsigned char buf[16];
    if (inet_pton(AF_INET, copy.c_str(), buf) != 1 && inet_pton(AF_INET6, copy.c_str(), buf) != 1) {
      return invalid("not an IP address");
    }
  } else if (param.facet == "MACAddress") {
    if (text.size() != 17) return invalid("not a MAC address");
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      bool ok = i % 3 == 2 ? c == ':' : std::isxdigit(static_cast<unsigned char>(c)) != 0;
      if (!ok) return invalid("not a MAC address");
    }
  }
  return {};
}

bool inEnumeration(const ParamDesc& param, std::string_view item) {
  if (param.enumeration.empty()) return true;
  for (std::string_view allowed : param.enumeration) {
    if (allowed == item) return true;
  }
  return false;
}

Result<std::string> checkList(const ParamDesc& param, std::string_view text) {
  // Items are separated by ','; whitespace around items is allowed and kept.
  std::size_t start = 0;
  if (!text.empty()) {
    while (true) {
      std::size_t comma = text.find(',', start);
      std::string_view item = text.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      while (!item.empty() && item.front() == ' ')
        item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ')
        item.remove_suffix(1);
      if (param.listItemType == Type::kUnsignedInt || param.listItemType == Type::kInt) {
        auto r = checkInteger(param, param.listItemType, item, false);
        if (!r) return r.fault();
      }
      if (!inEnumeration(param, item)) {
        return invalid("list item '" + std::string(item) + "' is not an allowed value");
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return std::string(text);
}

}  // namespace

std::optional<bool> parseBoolean(std::string_view text) {
  if (text == "1" || equalsIgnoreCase(text, "true")) return true;
  if (text == "0" || equalsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

std::optional<std::int64_t> parseSigned(std::string_view text, std::int64_t min, std::int64_t max) {
  bool negative = false;
  std::uint64_t mag = 0;
  if (!parseDecimal(text, true, negative, mag)) return std::nullopt;
  if (negative) {
    if (mag > 9223372036854775808ULL) return std::nullopt;
    std::int64_t v = mag == 9223372036854775808ULL ? std::numeric_limits<std::int64_t>::min()
                                                   : -static_cast<std::int64_t>(mag);
    if (v < min) return std::nullopt;
    return v;
  }
  if (mag > static_cast<std::uint64_t>(max)) return std::nullopt;
  return static_cast<std::int64_t>(mag);
}

std::optional<std::uint64_t> parseUnsigned(std::string_view text, std::uint64_t max) {
  bool negative = false;
  std::uint64_t mag = 0;
  if (!parseDecimal(text, false, negative, mag) || mag > max) return std::nullopt;
  return mag;
}

Result<std::string> canonicalValue(const ParamDesc& param, std::string_view text) {
  switch (param.type) {
    case Type::kBoolean: {
      auto b = parseBoolean(text);
      if (!b) return invalid("not a boolean (0, 1, true, false)");
      return std::string(*b ? "true" : "false");
    }
    case Type::kInt:
    case Type::kUnsignedInt:
    case Type::kLong:
    case Type::kUnsignedLong:
      return checkInteger(param, param.type, text, true);
    case Type::kDateTime:
      if (!parseDateTime(text)) return invalid("not a valid dateTime");
      return std::string(text);
    case Type::kBase64: {
      auto bytes = base64Decode(text);
      if (!bytes) return invalid("not valid base64");
      if (param.maxLength >= 0 && bytes->size() > static_cast<std::size_t>(param.maxLength)) {
        return invalid("decoded data longer than " + std::to_string(param.maxLength) + " bytes");
      }
      return std::string(text);
    }
    case Type::kString: {
      auto length = utf8Length(text);
      if (!length) return invalid("not valid UTF-8");
      if (param.maxLength >= 0 && *length > static_cast<std::size_t>(param.maxLength)) {
        return invalid("longer than " + std::to_string(param.maxLength) + " characters");
      }
      if (param.list) return checkList(param, text);
      if (!inEnumeration(param, text)) return invalid("not one of the allowed values");
      if (auto facet = checkFacet(param, text); !facet) return facet.fault();
      return std::string(text);
    }
  }
  return invalid("unknown type");
}

std::string_view typeName(Type type) {
  switch (type) {
    case Type::kString:
      return "string";
    case Type::kInt:
      return "int";
    case Type::kUnsignedInt:
      return "unsignedInt";
    case Type::kBoolean:
      return "boolean";
    case Type::kDateTime:
      return "dateTime";
    case Type::kBase64:
      return "base64";
    case Type::kLong:
      return "long";
    case Type::kUnsignedLong:
      return "unsignedLong";
  }
  return "string";
}

std::string_view xsiTypeName(Type type) {
  switch (type) {
    case Type::kString:
      return "xsd:string";
    case Type::kInt:
      return "xsd:int";
    case Type::kUnsignedInt:
      return "xsd:unsignedInt";
    case Type::kBoolean:
      return "xsd:boolean";
    case Type::kDateTime:
      return "xsd:dateTime";
    case Type::kBase64:
      return "xsd:base64";
    case Type::kLong:
      return "xsd:long";
    case Type::kUnsignedLong:
      return "xsd:unsignedLong";
  }
  return "xsd:string";
}

bool xsiTypeCompatible(Type type, std::string_view xsiType) {
  std::size_t colon = xsiType.find(':');
  std::string_view local = colon == std::string_view::npos ? xsiType : xsiType.substr(colon + 1);
  if (local == "string" || local.empty()) return true;
  switch (type) {
    case Type::kString:
      return false;
    case Type::kBoolean:
      return local == "boolean";
    case Type::kDateTime:
      return local == "dateTime";
    case Type::kBase64:
      return local == "base64" || local == "base64Binary";
    case Type::kInt:
    case Type::kLong:
    case Type::kUnsignedInt:
    case Type::kUnsignedLong:
      return local == "int" || local == "unsignedInt" || local == "long" ||
             local == "unsignedLong" || local == "integer" || local == "short" ||
             local == "unsignedShort" || local == "byte" || local == "unsignedByte";
  }
  return false;
}

std::string_view zeroValue(Type type) {
  switch (type) {
    case Type::kBoolean:
      return "false";
    case Type::kInt:
    case Type::kUnsignedInt:
    case Type::kLong:
    case Type::kUnsignedLong:
      return "0";
    case Type::kDateTime:
      return kUnknownTime;
    case Type::kString:
    case Type::kBase64:
      return "";
  }
  return "";
}

}  // namespace tr69::datamodel
