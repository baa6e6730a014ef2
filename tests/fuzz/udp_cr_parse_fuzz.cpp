// libFuzzer: UDP connection-request parsing and verification (any datagram starting with "GET "
// on the shared UDP port reaches it, from anyone).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tr69/connreq/udp_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tr69::connreq;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)percentDecode(input);
  auto request = parseUdpConnectionRequest(input);
  if (!request) return 0;
  UdpReplayState state{1700000000, "1", true};
  (void)verifyUdpConnectionRequest(*request, "acs", "secret", state);
  (void)verifyUdpConnectionRequest(*request, request->un, "secret", UdpReplayState{});
  return 0;
}
