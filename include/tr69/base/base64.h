// Base64 (RFC 4648, standard alphabet, padded, no line breaks) as CWMP uses it (cwmp.md 7.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tr69 {

std::string base64Encode(std::string_view bytes);

// nullopt on any character outside the alphabet, wrong padding or a length not a multiple of 4.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace tr69
