#include "tr69/phone/live_system.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "tr69/base/file_util.h"

namespace tr69::phone {
namespace {

constexpr std::size_t kMaxSystemFile = 256 * 1024;

std::string readSmall(const std::filesystem::path& path) {
  auto text = readFile(path, kMaxSystemFile);
  return text.ok() ? *text : std::string();
}

std::string trim(std::string s) {
  auto notSpace = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
  s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
  return s;
}

// /proc/net/route writes addresses as host-order hex of the network-order value.
std::optional<std::string> routeHexToIpv4(const std::string& hex) {
  if (hex.size() != 8) return std::nullopt;
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
  if (ec != std::errc() || end != hex.data() + hex.size()) return std::nullopt;
  in_addr addr{};
  addr.s_addr = value;
  char buf[INET_ADDRSTRLEN];
  if (!inet_ntop(AF_INET, &addr, buf, sizeof buf)) return std::nullopt;
  return std::string(buf);
}

std::string addressText(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

}  // namespace

std::optional<std::chrono::seconds> parseProcUptime(const std::string& text) {
  std::istringstream in(text);
  double seconds = -1;
  if (!(in >> seconds) || seconds < 0 || seconds > 1e12) return std::nullopt;
  return std::chrono::seconds(static_cast<std::int64_t>(seconds));
}

std::optional<std::pair<std::string, std::string>> parseDefaultRoute(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string iface, destination, gateway;
    if (!(fields >> iface >> destination >> gateway)) continue;
    if (destination != "00000000") continue;
    auto gw = routeHexToIpv4(gateway);
    if (!gw) continue;
    return std::make_pair(iface, *gw);
  }
  return std::nullopt;
}

std::vector<std::string> parseResolvConf(const std::string& text) {
  std::vector<std::string> servers;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string keyword, address;
    if (!(fields >> keyword >> address) || keyword != "nameserver") continue;
    in6_addr probe{};
    if (inet_pton(AF_INET, address.c_str(), &probe) == 1 ||
        inet_pton(AF_INET6, address.c_str(), &probe) == 1) {
      servers.push_back(address);
    }
  }
  return servers;
}

HostSystem::HostSystem(std::filesystem::path root, std::string preferredInterface)
    : root_(std::move(root)), preferredInterface_(std::move(preferredInterface)) {}

std::chrono::seconds HostSystem::uptime() const {
  return parseProcUptime(readSmall(root_ / "proc/uptime")).value_or(std::chrono::seconds(0));
}

std::chrono::system_clock::time_point HostSystem::now() const {
  return std::chrono::system_clock::now();
}

NetworkState HostSystem::network() const {
  NetworkState state;
  const auto route = parseDefaultRoute(readSmall(root_ / "proc/net/route"));
  if (route) state.defaultGateway = route->second;
  state.dnsServers = parseResolvConf(readSmall(root_ / "etc/resolv.conf"));
  state.interface = !preferredInterface_.empty() ? preferredInterface_
                    : route                      ? route->first
                                                 : std::string();

  const std::string pinned = trim(readSmall(root_ / "run/tr69d/ipaddress"));
  if (!pinned.empty()) {
    state.ipAddress = pinned;
  } else {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) == 0) {
      for (const ifaddrs* ifa = list; ifa; ifa = ifa->ifa_next) {
        if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET) continue;
        if (ifa->ifa_flags & IFF_LOOPBACK) continue;
        if (!state.interface.empty() && state.interface != ifa->ifa_name) continue;
        state.interface = ifa->ifa_name;
        state.ipAddress = addressText(ifa->ifa_addr);
        if (ifa->ifa_netmask) state.subnetMask = addressText(ifa->ifa_netmask);
        break;
      }
      freeifaddrs(list);
    }
  }
  if (!state.interface.empty()) {
    state.macAddress =
        upper(trim(readSmall(root_ / "sys/class/net" / state.interface / "address")));
  }
  return state;
}

std::optional<InterfaceCounters> HostSystem::counters() const {
  const std::string interface = network().interface;
  if (interface.empty()) return std::nullopt;
  const auto dir = root_ / "sys/class/net" / interface / "statistics";
  auto counter = [&](const char* name) -> std::optional<std::uint64_t> {
    const std::string text = trim(readSmall(dir / name));
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
  };
  const auto txBytes = counter("tx_bytes");
  const auto rxBytes = counter("rx_bytes");
  const auto txPackets = counter("tx_packets");
  const auto rxPackets = counter("rx_packets");
  if (!txBytes || !rxBytes || !txPackets || !rxPackets) return std::nullopt;
  return InterfaceCounters{*txBytes, *rxBytes, *txPackets, *rxPackets};
}

}  // namespace tr69::phone
