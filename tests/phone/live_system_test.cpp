#include "tr69/phone/live_system.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace tr69::phone {
namespace {

namespace fs = std::filesystem;

TEST(LiveSystemParseTest, Uptime) {
  EXPECT_EQ(parseProcUptime("12345.67 54321.00\n"), std::chrono::seconds(12345));
  EXPECT_FALSE(parseProcUptime("").has_value());
  EXPECT_FALSE(parseProcUptime("garbage").has_value());
  EXPECT_FALSE(parseProcUptime("-5 1").has_value());
  EXPECT_FALSE(parseProcUptime("1e300").has_value());
}

TEST(LiveSystemParseTest, DefaultRoute) {
  const std::string table =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
      "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\n"
      "eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\n";
  auto route = parseDefaultRoute(table);
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->first, "eth0");
  EXPECT_EQ(route->second, "192.168.1.1");
  EXPECT_FALSE(parseDefaultRoute("Iface\n").has_value());
  EXPECT_FALSE(parseDefaultRoute("h\neth0\t00000000\tZZZZZZZZ\n").has_value());
  EXPECT_FALSE(parseDefaultRoute("h\neth0\t00000000\t0101\n").has_value());
}

TEST(LiveSystemParseTest, ResolvConfKeepsOnlyAddresses) {
  const auto servers = parseResolvConf(
      "# comment\nsearch example.com\nnameserver 192.0.2.53\nnameserver 2001:db8::1\n"
      "nameserver not-an-address\nnameserver\n");
  EXPECT_EQ(servers, (std::vector<std::string>{"192.0.2.53", "2001:db8::1"}));
}

TEST(HostSystemTest, ReadsEverythingBelowTheFakeRoot) {
  const fs::path root = fs::temp_directory_path() / ("tr69-root-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "proc/net");
  fs::create_directories(root / "etc");
  fs::create_directories(root / "run/tr69d");
  fs::create_directories(root / "sys/class/net/eth9");
  std::ofstream(root / "proc/uptime") << "360000.5 1.0\n";
  std::ofstream(root / "proc/net/route") << "Iface\tDestination\tGateway\n"
                                         << "eth9\t00000000\t0100000A\n";
  std::ofstream(root / "etc/resolv.conf") << "nameserver 10.0.0.53\n";
  std::ofstream(root / "run/tr69d/ipaddress") << "10.0.0.42\n";
  std::ofstream(root / "sys/class/net/eth9/address") << "00:08:5d:1a:2b:3c\n";

  HostSystem system(root);
  EXPECT_EQ(system.uptime(), std::chrono::hours(100));
  const NetworkState net = system.network();
  EXPECT_EQ(net.interface, "eth9");
  EXPECT_EQ(net.ipAddress, "10.0.0.42");
  EXPECT_EQ(net.defaultGateway, "10.0.0.1");
  EXPECT_EQ(net.dnsServers, (std::vector<std::string>{"10.0.0.53"}));
  EXPECT_EQ(net.macAddress, "00:08:5D:1A:2B:3C");
  fs::remove_all(root);
}

TEST(HostSystemTest, EmptyRootGivesEmptyValuesNotErrors) {
  const fs::path root = fs::temp_directory_path() / ("tr69-empty-" + std::to_string(::getpid()));
  fs::create_directories(root);
  HostSystem system(root, "does-not-exist0");
  EXPECT_EQ(system.uptime(), std::chrono::seconds(0));
  const NetworkState net = system.network();
  EXPECT_TRUE(net.ipAddress.empty());
  EXPECT_TRUE(net.dnsServers.empty());
  fs::remove_all(root);
}

}  // namespace
}  // namespace tr69::phone
