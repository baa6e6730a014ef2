// libFuzzer target for the Aastra config-file parser: any input must parse without crashing,
// serialize back to the same bytes, yield only well-formed entries, and resolve into tr69
// settings without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tr69/config/config_file.h"
#include "tr69/config/config_snapshot.h"
#include "tr69/config/config_value.h"
#include "tr69/config/sip_keys.h"
#include "tr69/config/tr69_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tr69::config;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const tr69::Logger log([](tr69::LogLevel, std::string_view) {}, tr69::LogLevel::kDebug);
  const ConfigFile file = ConfigFile::parse(input, "fuzz.cfg", log);
  if (file.serialize() != input) std::abort();
  for (const ConfigEntry& entry : file.entries()) {
    if (entry.key.empty() || entry.key != normalizeKey(entry.key)) std::abort();
    if (!isValidUtf8(entry.key) || !isValidUtf8(entry.value)) std::abort();
    if (entry.lineIndex >= file.lines().size()) std::abort();
    (void)parseSipKey(entry.key);
  }
  // The same file as a server layer and as local.cfg.
  const ConfigSnapshot snapshot = ConfigSnapshot::resolve({&file, nullptr, nullptr, &file});
  const Tr69Settings settings = Tr69Settings::fromSnapshot(snapshot, log);
  (void)settings.acsUrl();
  for (int line = 1; line <= kMaxSipLines; ++line)
    (void)effectiveSipLineValue(snapshot, line, "proxy ip");
  return 0;
}
