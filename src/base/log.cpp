#include "tr69/base/log.h"

#include <syslog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

namespace tr69 {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void stderrSink(LogLevel level, std::string_view message) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t secs = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::fprintf(stderr, "%s.%03dZ %-7s %.*s\n", stamp, static_cast<int>(millis),
               std::string(logLevelName(level)).c_str(), static_cast<int>(message.size()),
               message.data());
}

int syslogPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return LOG_ERR;
    case LogLevel::kWarning:
      return LOG_WARNING;
    case LogLevel::kInfo:
      return LOG_INFO;
    case LogLevel::kDebug:
      return LOG_DEBUG;
  }
  return LOG_INFO;
}

// openlog keeps the ident pointer; this owner keeps the string alive as long as any logger using
// syslog, and closes the log with the last one.
struct SyslogSession {
  explicit SyslogSession(std::string_view id) : ident(id) {
    openlog(ident.c_str(), LOG_PID | LOG_NDELAY, LOG_DAEMON);
  }
  ~SyslogSession() { closelog(); }
  SyslogSession(const SyslogSession&) = delete;
  SyslogSession& operator=(const SyslogSession&) = delete;
  std::string ident;
};

}  // namespace

bool parseLogLevel(std::string_view text, LogLevel& out) {
  const std::string name = lower(text);
  if (name == "error") {
    out = LogLevel::kError;
  } else if (name == "warning" || name == "warn") {
    out = LogLevel::kWarning;
  } else if (name == "info") {
    out = LogLevel::kInfo;
  } else if (name == "debug") {
    out = LogLevel::kDebug;
  } else {
    return false;
  }
  return true;
}

std::string_view logLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "info";
}

Logger::Logger() : Logger(stderrSink, LogLevel::kInfo) {}

Logger::Logger(Sink sink, LogLevel level) : sink_(std::move(sink)), level_(level) {}

Logger Logger::toStderr(LogLevel level) {
  return Logger(stderrSink, level);
}

Logger Logger::toSyslog(std::string_view ident, LogLevel level) {
  auto session = std::make_shared<SyslogSession>(ident);
  return Logger(
      [session](LogLevel lvl, std::string_view message) {
        syslog(syslogPriority(lvl), "%.*s", static_cast<int>(message.size()), message.data());
      },
      level);
}

void Logger::write(LogLevel level, std::string_view message) const {
  if (enabled(level) && sink_) sink_(level, message);
}

Logger LogCapture::logger(LogLevel level) {
  return Logger(
      [this](LogLevel lvl, std::string_view message) {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.push_back(std::string(logLevelName(lvl)) + ": " + std::string(message));
      },
      level);
}

std::vector<std::string> LogCapture::lines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lines_;
}

bool LogCapture::contains(std::string_view needle) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::any_of(lines_.begin(), lines_.end(), [&](const std::string& line) {
    return line.find(needle) != std::string::npos;
  });
}

std::string LogCapture::joined() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  for (const auto& line : lines_)
    out += line + "\n";
  return out;
}

}  // namespace tr69
