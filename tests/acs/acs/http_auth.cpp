#include "acs/http_auth.h"

#include <cctype>

#include "tr69/base/crypto.h"

namespace tr69::testacs {

namespace {

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string md5Hex(std::string_view text) {
  return toHex(md5(text));
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view authModeName(AuthMode mode) {
  switch (mode) {
    case AuthMode::kNone:
      return "none";
    case AuthMode::kBasic:
      return "basic";
    case AuthMode::kDigest:
      return "digest";
    case AuthMode::kDigestAuthInt:
      return "digest-auth-int";
  }
  return "none";
}

std::optional<AuthMode> parseAuthMode(std::string_view text) {
  for (AuthMode mode :
       {AuthMode::kNone, AuthMode::kBasic, AuthMode::kDigest, AuthMode::kDigestAuthInt}) {
    if (authModeName(mode) == text) return mode;
  }
  return std::nullopt;
}

std::string base64Encode(std::string_view bytes) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0})
      out.push_back(kBase64[(v >> shift) & 63]);
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kBase64[(v >> 18) & 63]);
    out.push_back(kBase64[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kBase64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;
    const auto index = kBase64.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if (padding > 2 || (text.size() % 4) != 0) return std::nullopt;
  return out;
}

std::map<std::string, std::string> parseAuthParameters(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '\t'))
      ++i;
    const std::size_t keyStart = i;
    while (i < text.size() && text[i] != '=' && text[i] != ',')
      ++i;
    std::string key(text.substr(keyStart, i - keyStart));
    while (!key.empty() && key.back() == ' ')
      key.pop_back();
    for (char& c : key)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value;
    if (i < text.size() && text[i] == '=') {
      ++i;
      if (i < text.size() && text[i] == '"') {
        ++i;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < text.size()) ++i;
          value.push_back(text[i++]);
        }
        ++i;
      } else {
        const std::size_t valueStart = i;
        while (i < text.size() && text[i] != ',')
          ++i;
        value = std::string(text.substr(valueStart, i - valueStart));
        while (!value.empty() && value.back() == ' ')
          value.pop_back();
      }
    }
    if (!key.empty()) out[key] = value;
  }
  return out;
}

HttpAuthenticator::HttpAuthenticator(AuthMode mode, std::string realm, std::string username,
                                     std::string password)
    : mode_(mode),
      realm_(std::move(realm)),
      username_(std::move(username)),
      password_(std::move(password)),
      opaque_(randomHex(16)) {}

std::string HttpAuthenticator::challenge() {
  if (mode_ == AuthMode::kBasic) return "Basic realm=\"" + realm_ + "\"";
  const std::string nonce = randomHex(32);
  {
    std::lock_guard lock(mutex_);
    nonces_.insert(nonce);
  }
  const char* qop = mode_ == AuthMode::kDigestAuthInt ? "auth,auth-int" : "auth";
  return "Digest realm=\"" + realm_ + "\", qop=\"" + qop + "\", nonce=\"" + nonce +
         "\", opaque=\"" + opaque_ + "\", algorithm=MD5";
}

std::string HttpAuthenticator::verify(std::string_view authorization, std::string_view method,
                                      std::string_view body) {
  if (mode_ == AuthMode::kNone) return {};
  if (authorization.empty()) return "no Authorization header";
  if (mode_ == AuthMode::kBasic) {
    if (!startsWithNoCase(authorization, "Basic ")) return "not Basic credentials";
    auto decoded = base64Decode(authorization.substr(6));
    if (!decoded) return "malformed Basic credentials";
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return "malformed Basic credentials";
    if (decoded->substr(0, colon) != username_) return "unknown user";
    if (!constantTimeEquals(decoded->substr(colon + 1), password_)) return "wrong password";
    return {};
  }
  if (!startsWithNoCase(authorization, "Digest ")) return "not Digest credentials";
  auto params = parseAuthParameters(authorization.substr(7));
  if (params["username"] != username_) return "unknown user";
  if (params["realm"] != realm_) return "wrong realm";
  {
    std::lock_guard lock(mutex_);
    if (!nonces_.count(params["nonce"])) return "unknown nonce";
  }
  if (!params["algorithm"].empty() && params["algorithm"] != "MD5") return "algorithm not MD5";
  const std::string qop = params["qop"];
  if (qop != "auth" && !(qop == "auth-int" && mode_ == AuthMode::kDigestAuthInt)) {
    return "qop '" + qop + "' not offered";
  }
  if (params["nc"].empty() || params["cnonce"].empty()) return "nc or cnonce missing";
  const std::string ha1 = md5Hex(username_ + ":" + realm_ + ":" + password_);
  std::string a2 = std::string(method) + ":" + params["uri"];
  if (qop == "auth-int") a2 += ":" + md5Hex(body);
  const std::string expected = md5Hex(ha1 + ":" + params["nonce"] + ":" + params["nc"] + ":" +
                                      params["cnonce"] + ":" + qop + ":" + md5Hex(a2));
  if (!constantTimeEquals(expected, params["response"])) return "wrong digest response";
  return {};
}

}  // namespace tr69::testacs
