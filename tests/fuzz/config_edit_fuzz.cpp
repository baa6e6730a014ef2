// libFuzzer target for local.cfg edits (planLocalEdit, no I/O): for any local.cfg, server file
// and batch, planning must not crash; a successful plan must keep every comment, blank and bad
// line in order, create no bad line, and (without the set-copy option) read back exactly the
// values the batch implies.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "tr69/config/config_file.h"
#include "tr69/config/config_snapshot.h"
#include "tr69/config/config_value.h"
#include "tr69/config/local_edit.h"
#include "tr69/config/sip_keys.h"

namespace {

const char* const kKeys[] = {
    "sip line1 auth name", "sip line1 proxy ip",  "sip line2 password", "sip proxy ip",
    "sip registrar ip",    "tr69 server",         "sip dial plan",      "softkey1 label",
    "time zone name",      "SIP Line1 Auth Name",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tr69::config;
  FuzzedDataProvider fdp(data, size);
  const tr69::Logger log([](tr69::LogLevel, std::string_view) {}, tr69::LogLevel::kDebug);
  const ConfigFile server = ConfigFile::parse(fdp.ConsumeRandomLengthString(1024), "s.cfg", log);
  const ConfigFile local = ConfigFile::parse(fdp.ConsumeRandomLengthString(4096), "l.cfg", log);
  EditOptions options;
  options.copyGlobalSetOnFirstLineWrite = fdp.ConsumeBool();
  LocalEdit edit;
  const int count = fdp.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < count; ++i) {
    const int kind = fdp.ConsumeIntegralInRange(0, 2);
    const std::string key =
        fdp.ConsumeBool() ? kKeys[fdp.ConsumeIntegralInRange<std::size_t>(0, std::size(kKeys) - 1)]
                          : fdp.ConsumeRandomLengthString(40);
    if (kind == 0) edit.set(key, fdp.ConsumeRandomLengthString(64));
    if (kind == 1) edit.remove(key);
    if (kind == 2) edit.resetLine(fdp.ConsumeIntegralInRange(0, 10));
  }

  const ConfigSnapshot serverOnly = ConfigSnapshot::resolve({&server, nullptr, nullptr, nullptr});
  const auto plan = planLocalEdit(local, serverOnly, edit, options);
  if (!plan.ok()) return 0;
  const ConfigFile after = ConfigFile::parse(plan->content, "l.cfg", log);
  if (after.badLines() != local.badLines()) std::abort();

  // Lines that are not entries survive in order.
  std::vector<const std::string*> kept;
  std::vector<bool> isEntry(local.lines().size(), false);
  for (const ConfigEntry& entry : local.entries())
    isEntry[entry.lineIndex] = true;
  for (std::size_t i = 0; i < local.lines().size(); ++i) {
    if (!isEntry[i]) kept.push_back(&local.lines()[i].text);
  }
  std::size_t next = 0;
  for (const ConfigLine& line : after.lines()) {
    if (next < kept.size() && line.text == *kept[next]) ++next;
  }
  if (next != kept.size()) std::abort();

  if (options.copyGlobalSetOnFirstLineWrite) return 0;
  std::map<std::string, std::string> expected;
  for (const ConfigEntry& entry : local.entries())
    expected[entry.key] = local.find(entry.key)->value;
  std::vector<std::string> mentioned;
  for (const auto& [key, value] : expected)
    mentioned.push_back(key);
  for (const LocalEdit::Operation& op : edit.operations()) {
    if (op.kind == LocalEdit::Kind::kSet) {
      expected[op.key] = op.value;
      mentioned.push_back(op.key);
    } else if (op.kind == LocalEdit::Kind::kRemove) {
      expected.erase(op.key);
      mentioned.push_back(op.key);
    } else {
      for (auto it = expected.begin(); it != expected.end();) {
        const auto parts = parseSipKey(it->first);
        it = parts && parts->line == op.line ? expected.erase(it) : std::next(it);
      }
    }
  }
  for (const std::string& key : mentioned) {
    const ConfigEntry* entry = after.find(key);
    const auto it = expected.find(key);
    if ((entry == nullptr) != (it == expected.end())) std::abort();
    if (entry != nullptr && entry->value != it->second) std::abort();
  }
  return 0;
}
