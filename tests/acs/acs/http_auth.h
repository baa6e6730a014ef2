// Server-side HTTP authentication for the test peers: Basic and Digest (RFC 2617, MD5) with the
// challenge written by hand, so that the offer can be `qop="auth"` or `qop="auth,auth-int"` as
// real ACSs send it. Nonces are issued and remembered per server.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace tr69::testacs {

enum class AuthMode { kNone, kBasic, kDigest, kDigestAuthInt };

std::string_view authModeName(AuthMode mode);
std::optional<AuthMode> parseAuthMode(std::string_view text);  // none|basic|digest|digest-auth-int

std::string base64Encode(std::string_view bytes);
std::optional<std::string> base64Decode(std::string_view text);

// Splits `key=value, key="quoted, value"` lists (Digest parameters).
std::map<std::string, std::string> parseAuthParameters(std::string_view text);

class HttpAuthenticator {
 public:
  HttpAuthenticator(AuthMode mode, std::string realm, std::string username, std::string password);

  AuthMode mode() const { return mode_; }
  // The WWW-Authenticate value for a 401 (a fresh nonce for Digest).
  std::string challenge();
  // Checks an Authorization header for this method, request-URI and body.
  // Returns "" on success or a short reason (never containing secrets).
  std::string verify(std::string_view authorization, std::string_view method,
                     std::string_view body);

 private:
  AuthMode mode_;
  std::string realm_, username_, password_, opaque_;
  std::mutex mutex_;
  std::set<std::string> nonces_;
};

}  // namespace tr69::testacs
