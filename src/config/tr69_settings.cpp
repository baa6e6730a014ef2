#include "tr69/config/tr69_settings.h"

#include "tr69/config/config_value.h"

namespace tr69::config {
namespace {

constexpr std::size_t kMaxManagementServerString = 256;  // string(256) in Device:1

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool hasScheme(std::string_view text) {
  return text.find("://") != std::string_view::npos;
}

bool isUrlPathChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~/!$&'()*+,;=:@%").find(c) != std::string_view::npos;
}

bool isHostChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c == '-' || c == '.' || c == '_';
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Reads `count` digits at `pos`; -1 if they are not all digits.
int digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Logs an invalid tr69 value: file, line and key; the value only when it is not a secret.
void logInvalid(const Logger& log, const ConfigSnapshot& snapshot, std::string_view key,
                const EffectiveValue& v, std::string_view expected) {
  std::string shown;
  if (!isSecretKey(key)) {
    shown = ", value '" + v.value.substr(0, 64) + (v.value.size() > 64 ? "..." : "") + "'";
  }
  log.warning(snapshot.fileName(v.source), ":", v.lineNumber, ": invalid value for key '", key,
              "' (expected ", expected, shown, "), using the default");
}

}  // namespace

std::optional<std::uint16_t> parsePort(std::string_view text) {
  const auto value = parseUnsigned(text);
  if (!value || *value < 1 || *value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(*value);
}

std::optional<AcsUrlParts> parseAcsUrl(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  AcsUrlParts parts;
  parts.scheme = lowerAscii(url.substr(0, sep));
  if (parts.scheme != "http" && parts.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(sep + 3);
  const std::size_t authorityEnd = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authorityEnd);
  std::string_view tail = authorityEnd == std::string_view::npos ? "" : rest.substr(authorityEnd);
  std::string_view portText;
  bool hasPort = false;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close < 3) return std::nullopt;
    for (const char c : authority.substr(1, close - 1)) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                      c == ':' || c == '.';
      if (!ok) return std::nullopt;
    }
    parts.host = std::string(authority.substr(0, close + 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      portText = after.substr(1);
      hasPort = true;
    }
  } else {
    const std::size_t colon = authority.find(':');
    parts.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      portText = authority.substr(colon + 1);
      hasPort = true;
    }
    if (parts.host.empty()) return std::nullopt;
    for (const char c : parts.host) {
      if (!isHostChar(c)) return std::nullopt;
    }
  }
  if (hasPort) {
    parts.port = parsePort(portText);
    if (!parts.port) return std::nullopt;
  }
  for (const char c : tail) {
    if (!isUrlPathChar(c) && c != '?' && c != '#') return std::nullopt;
  }
  // Appended, not "/" + ...: GCC 12 at -O3 misfires -Wrestrict on that (GCC PR105329).
  if (!tail.empty() && tail.front() != '/') parts.pathAndQuery.append(1, '/');
  parts.pathAndQuery.append(tail);
  return parts;
}

std::optional<std::string> normalizeDateTime(std::string_view text) {
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  const int day = digits(text, 8, 2);
  const int hour = digits(text, 11, 2);
  const int minute = digits(text, 14, 2);
  const int second = digits(text, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59 || day > daysInMonth(year, month)) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    std::size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9')
      ++i;
    if (i == 1) return std::nullopt;
    rest.remove_prefix(i);
  }
  std::string out(text.substr(0, 19));
  if (rest.empty()) return out;
  if (rest == "Z" || rest == "+00:00" || rest == "-00:00") return out + "Z";
  return std::nullopt;
}

Tr69Settings Tr69Settings::fromSnapshot(const ConfigSnapshot& snapshot, const Logger& log) {
  Tr69Settings s;
  namespace k = tr69_keys;
  // The value of `key` when it is present and not empty ("Empty" means the default).
  auto present = [&](std::string_view key) -> const EffectiveValue* {
    const EffectiveValue* v = snapshot.find(key);
    return v != nullptr && !v->value.empty() ? v : nullptr;
  };
  auto text = [&](std::string_view key, std::string& out) {
    if (const EffectiveValue* v = snapshot.find(key)) out = v->value;
  };
  auto boolean = [&](std::string_view key, bool& out) {
    if (const EffectiveValue* v = present(key)) {
      if (const auto b = parseBool(v->value)) {
        out = *b;
      } else {
        logInvalid(log, snapshot, key, *v, "0, 1, true or false");
      }
    }
  };
  auto port = [&](std::string_view key, std::optional<std::uint16_t>& out) {
    if (const EffectiveValue* v = present(key)) {
      out = parsePort(v->value);
      if (!out) logInvalid(log, snapshot, key, *v, "a port 1-65535");
    }
  };

  if (const EffectiveValue* v = present(k::kServer)) {
    const std::string url = hasScheme(v->value) ? v->value : "http://" + v->value;
    if (parseAcsUrl(url)) {
      s.server = v->value;
    } else {
      logInvalid(log, snapshot, k::kServer, *v, "an http:// or https:// URL");
    }
  }
  port(k::kServerPort, s.serverPort);
  text(k::kUsername, s.username);
  text(k::kPassword, s.password);
  text(k::kConnectionRequestUsername, s.connectionRequestUsername);
  text(k::kConnectionRequestPassword, s.connectionRequestPassword);
  if (const EffectiveValue* v = present(k::kConnectionRequestPath)) {
    std::string_view path = v->value;
    while (!path.empty() && path.front() == '/')
      path.remove_prefix(1);
    bool ok = true;
    for (const char c : path)
      ok = ok && isUrlPathChar(c);
    if (ok) {
      s.connectionRequestPath = std::string(path);
    } else {
      logInvalid(log, snapshot, k::kConnectionRequestPath, *v, "a URL path");
    }
  }
  std::optional<std::uint16_t> crPort;
  port(k::kConnectionRequestPort, crPort);
  if (crPort) s.connectionRequestPort = *crPort;
  boolean(k::kPeriodicInformEnable, s.periodicInformEnable);
  if (const EffectiveValue* v = present(k::kPeriodicInformInterval)) {
    const auto interval = parseUnsigned(v->value);
    if (interval && *interval >= 1) {
      s.periodicInformInterval = *interval;
    } else {
      logInvalid(log, snapshot, k::kPeriodicInformInterval, *v, "seconds 1-4294967295");
    }
  }
  if (const EffectiveValue* v = present(k::kPeriodicInformTime)) {
    if (const auto time = normalizeDateTime(v->value)) {
      s.periodicInformTime = *time;
    } else {
      logInvalid(log, snapshot, k::kPeriodicInformTime, *v, "YYYY-MM-DDThh:mm:ss");
    }
  }
  text(k::kTrustedCertificates, s.trustedCertificates);
  text(k::kPrivateKey, s.privateKey);
  boolean(k::kServerAuthenticationRequired, s.serverAuthenticationRequired);
  return s;
}

