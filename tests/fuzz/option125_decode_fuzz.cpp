// libFuzzer: DHCP option 125 decoding (the gateway's answer feeds Device.GatewayInfo).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tr69/connreq/option125.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tr69::connreq;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto blocks = decodeOption125Payload(input);
  if (blocks) (void)gatewayIdentityFromOption125(*blocks);
  (void)describeOption125Payload(input);
  return 0;
}
