#include "tr69/connreq/http_decision.h"

#include <string>

#include "tr69/connreq/url.h"

namespace tr69::connreq {

HttpVerdict decideHttpConnectionRequest(const HttpRequestFacts& facts,
                                        const std::function<DigestOutcome()>& checkDigest) {
  std::string_view path = facts.path;
  const auto query = path.find('?');
  if (query != std::string_view::npos) path = path.substr(0, query);
  if (path != normalizeConnectionRequestPath(facts.configuredPath)) return HttpVerdict::kNotFound;
  if (facts.method != "GET") return HttpVerdict::kMethodNotAllowed;
  if (!facts.credentialsConfigured) return HttpVerdict::kChallenge;
  switch (checkDigest ? checkDigest() : DigestOutcome::kMissing) {
    case DigestOutcome::kValid:
      return HttpVerdict::kAccept;
    case DigestOutcome::kStaleNonce:
      return HttpVerdict::kChallengeStale;
    case DigestOutcome::kMissing:
    case DigestOutcome::kWrongUser:
    case DigestOutcome::kBadResponse:
      return HttpVerdict::kChallenge;
  }
  return HttpVerdict::kChallenge;
}

int httpStatusFor(HttpVerdict verdict) {
  switch (verdict) {
    case HttpVerdict::kAccept:
      return 200;
    case HttpVerdict::kChallenge:
    case HttpVerdict::kChallengeStale:
      return 401;
    case HttpVerdict::kNotFound:
      return 404;
    case HttpVerdict::kMethodNotAllowed:
      return 405;
  }
  return 500;
}

}  // namespace tr69::connreq