std::string Tr69Settings::acsUrl() const {
  if (server.empty()) return {};
  const auto parts = parseAcsUrl(hasScheme(server) ? server : "http://" + server);
  if (!parts) return {};
  const auto port = serverPort ? serverPort : parts->port;
  std::string url = parts->scheme + "://" + parts->host;
  if (port) url.append(1, ':').append(std::to_string(*port));  // not ":" + (PR105329)
  return url + parts->pathAndQuery;
}

std::string Tr69Settings::connectionRequestUrlPath() const {
  return "/" + connectionRequestPath;
}

std::vector<std::string_view> changedSettings(const Tr69Settings& a, const Tr69Settings& b) {
  std::vector<std::string_view> out;
  auto check = [&](bool differs, std::string_view name) {
    if (differs) out.push_back(name);
  };
  check(a.server != b.server, "server");
  check(a.serverPort != b.serverPort, "serverPort");
  check(a.username != b.username, "username");
  check(a.password != b.password, "password");
  check(a.connectionRequestUsername != b.connectionRequestUsername, "connectionRequestUsername");
  check(a.connectionRequestPassword != b.connectionRequestPassword, "connectionRequestPassword");
  check(a.connectionRequestPath != b.connectionRequestPath, "connectionRequestPath");
  check(a.connectionRequestPort != b.connectionRequestPort, "connectionRequestPort");
  check(a.periodicInformEnable != b.periodicInformEnable, "periodicInformEnable");
  check(a.periodicInformInterval != b.periodicInformInterval, "periodicInformInterval");
  check(a.periodicInformTime != b.periodicInformTime, "periodicInformTime");
  check(a.trustedCertificates != b.trustedCertificates, "trustedCertificates");
  check(a.privateKey != b.privateKey, "privateKey");
  check(a.serverAuthenticationRequired != b.serverAuthenticationRequired,
        "serverAuthenticationRequired");
  return out;
}

std::optional<std::string_view> managementServerKey(std::string_view parameter) {
  for (const ManagementServerKey& entry : kManagementServerKeys) {
    if (entry.parameter == parameter) return entry.key;
  }
  return std::nullopt;
}

Status addManagementServerWrite(LocalEdit& edit, std::string_view parameter,
                                std::string_view value) {
  namespace k = tr69_keys;
  const auto key = managementServerKey(parameter);
  if (!key) {
    return Fault(FaultCode::kInvalidParameterName,
                 "ManagementServer." + std::string(parameter) + " is not persisted in config");
  }
  auto invalid = [&](std::string_view expected) {
    return Fault(FaultCode::kInvalidParameterValue, "ManagementServer." + std::string(parameter) +
                                                        ": expected " + std::string(expected));
  };
  if (value.size() > kMaxManagementServerString) return invalid("at most 256 characters");
  if (*key == k::kServer) {
    const auto parts = parseAcsUrl(value);
    if (!parts) return invalid("an http:// or https:// URL");
    const std::uint16_t port = parts->port.value_or(parts->scheme == "https" ? 443 : 80);
    edit.set(k::kServer, value);
    edit.set(k::kServerPort, std::to_string(port));
  } else if (*key == k::kPeriodicInformEnable) {
    const auto b = parseBool(value);
    if (!b) return invalid("a boolean");
    edit.set(*key, formatBool(*b));
  } else if (*key == k::kPeriodicInformInterval) {
    const auto interval = parseUnsigned(value);
    if (!interval || *interval < 1) return invalid("an unsignedInt >= 1");
    edit.set(*key, std::to_string(*interval));
  } else if (*key == k::kPeriodicInformTime) {
    const auto time = normalizeDateTime(value);
    if (!time) return invalid("a dateTime in UTC");
    edit.set(*key, *time);
  } else {
    if (!isValidUtf8(value)) return invalid("UTF-8 text");
    for (const char c : value) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return invalid("printable text");
    }
    edit.set(*key, value);
  }
  return {};
}

}  // namespace tr69::config
