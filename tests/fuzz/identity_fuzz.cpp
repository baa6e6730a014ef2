// libFuzzer target: the identity file parser (tr69::phone::Identity::parse).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tr69/phone/identity.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tr69::Logger log([](tr69::LogLevel, std::string_view) {}, tr69::LogLevel::kError);
  auto id = tr69::phone::Identity::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", log);
  if (id.ok()) (void)id->macWithColons();
  return 0;
}
