// libFuzzer target: the test peers' small binary and text parsers (STUN messages, TR-111 UDP
// connection requests, HTTP auth parameters, base64).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "acs/connreq_client.h"
#include "acs/http_auth.h"
#include "acs/stun_server.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tr69::testacs;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto message = parseStunMessage(text)) {
    if (const StunAttribute* mi = message->find(kStunMessageIntegrity)) {
      (void)stunMessageIntegrity("pw", text.substr(0, mi->offset));
    }
  }
  (void)parseUdpConnectionRequest(std::string(text));
  (void)parseAuthParameters(text);
  (void)base64Decode(text);
  HttpAuthenticator digest(AuthMode::kDigestAuthInt, "r", "u", "p");
  (void)digest.verify(text, "POST", "");
  HttpAuthenticator basic(AuthMode::kBasic, "r", "u", "p");
  (void)basic.verify(text, "GET", "");
  return 0;
}
