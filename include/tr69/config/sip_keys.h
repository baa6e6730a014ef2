// SIP keys: global `sip <suffix>` and per-line `sip line<N> <suffix>` (N = 1..kMaxSipLines), and
// the "set rule" of aastra-config.md 1a: SIP keys come in inter-dependent sets; if ANY key of a
// set is configured for line N (in any file), line N takes ALL keys of that set from its per-line
// values and ignores the global ones, even those it has no per-line value for.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/config/config_snapshot.h"

namespace tr69::config {

inline constexpr int kMaxSipLines = 9;

// The two sets of the admin guide (3.3.1 section 4-57). Keys outside both tables form one-key
// sets of their own [U in the guide]: a per-line value overrides the global one, key by key.
enum class SipKeySet { kNone, kAuthentication, kNetwork };

struct SipSetMember {
  std::string_view suffix;  // the key without "sip " / "sip line<N> "
  SipKeySet set;
};

// The one table of set membership.
inline constexpr SipSetMember kSipSetTable[] = {
    {"screen name", SipKeySet::kAuthentication},
    {"screen name 2", SipKeySet::kAuthentication},
    {"user name", SipKeySet::kAuthentication},
    {"display name", SipKeySet::kAuthentication},
    {"auth name", SipKeySet::kAuthentication},
    {"password", SipKeySet::kAuthentication},
    {"bla number", SipKeySet::kAuthentication},
    {"mode", SipKeySet::kAuthentication},
    {"call waiting", SipKeySet::kAuthentication},
    {"vmail", SipKeySet::kAuthentication},
    {"proxy ip", SipKeySet::kNetwork},
    {"proxy port", SipKeySet::kNetwork},
    {"backup proxy ip", SipKeySet::kNetwork},
    {"backup proxy port", SipKeySet::kNetwork},
    {"outbound proxy", SipKeySet::kNetwork},
    {"outbound proxy port", SipKeySet::kNetwork},
    {"backup outbound proxy", SipKeySet::kNetwork},
    {"backup outbound proxy port", SipKeySet::kNetwork},
    {"registrar ip", SipKeySet::kNetwork},
    {"registrar port", SipKeySet::kNetwork},
    {"backup registrar ip", SipKeySet::kNetwork},
    {"backup registrar port", SipKeySet::kNetwork},
    {"registration period", SipKeySet::kNetwork},
    {"centralized conf", SipKeySet::kNetwork},
};

// The set `suffix` (normalised) belongs to; kNone outside the table.
SipKeySet sipKeySetOf(std::string_view suffix);
// Every suffix of `set` in table order (empty for kNone).
std::vector<std::string_view> sipSetSuffixes(SipKeySet set);

// "sip " + suffix.
std::string sipGlobalKey(std::string_view suffix);
// "sip line<N> " + suffix.
std::string sipLineKey(int line, std::string_view suffix);

struct SipKeyParts {
  int line = 0;  // 0 for a global key
  std::string suffix;
};
// Splits a normalised key: "sip line3 proxy ip" -> {3, "proxy ip"}, "sip proxy ip" -> {0,
// "proxy ip"}. nullopt for non-SIP keys ("sips ...", "tr69 ...") and for line numbers outside
// 1..kMaxSipLines ("sip line10 ..."), which are no valid SIP key.
std::optional<SipKeyParts> parseSipKey(std::string_view normalizedKey);
// The same without copying: `suffix` points into the key.
struct SipKeyView {
  int line = 0;
  std::string_view suffix;
};
std::optional<SipKeyView> splitSipKey(std::string_view normalizedKey);

// True when line `line` has a per-line value (in any file) of any key of `suffix`'s set; for a
// suffix outside both sets, whether that one per-line key is present.
bool lineUsesOwnSet(const ConfigSnapshot& snapshot, int line, std::string_view suffix);

// The value line `line` effectively uses for `suffix` under the set rule: the per-line value if
// the line uses its own set (nullopt = not configured, firmware default), else the global value
// (nullopt = not configured).
std::optional<EffectiveValue> effectiveSipLineValue(const ConfigSnapshot& snapshot, int line,
                                                    std::string_view suffix);
// The same without a copy: a pointer into `snapshot`, nullptr when not configured.
const EffectiveValue* findEffectiveSipLineValue(const ConfigSnapshot& snapshot, int line,
                                                std::string_view suffix);

// The lines whose effective SIP values differ between diff.before and diff.after: every line of
// a changed `sip line<N> ...` key, and for a changed global `sip ...` key every line that used
// (before) or uses (after) the global value under the set rule. For re-registering lines after a
// reload.
std::set<int> sipLinesAffected(const ConfigDiff& diff);

}  // namespace tr69::config
