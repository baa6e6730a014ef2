#include "tr69/config/config_file.h"

#include "tr69/config/config_value.h"

namespace tr69::config {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::size_t kMaxLoggedKey = 64;
// A hostile file must not flood the log: bad lines beyond this many are only counted.
constexpr std::size_t kMaxLoggedBadLines = 20;

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && isBlank(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && isBlank(text.back()))
    text.remove_suffix(1);
  return text;
}

bool isControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7F;
}

bool hasControl(std::string_view text) {
  for (const char c : text) {
    if (isControl(c)) return true;
  }
  return false;
}

// A key as it may appear in a log line: printable ASCII only, bounded length.
std::string printableKey(std::string_view key) {
  std::string out;
  for (const char c : key.substr(0, kMaxLoggedKey)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7F ? c : '?');
  }
  if (key.size() > kMaxLoggedKey) out += "...";
  return out;
}

// What a bad line's key is, as far as it can be told, without leaking a secret: the text before
// the first ':', or for a line without ':' the whole text unless it looks like a secret.
std::string keyForLog(std::string_view text, bool hasColon) {
  std::string_view key = trim(text.substr(0, text.find(':')));
  while (!key.empty() && (key.front() == '!' || key.front() == '^'))
    key = trim(key.substr(1));
  if (!hasColon && isSecretKey(normalizeKey(key))) return "(hidden)";
  return printableKey(key);
}

}  // namespace

bool parseConfigLine(std::string_view text, ConfigEntry& entry, std::string& reason) {
  reason.clear();
  entry = ConfigEntry{};
  const std::string_view body = trim(text);
  if (body.empty() || body.front() == '#') return false;

  const std::size_t colon = body.find(':');
  const bool hasColon = colon != std::string_view::npos;
  auto bad = [&](std::string why) {
    reason = std::move(why);
    entry.rawKey = keyForLog(body, hasColon);
    entry.key = normalizeKey(entry.rawKey);
    return false;
  };
  if (text.size() > kMaxLineBytes) {
    return bad("line longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }
  if (hasControl(body)) return bad("control character");
  if (!isValidUtf8(body)) return bad("invalid UTF-8");
  if (!hasColon) return bad("no ':' after the key");

  std::string_view key = trim(body.substr(0, colon));
  while (!key.empty() && (key.front() == '!' || key.front() == '^')) {
    if (key.front() == '!') entry.locked = true;
    if (key.front() == '^') entry.forceDefault = true;
    key = trim(key.substr(1));
  }
  if (key.empty()) return bad("empty key");
  entry.rawKey = std::string(key);
  entry.key = normalizeKey(key);
  entry.value = std::string(unquoteValue(trim(body.substr(colon + 1))));
  return true;
}

ConfigFile ConfigFile::parse(std::string_view content, std::string_view displayName,
                             const Logger& log) {
  ConfigFile file;
  file.displayName_ = std::string(displayName);
  std::size_t pos = 0;
  while (pos < content.size()) {
    const std::size_t newline = content.find('\n', pos);
    const bool hasNewline = newline != std::string_view::npos;
    std::string_view text = content.substr(pos, hasNewline ? newline - pos : content.npos);
    pos = hasNewline ? newline + 1 : content.size();
    const bool carriageReturn = !text.empty() && text.back() == '\r';
    if (carriageReturn) text.remove_suffix(1);
    // The line ending picked from a table, not built by assign/insert: GCC 12 at -O3 misfires
    // -Wrestrict on those (GCC PR105329), which broke Release builds.
    static constexpr std::string_view kEndings[] = {"", "\n", "\r", "\r\n"};
    ConfigLine line;
    line.text = std::string(text);
    line.ending = std::string(kEndings[(carriageReturn ? 2 : 0) + (hasNewline ? 1 : 0)]);
    file.lines_.push_back(std::move(line));
  }

  std::string reason;
  for (std::size_t i = 0; i < file.lines_.size(); ++i) {
    std::string_view text = file.lines_[i].text;
    if (i == 0 && text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
    ConfigEntry entry;
    if (parseConfigLine(text, entry, reason)) {
      entry.lineNumber = i + 1;
      entry.lineIndex = i;
      file.lastEntry_[entry.key] = file.entries_.size();
      file.entries_.push_back(std::move(entry));
    } else if (!reason.empty()) {
      ++file.badLines_;
      if (file.badLines_ <= kMaxLoggedBadLines) {
        log.warning(file.displayName_, ":", i + 1, ": ", reason, " (key '", entry.rawKey,
                    "'), line skipped");
      }
    }
  }
  if (file.badLines_ > kMaxLoggedBadLines) {
    log.warning(file.displayName_, ": ", file.badLines_ - kMaxLoggedBadLines,
                " more bad lines skipped");
  }
  return file;
}

const ConfigEntry* ConfigFile::find(std::string_view normalizedKey) const {
  const auto it = lastEntry_.find(std::string(normalizedKey));
  return it == lastEntry_.end() ? nullptr : &entries_[it->second];
}

std::string ConfigFile::serialize() const {
  std::string out;
  std::size_t size = 0;
  for (const auto& line : lines_)
    size += line.text.size() + line.ending.size();
  out.reserve(size);
  for (const auto& line : lines_) {
    out += line.text;
    out += line.ending;
  }
  return out;
}

}  // namespace tr69::config
