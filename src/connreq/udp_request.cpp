#include "tr69/connreq/udp_request.h"

#include <cctype>
#include <charconv>

#include "tr69/base/crypto.h"

namespace tr69::connreq {
namespace {

Fault malformed(std::string why) {
  return Fault(FaultCode::kInvalidArguments, "UDP connection request: " + std::move(why));
}

bool equalsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hexValue(text[i + 1]);
      const int lo = hexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<UdpConnectionRequest> parseUdpConnectionRequest(std::string_view datagram) {
  if (datagram.size() > kMaxUdpConnectionRequestSize) return malformed("oversized datagram");
  std::string_view line = datagram.substr(0, datagram.find('\n'));
  line = trimSpaces(line);
  if (!line.starts_with("GET ")) return malformed("not a GET request line");
  line.remove_prefix(4);
  line = trimSpaces(line);
  const auto space = line.find_first_of(" \t");
  if (space == std::string_view::npos) return malformed("no HTTP version");
  std::string_view uri = line.substr(0, space);
  const std::string_view version = trimSpaces(line.substr(space));
  if (!version.starts_with("HTTP/1.")) return malformed("not HTTP/1.x");

  const auto schemeEnd = uri.find("://");
  if (schemeEnd == std::string_view::npos || !equalsNoCase(uri.substr(0, schemeEnd), "http"))
    return malformed("Request-URI is not an absolute http URI");
  const auto query = uri.find('?');
  if (query == std::string_view::npos) return malformed("no query");
  std::string_view rest = uri.substr(query + 1);
  const auto fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);

  UdpConnectionRequest request;
  bool seen[5] = {};
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view raw =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    static constexpr std::string_view kNames[5] = {"ts", "id", "un", "cn", "sig"};
    std::string* fields[5] = {&request.ts, &request.id, &request.un, &request.cn, &request.sig};
    for (int i = 0; i < 5; ++i) {
      if (name != kNames[i]) continue;
      if (seen[i]) return malformed("repeated parameter " + std::string(name));
      auto value = percentDecode(raw);
      if (!value) return malformed("bad percent-encoding in " + std::string(name));
      *fields[i] = std::move(*value);
      seen[i] = true;
    }
  }
  for (int i = 0; i < 5; ++i) {
    if (!seen[i]) return malformed("missing a ts, id, un, cn or sig parameter");
  }
  if (request.ts.empty() || request.id.empty() || request.cn.empty() || request.sig.empty())
    return malformed("empty ts, id, cn or sig");
  if (request.id.size() > 64) return malformed("id too long");
  for (unsigned char c : request.id) {
    if (c <= 0x20 || c >= 0x7f) return malformed("id has a non-printable character");
  }
  const auto [ptr, ec] =
      std::from_chars(request.ts.data(), request.ts.data() + request.ts.size(), request.timestamp);
  if (ec != std::errc() || ptr != request.ts.data() + request.ts.size())
    return malformed("ts is not a decimal number");
  return request;
}

std::string udpConnectionRequestSignature(std::string_view password, std::string_view ts,
                                          std::string_view id, std::string_view un,
                                          std::string_view cn) {
  std::string text;
  text.reserve(ts.size() + id.size() + un.size() + cn.size());
  text.append(ts).append(id).append(un).append(cn);
  return toHex(hmacSha1(password, text));
}

std::string_view udpVerdictText(UdpVerdict verdict) {
  switch (verdict) {
    case UdpVerdict::kAccept:
      return "accepted";
    case UdpVerdict::kNoCredentials:
      return "no connection-request username/password configured";
    case UdpVerdict::kWrongUser:
      return "wrong username";
    case UdpVerdict::kBadSignature:
      return "bad signature";
    case UdpVerdict::kStaleTimestamp:
      return "timestamp not newer than the last accepted one";
    case UdpVerdict::kReplayedId:
      return "message id repeated";
  }
  return "?";
}

UdpVerdict verifyUdpConnectionRequest(const UdpConnectionRequest& request,
                                      std::string_view username, std::string_view password,
                                      const UdpReplayState& state) {
  if (username.empty() || password.empty()) return UdpVerdict::kNoCredentials;
  if (!constantTimeEquals(request.un, username)) return UdpVerdict::kWrongUser;
  std::string given = request.sig;
  for (char& c : given)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string expected =
      udpConnectionRequestSignature(password, request.ts, request.id, request.un, request.cn);
  if (!constantTimeEquals(given, expected)) return UdpVerdict::kBadSignature;
  if (state.any) {
    if (request.id == state.lastId) return UdpVerdict::kReplayedId;
    if (request.timestamp <= state.lastTimestamp) return UdpVerdict::kStaleTimestamp;
  }
  return UdpVerdict::kAccept;
}

}  // namespace tr69::connreq
