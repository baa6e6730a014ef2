// libFuzzer target: the tr69-test-acs scenario file parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "acs/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto scenario =
      tr69::testacs::parseScenario(std::string_view(reinterpret_cast<const char*>(data), size));
  if (scenario) (void)scenario->script(0).failsOnPurpose();
  return 0;
}
