// libFuzzer target: the transfer state file parser must survive any input and round-trip what
// it accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tr69/transfer/transfer_store.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = tr69::transfer::parseState(text);
  if (parsed.ok()) {
    auto again = tr69::transfer::parseState(tr69::transfer::serializeState(parsed->state));
    if (!again.ok() || again->state.jobs.size() != parsed->state.jobs.size() ||
        again->state.results.size() != parsed->state.results.size()) {
      __builtin_trap();
    }
  }
  return 0;
}
