// libFuzzer target: the test ACS's SOAP parsing and every conformance check on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "acs/conformance.h"
#include "acs/rpc.h"
#include "acs/soap.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tr69::testacs;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto envelope = parseEnvelope(text);
  if (!envelope) return 0;
  const std::string ns(kCwmp12Ns);
  (void)checkEnvelope(*envelope);
  (void)checkInform(*envelope, defaultForcedInformParameters());
  (void)checkResponse(*envelope, "1", "GetParameterValues", ns);
  (void)checkResponse(*envelope, "1", "SetParameterValues", ns);
  (void)checkResponse(*envelope, "1", "Download", ns);
  (void)checkResponse(*envelope, "1", "GetRPCMethods", ns);
  (void)checkResponse(*envelope, "1", "AddObject", ns);
  const InformMessage inform = parseInform(envelope->method);
  (void)checkTransferComplete(*envelope, inform, ns);
  (void)parseResponse(*envelope);
  (void)prettyXml(text);
  return 0;
}
