// `tr69ctl option125`: the TR-111 Part 1 DHCPv4 option 125 the phone's DHCP client sends
// (enterprise 3561, sub-options 1 ManufacturerOUI, 2 SerialNumber, 3 ProductClass), built from
// the identity file the daemon uses. It needs no running daemon.
#include <string>
#include <vector>

#include "commands.h"
#include "tr69/base/crypto.h"
#include "tr69/base/log.h"
#include "tr69/connreq/option125.h"
#include "tr69/phone/identity.h"

namespace tr69::ctl {
namespace {

// "00000de9..." -> "00:00:0d:e9:..." (the form dhclient.conf takes for a string option).
std::string colonHex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    if (!out.empty()) out += ':';
    out.append(hex, i, 2);
  }
  return out;
}

}  // namespace

int option125Command(const Context& context, std::span<const std::string_view> args,
                     std::ostream& out, std::ostream& err) {
  if (!args.empty()) {
    err << "tr69ctl option125: takes no arguments (the identity comes from --identity FILE)\n";
    return 2;
  }
  // The identity parser's warnings (e.g. no software version) are not about option 125.
  std::vector<std::string> warnings;
  const Logger quiet([&](LogLevel, std::string_view line) { warnings.emplace_back(line); },
                     LogLevel::kWarning);
  auto identity = phone::Identity::load(context.identity, quiet);
  if (!identity) {
    err << "tr69ctl option125: " << identity.fault().message << "\n";
    return 1;
  }
  const connreq::DeviceIdentity device{identity->oui, identity->serial, identity->productClass};
  auto payload = connreq::encodeDeviceOption125Payload(device);
  auto option = connreq::encodeDeviceOption125(device);
  if (!payload || !option) {
    err << "tr69ctl option125: " << context.identity.string() << ": "
        << (payload ? option.fault() : payload.fault()).message << "\n";
    return 1;
  }
  const std::string payloadHex = toHex(*payload);
  const std::string optionHex = toHex(*option);
  if (context.json) {
    printPairs({{"identity", context.identity.string()},
                {"enterprise", std::to_string(connreq::kBroadbandForumEnterprise)},
                {"manufacturer-oui", device.manufacturerOui},
                {"serial-number", device.serialNumber},
                {"product-class", device.productClass},
                {"payload", payloadHex},
                {"option", optionHex}},
               true, out);
    return 0;
  }
  out << "identity: " << context.identity.string() << "\n"
      << connreq::describeOption125Payload(*payload) << "with code and length: " << optionHex
      << "\n\n"
      << "A DHCP client sends it with its DISCOVER/REQUEST, for example:\n"
      << "  udhcpc ... -x 0x7d:" << payloadHex << "\n"
      << "  dhclient.conf: send vivso " << colonHex(payloadHex) << ";\n";
  return 0;
}

}  // namespace tr69::ctl
