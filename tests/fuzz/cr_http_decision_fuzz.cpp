// libFuzzer: the HTTP connection-request decision (path, method, authentication outcome) fed
// arbitrary method, path and configured-path strings. Input: one byte selecting the digest
// outcome and whether credentials are configured, then method '\n' path '\n' configured path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tr69/connreq/http_decision.h"
#include "tr69/connreq/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tr69::connreq;
  if (size < 1) return 0;
  const std::uint8_t control = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string_view parts[3];
  for (int i = 0; i < 3; ++i) {
    const auto nl = rest.find('\n');
    parts[i] = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  }
  HttpRequestFacts facts{parts[0], parts[1], parts[2], (control & 0x80) != 0};
  bool digestChecked = false;
  const auto outcome = static_cast<DigestOutcome>((control & 0x7f) % 5);
  const HttpVerdict verdict = decideHttpConnectionRequest(facts, [&] {
    digestChecked = true;
    return outcome;
  });
  // Invariants: only an authenticated GET on the configured path is accepted, and the digest
  // is consulted only for a GET on the path with credentials configured.
  if (verdict == HttpVerdict::kAccept &&
      (facts.method != "GET" || !facts.credentialsConfigured || outcome != DigestOutcome::kValid))
    __builtin_trap();
  if (digestChecked && (facts.method != "GET" || !facts.credentialsConfigured)) __builtin_trap();
  (void)httpStatusFor(verdict);
  (void)buildConnectionRequestUrl(parts[0], 7547, parts[2]);
  return 0;
}
