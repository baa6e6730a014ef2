// libFuzzer: RFC 3489 STUN decoding (every datagram on the shared UDP port that starts with
// 0x00/0x01 reaches it), integrity verification and re-encoding of what was decoded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tr69/connreq/stun_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tr69::connreq::stun;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto message = decode(input);
  if (!message) return 0;
  (void)verifyIntegrity(input, *message, "password");
  // What we decoded must encode to something we decode again (addresses, error codes, ...).
  auto again = decode(encode(*message, message->integrityOffset ? "key" : ""));
  if (!again && encode(*message).size() <= kMaxMessageSize) __builtin_trap();
  return 0;
}
