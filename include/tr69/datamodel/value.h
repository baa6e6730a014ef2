// Lexical rules of parameter values (cwmp.md 7.4): type, range, size, enumeration, list and facet
// checks, canonical forms. Shared by the generator (defaults and constants are checked at build
// time) and by the run-time tree (SetParameterValues validation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tr69/base/fault.h"
#include "tr69/datamodel/descriptor.h"

namespace tr69::datamodel {

// Validates `text` for parameter `param` and returns its canonical lexical form:
// booleans become "true"/"false" (input 0/1/true/false, any case), integers lose '+' and leading
// zeros, other types are returned as given. Failure: kInvalidParameterValue with a message that
// says which rule failed (never the value of a hidden parameter).
Result<std::string> canonicalValue(const ParamDesc& param, std::string_view text);

// The xsi:type of a type ("xsd:unsignedInt", "xsd:base64", ...).
std::string_view xsiTypeName(Type type);

// Whether an xsi:type sent by an ACS fits the parameter (prefix ignored; base64Binary accepted for
// base64; string accepted for every type because many ACSs send everything as xsd:string; int
// and unsignedInt accepted for long/unsignedLong and vice versa when the value fits).
bool xsiTypeCompatible(Type type, std::string_view xsiType);

// The value a parameter reads as when its storage has none and the model gives no default.
std::string_view zeroValue(Type type);

// Integer parsing used for typed access: nullopt on any lexical or range error.
std::optional<std::int64_t> parseSigned(std::string_view text, std::int64_t min, std::int64_t max);
std::optional<std::uint64_t> parseUnsigned(std::string_view text, std::uint64_t max);
std::optional<bool> parseBoolean(std::string_view text);

}  // namespace tr69::datamodel
