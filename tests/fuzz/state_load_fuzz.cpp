// Fuzzes the state journal loader: any input must parse without crashing, and whatever it
// accepts must survive a save/load round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tr69/session/state_store.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const tr69::session::ParsedState parsed = tr69::session::parseState(input);
  const std::string again = tr69::session::serializeState(parsed.state, parsed.generation);
  const tr69::session::ParsedState reparsed = tr69::session::parseState(again);
  if (!reparsed.wellFormed || !reparsed.invalidSections.empty() ||
      !(reparsed.state == parsed.state)) {
    std::abort();
  }
  return 0;
}
