// Logging with levels to stderr, syslog or a capture buffer (for tests).
// Never pass a secret (password, key, digest material) to a logger: there is no redaction here.
#pragma once

#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace tr69 {

enum class LogLevel { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

// Parses "error", "warning"/"warn", "info", "debug" (case-insensitive).
bool parseLogLevel(std::string_view text, LogLevel& out);
std::string_view logLevelName(LogLevel level);

class Logger {
 public:
  using Sink = std::function<void(LogLevel, std::string_view)>;

  // Default: stderr with a timestamp, level Info.
  Logger();
  explicit Logger(Sink sink, LogLevel level = LogLevel::kInfo);

  static Logger toStderr(LogLevel level = LogLevel::kInfo);
  static Logger toSyslog(std::string_view ident, LogLevel level = LogLevel::kInfo);

  void setLevel(LogLevel level) { level_ = level; }
  LogLevel level() const { return level_; }
  bool enabled(LogLevel level) const { return level <= level_; }

  void write(LogLevel level, std::string_view message) const;

  template <class... Args>
  void error(const Args&... args) const {
    emit(LogLevel::kError, args...);
  }
  template <class... Args>
  void warning(const Args&... args) const {
    emit(LogLevel::kWarning, args...);
  }
  template <class... Args>
  void info(const Args&... args) const {
    emit(LogLevel::kInfo, args...);
  }
  template <class... Args>
  void debug(const Args&... args) const {
    emit(LogLevel::kDebug, args...);
  }

 private:
  template <class... Args>
  void emit(LogLevel level, const Args&... args) const {
    if (!enabled(level)) return;
    std::ostringstream out;
    (out << ... << args);
    write(level, out.str());
  }

  Sink sink_;
  LogLevel level_ = LogLevel::kInfo;
};

// Collects log lines in memory; for tests that assert on what was logged.
class LogCapture {
 public:
  Logger logger(LogLevel level = LogLevel::kDebug);
  std::vector<std::string> lines() const;
  bool contains(std::string_view needle) const;
  std::string joined() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace tr69
