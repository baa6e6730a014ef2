// One Aastra configuration file (aastra.cfg, <model>.cfg, <mac>.cfg, local.cfg) parsed for
// lookup while every line is kept verbatim, so that an edit rewrites only the lines it changes.
//
// Syntax (aastra-config.md 1a):
//   * one `key: value` per line; the first ':' ends the key; key and value are trimmed;
//   * a line whose first non-blank character is '#' is a comment; blank lines are kept;
//   * keys are case-insensitive and compared normalised (see normalizeKey);
//   * prefix '!' locks the key, prefix '^' forces the server file's value over local.cfg (both
//     may be combined, in either order, e.g. "!^sip proxy ip: ...");
//   * one pair of double quotes around the value is stripped; inner quotes stay;
//   * trailing " # ..." text is NOT a comment: it is part of the value (no guide shows trailing
//     comments being stripped, and the agent never writes them);
//   * LF or CRLF line ends; a missing final newline is fine; a UTF-8 BOM before the first line is
//     ignored;
//   * within one file a key given twice takes its LAST value.
// Bad lines (no ':', empty key, control characters, invalid UTF-8, longer than kMaxLineBytes) are
// logged as "<file>:<line>: <reason> (key '<key>')" and skipped; values are never logged.
// After 20 logged bad lines the rest of a file's bad lines are only counted (one summary line).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tr69/base/log.h"

namespace tr69::config {

// Longest line (without its line end) that is parsed; longer lines are bad lines.
inline constexpr std::size_t kMaxLineBytes = 4096;
// Largest configuration file that is read at all.
inline constexpr std::size_t kMaxFileBytes = 1024 * 1024;

struct ConfigEntry {
  std::string key;             // normalised ("sip line1 auth name")
  std::string rawKey;          // as written, trimmed, without the '!'/'^' prefix
  std::string value;           // trimmed, one pair of surrounding quotes stripped
  bool locked = false;         // '!' prefix
  bool forceDefault = false;   // '^' prefix
  std::size_t lineNumber = 0;  // 1-based
  std::size_t lineIndex = 0;   // index into ConfigFile::lines()
};

// A line exactly as read: its text (without the line end) and its line end ("\n", "\r\n" or ""
// for a last line without newline). Concatenating text + ending of every line gives the file.
struct ConfigLine {
  std::string text;
  std::string ending;
};

class ConfigFile {
 public:
  ConfigFile() = default;

  // Parses `content`; `displayName` (usually the file name) prefixes every log line.
  static ConfigFile parse(std::string_view content, std::string_view displayName,
                          const Logger& log);

  const std::string& displayName() const { return displayName_; }
  const std::vector<ConfigLine>& lines() const { return lines_; }
  // Valid entries in file order, duplicates included.
  const std::vector<ConfigEntry>& entries() const { return entries_; }
  // The entry that counts for `normalizedKey` (the last one), or nullptr.
  const ConfigEntry* find(std::string_view normalizedKey) const;
  // Number of bad lines that were skipped.
  std::size_t badLines() const { return badLines_; }

  // The file's bytes: identical to the parsed content (a round trip changes nothing).
  std::string serialize() const;

 private:
  std::string displayName_;
  std::vector<ConfigLine> lines_;
  std::vector<ConfigEntry> entries_;
  std::unordered_map<std::string, std::size_t> lastEntry_;  // key -> index into entries_
  std::size_t badLines_ = 0;
};

// Parses one line's text (no line end). Returns true and fills `entry` (key, rawKey, value, flags)
// for a key line; returns false for comments/blank lines (reason empty) and bad lines (reason set,
// `entry.key`/`rawKey` hold what could be read of the key, possibly empty).
bool parseConfigLine(std::string_view text, ConfigEntry& entry, std::string& reason);

}  // namespace tr69::config
