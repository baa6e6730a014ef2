#include "tr69/config/sip_keys.h"

#include <algorithm>
#include <array>

namespace tr69::config {
namespace {

constexpr std::string_view kSipPrefix = "sip ";
constexpr std::string_view kLinePrefix = "line";

}  // namespace

SipKeySet sipKeySetOf(std::string_view suffix) {
  for (const SipSetMember& member : kSipSetTable) {
    if (member.suffix == suffix) return member.set;
  }
  return SipKeySet::kNone;
}

std::vector<std::string_view> sipSetSuffixes(SipKeySet set) {
  std::vector<std::string_view> out;
  if (set == SipKeySet::kNone) return out;
  for (const SipSetMember& member : kSipSetTable) {
    if (member.set == set) out.push_back(member.suffix);
  }
  return out;
}

std::string sipGlobalKey(std::string_view suffix) {
  return std::string(kSipPrefix) + std::string(suffix);
}

std::string sipLineKey(int line, std::string_view suffix) {
  return std::string(kSipPrefix) + std::string(kLinePrefix) + std::to_string(line) + " " +
         std::string(suffix);
}

std::optional<SipKeyParts> parseSipKey(std::string_view key) {
  const auto parts = splitSipKey(key);
  if (!parts) return std::nullopt;
  return SipKeyParts{parts->line, std::string(parts->suffix)};
}

std::optional<SipKeyView> splitSipKey(std::string_view key) {
  if (key.substr(0, kSipPrefix.size()) != kSipPrefix) return std::nullopt;
  std::string_view rest = key.substr(kSipPrefix.size());
  if (rest.empty()) return std::nullopt;
  // "line<digits> <suffix>" is a per-line key; "line" followed by anything else is a global key
  // whose suffix happens to start with "line".
  if (rest.substr(0, kLinePrefix.size()) == kLinePrefix) {
    std::size_t i = kLinePrefix.size();
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9')
      ++i;
    const std::string_view digits = rest.substr(kLinePrefix.size(), i - kLinePrefix.size());
    if (!digits.empty()) {
      if (i >= rest.size() || rest[i] != ' ' || i + 1 == rest.size()) return std::nullopt;
      if (digits.size() != 1 || digits[0] == '0') return std::nullopt;
      return SipKeyView{digits[0] - '0', rest.substr(i + 1)};
    }
  }
  return SipKeyView{0, rest};
}

namespace {

// snapshot.find(sipLineKey(line, suffix)), or find(sipGlobalKey(suffix)) when !perLine, without
// building a string for the usual short keys (these run for nearly every SIP parameter read).
const EffectiveValue* findSipKey(const ConfigSnapshot& snapshot, bool perLine, int line,
                                 std::string_view suffix) {
  std::array<char, 64> buffer;
  const std::size_t prefix = kSipPrefix.size() + (perLine ? kLinePrefix.size() + 2 : 0);
  static_assert(kMaxSipLines <= 9, "one digit per line number below");
  if ((perLine && (line < 1 || line > kMaxSipLines)) || prefix + suffix.size() > buffer.size()) {
    return snapshot.find(perLine ? sipLineKey(line, suffix) : sipGlobalKey(suffix));
  }
  char* out = std::copy(kSipPrefix.begin(), kSipPrefix.end(), buffer.data());
  if (perLine) {
    out = std::copy(kLinePrefix.begin(), kLinePrefix.end(), out);
    *out++ = static_cast<char>('0' + line);
    *out++ = ' ';
  }
  out = std::copy(suffix.begin(), suffix.end(), out);
  return snapshot.find(
      std::string_view(buffer.data(), static_cast<std::size_t>(out - buffer.data())));
}

}  // namespace

bool lineUsesOwnSet(const ConfigSnapshot& snapshot, int line, std::string_view suffix) {
  const SipKeySet set = sipKeySetOf(suffix);
  if (set == SipKeySet::kNone) return findSipKey(snapshot, true, line, suffix) != nullptr;
  return (snapshot.perLineSipSets(line) & (1u << static_cast<unsigned>(set))) != 0;
}

const EffectiveValue* findEffectiveSipLineValue(const ConfigSnapshot& snapshot, int line,
                                                std::string_view suffix) {
  return findSipKey(snapshot, lineUsesOwnSet(snapshot, line, suffix), line, suffix);
}

std::optional<EffectiveValue> effectiveSipLineValue(const ConfigSnapshot& snapshot, int line,
                                                    std::string_view suffix) {
  const EffectiveValue* v = findEffectiveSipLineValue(snapshot, line, suffix);
  if (v == nullptr) return std::nullopt;
  return *v;
}

std::set<int> sipLinesAffected(const ConfigDiff& diff) {
  std::set<int> lines;
  for (const KeyChange& change : diff.changes) {
    const auto parts = parseSipKey(change.key);
    if (!parts) continue;
    if (parts->line > 0) {
      lines.insert(parts->line);
      continue;
    }
    if (!diff.before || !diff.after) continue;
    for (int line = 1; line <= kMaxSipLines; ++line) {
      const auto before = effectiveSipLineValue(*diff.before, line, parts->suffix);
      const auto after = effectiveSipLineValue(*diff.after, line, parts->suffix);
      const bool same = before.has_value() == after.has_value() &&
                        (!before.has_value() || before->value == after->value);
      if (!same) lines.insert(line);
    }
  }
  return lines;
}

}  // namespace tr69::config
