// Live values of the running phone (uptime, addresses, DNS, gateway, time) read from the
// system. Everything is read below a root directory so that tests point it at a fake tree and
// never at the real host: <root>/proc/uptime, <root>/proc/net/route, <root>/etc/resolv.conf,
// <root>/sys/class/net/<if>/address, and, when present, <root>/run/tr69d/ipaddress (an address
// written by the phone's network scripts, which wins over interface discovery).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tr69::phone {

struct NetworkState {
  std::string interface;   // e.g. "eth0"; empty when no interface is up
  std::string ipAddress;   // dotted IPv4 or IPv6 text; empty when unknown
  std::string subnetMask;  // dotted IPv4; empty for IPv6 or unknown
  std::string macAddress;  // "00:08:5D:1A:2B:3C" (upper case) or empty
  std::string defaultGateway;
  std::vector<std::string> dnsServers;
};

// Counters of the LAN interface since boot (<root>/sys/class/net/<if>/statistics).
struct InterfaceCounters {
  std::uint64_t bytesSent = 0;
  std::uint64_t bytesReceived = 0;
  std::uint64_t packetsSent = 0;
  std::uint64_t packetsReceived = 0;
};

class LiveSystem {
 public:
  virtual ~LiveSystem() = default;
  virtual std::chrono::seconds uptime() const = 0;
  virtual NetworkState network() const = 0;
  virtual std::chrono::system_clock::time_point now() const = 0;
  // nullopt when the system does not expose them.
  virtual std::optional<InterfaceCounters> counters() const { return std::nullopt; }
};

// The real system below `root` ("/" on the phone). `preferredInterface` empty: the interface of
// the default route, else the first non-loopback interface with an IPv4 address.
class HostSystem final : public LiveSystem {
 public:
  explicit HostSystem(std::filesystem::path root = "/", std::string preferredInterface = {});
  std::chrono::seconds uptime() const override;
  NetworkState network() const override;
  std::chrono::system_clock::time_point now() const override;
  std::optional<InterfaceCounters> counters() const override;

 private:
  std::filesystem::path root_;
  std::string preferredInterface_;
};

// Parsers for the files above, exposed for tests and fuzzing. Each returns nothing on bad input.
std::optional<std::chrono::seconds> parseProcUptime(const std::string& text);
// /proc/net/route: the interface and gateway of the default route (destination 00000000).
std::optional<std::pair<std::string, std::string>> parseDefaultRoute(const std::string& text);
std::vector<std::string> parseResolvConf(const std::string& text);

}  // namespace tr69::phone
