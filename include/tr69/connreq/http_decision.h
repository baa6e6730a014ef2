// The decision behind every HTTP connection request, as a pure function (fuzzed): path, method,
// then digest authentication, in that order (TR-069 §3.2.2):
//   another path -> 404; another method than GET -> 405; no configured credentials, no or wrong
//   credentials -> 401 with a digest challenge (stale=true for an expired or foreign nonce);
//   valid -> accepted (the gate then answers 200 or 503).
//
// Empty ConnectionRequestUsername or ConnectionRequestPassword: every request gets 401 (and the
// server logs why). TR-069 requires digest authentication of connection requests, so an
// unconfigured phone must not be triggerable by anyone who can reach its port.
#pragma once

#include <functional>
#include <string_view>

namespace tr69::connreq {

enum class DigestOutcome {
  kMissing,      // no Authorization: Digest header
  kWrongUser,    // username differs from ConnectionRequestUsername
  kBadResponse,  // right user, wrong response (password) or malformed header
  kStaleNonce,   // nonce expired or not ours
  kValid,
};

enum class HttpVerdict {
  kAccept,
  kChallenge,         // 401 + WWW-Authenticate: Digest
  kChallengeStale,    // 401 + WWW-Authenticate: Digest ..., stale=true
  kNotFound,          // 404
  kMethodNotAllowed,  // 405 + Allow: GET
};

struct HttpRequestFacts {
  std::string_view method;
  std::string_view path;            // request path without the query
  std::string_view configuredPath;  // `tr69 connection request path` (leading '/' optional)
  bool credentialsConfigured = false;
};

// `checkDigest` runs only when path and method are right and credentials are configured.
HttpVerdict decideHttpConnectionRequest(const HttpRequestFacts& facts,
                                        const std::function<DigestOutcome()>& checkDigest);

int httpStatusFor(HttpVerdict verdict);

}  // namespace tr69::connreq
