// Identity file, live values from a fake root, agent values and the persistent store.
#include <fstream>

#include "phone/phone_test_util.h"

namespace tr69::phone::testing {
namespace {

TEST(IdentityTest, ParsesEveryKeyWithDefaults) {
  LogCapture capture;
  auto id = Identity::parse(kIdentityText, "identity", capture.logger());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->model, "6757i");
  EXPECT_EQ(id->mac, "00085D1A2B3C");
  EXPECT_EQ(id->macWithColons(), "00:08:5D:1A:2B:3C");
  EXPECT_EQ(id->serial, "SN0001");
  EXPECT_EQ(id->softwareVersion, "3.3.1.4322");
  EXPECT_EQ(id->hardwareVersion, "6757i Rev 3");
  EXPECT_EQ(id->manufacturer, "Aastra");
  EXPECT_EQ(id->oui, "00085D");
  EXPECT_EQ(id->productClass, "6757i");
  EXPECT_EQ(id->description, "Aastra 6757i SIP phone");
}

TEST(IdentityTest, OptionalKeysOverrideDefaults) {
  LogCapture capture;
  auto id = Identity::parse(
      "# comment\nMODEL: 6867i\nmac: 00-08-5d-00-00-01\nmanufacturer: Mitel\noui: 0008 5d\n",
      "identity", capture.logger());
  EXPECT_FALSE(id.ok());  // "0008 5d" is not 6 hex digits
  id = Identity::parse(
      "model: 6867i\nmac: 00-08-5d-00-00-01\nmanufacturer: Mitel\noui: 00085d\n"
      "product class: SIPPhone\ndescription: \"desk phone\"\n",
      "identity", capture.logger());
  ASSERT_TRUE(id.ok()) << id.fault().message;
  EXPECT_EQ(id->manufacturer, "Mitel");
  EXPECT_EQ(id->oui, "00085D");
  EXPECT_EQ(id->productClass, "SIPPhone");
  EXPECT_EQ(id->description, "desk phone");
  EXPECT_TRUE(capture.contains("'serial' is missing"));
}

TEST(IdentityTest, MissingOrMalformedRequiredKeysNameFileAndKey) {
  LogCapture capture;
  auto noModel = Identity::parse("mac: 00085D1A2B3C\n", "/etc/tr69d/identity", capture.logger());
  ASSERT_FALSE(noModel.ok());
  EXPECT_EQ(noModel.fault().code, FaultCode::kInvalidArguments);
  EXPECT_NE(noModel.fault().message.find("/etc/tr69d/identity"), std::string::npos);
  EXPECT_NE(noModel.fault().message.find("'model'"), std::string::npos);
  auto noMac = Identity::parse("model: 6757i\n", "id", capture.logger());
  ASSERT_FALSE(noMac.ok());
  EXPECT_NE(noMac.fault().message.find("'mac'"), std::string::npos);
  EXPECT_FALSE(Identity::parse("model: 6757i\nmac: 00085D1A2B3\n", "id", capture.logger()).ok());
  EXPECT_FALSE(Identity::parse("model: ../x\nmac: 00085D1A2B3C\n", "id", capture.logger()).ok());
  EXPECT_FALSE(
      Identity::parse("model: 6757i\nmac: 00085D1A2B3C\nserial: " + std::string(65, 'x') + "\n",
                      "id", capture.logger())
          .ok());
  EXPECT_FALSE(Identity::parse("", "id", capture.logger()).ok());
  EXPECT_FALSE(Identity::parse(std::string("\0\xff\xfe", 3), "id", capture.logger()).ok());
  auto missing = Identity::load("/nonexistent/identity", capture.logger());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.fault().message.find("/nonexistent/identity"), std::string::npos);
}

TEST_F(PhoneTest, DeviceInfoComesFromTheIdentityAndTheLiveSystem) {
  useCase("single_set");
  EXPECT_EQ(get("Device.DeviceInfo.Manufacturer"), "Aastra");
  EXPECT_EQ(get("Device.DeviceInfo.ManufacturerOUI"), "00085D");
  EXPECT_EQ(get("Device.DeviceInfo.ModelName"), "6757i");
  EXPECT_EQ(get("Device.DeviceInfo.ProductClass"), "6757i");
  EXPECT_EQ(get("Device.DeviceInfo.SerialNumber"), "SN0001");
  EXPECT_EQ(get("Device.DeviceInfo.HardwareVersion"), "6757i Rev 3");
  EXPECT_EQ(get("Device.DeviceInfo.SoftwareVersion"), "3.3.1.4322");
  EXPECT_EQ(get("Device.DeviceInfo.DeviceStatus"), "Up");
  EXPECT_EQ(get("Device.DeviceInfo.UpTime"), "4242");
  EXPECT_EQ(get("Device.LAN.IPAddress"), "192.0.2.50");
  EXPECT_EQ(get("Device.LAN.SubnetMask"), "255.255.255.0");
  EXPECT_EQ(get("Device.LAN.DefaultGateway"), "192.0.2.1");
  EXPECT_EQ(get("Device.LAN.DNSServers"), "192.0.2.53,198.51.100.53");
  EXPECT_EQ(get("Device.LAN.MACAddress"), "00:08:5D:1A:2B:3C");
  EXPECT_EQ(get("Device.LAN.AddressingType"), "DHCP");
  EXPECT_EQ(get("Device.LAN.Stats.ConnectionUpTime"), "4242");
  EXPECT_EQ(get("Device.DeviceSummary"), std::string(kDeviceSummary));
  EXPECT_EQ(get("Device.Services.VoiceService.1.Capabilities.MaxLineCount"), "9");
  const std::string time = get("Device.Time.CurrentLocalTime");
  EXPECT_EQ(time.size() >= 20 ? time.substr(0, 4) : time, "2027");
}

TEST_F(PhoneTest, OneGetParameterValuesReadsTheLiveSystemOnce) {
  useCase("single_set");
  std::vector<std::string> all{"Device."};
  auto values = tree_->getValues(all);
  ASSERT_TRUE(values.ok());
  EXPECT_GT(values->size(), 100u);
  EXPECT_EQ(live_.networkReads, 1);  // IPAddress, SubnetMask, ... share one reading
  EXPECT_EQ(live_.uptimeReads, 1);   // UpTime and LAN.Stats.ConnectionUpTime
  // Outside a request each read asks the system again.
  EXPECT_EQ(*tree_->get(tr69::dm::DeviceInfo::UpTime), 4242u);
  EXPECT_EQ(*tree_->get(tr69::dm::DeviceInfo::UpTime), 4242u);
  EXPECT_EQ(live_.uptimeReads, 3);
  EXPECT_EQ(get("Device.LAN.IPAddress"), "192.0.2.50");
  EXPECT_EQ(live_.networkReads, 2);
}

TEST_F(PhoneTest, LiveValuesFromAFakeRoot) {
  const auto fake = root_ / "fakeroot";
  auto put = [&](const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((fake / rel).parent_path());
    std::ofstream(fake / rel) << text;
  };
  put("proc/uptime", "777.25 100.00\n");
  put("proc/net/route",
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
      "eth0\t00000000\t0102000A\t0003\t0\t0\t0\t00000000\n");
  put("etc/resolv.conf", "nameserver 10.0.2.53\n");
  put("run/tr69d/ipaddress", "10.0.2.77\n");
  put("sys/class/net/eth0/address", "00:08:5d:aa:bb:cc\n");
  put("sys/class/net/eth0/statistics/tx_bytes", "4294967306\n");  // 2^32 + 10: rolls over
  put("sys/class/net/eth0/statistics/rx_bytes", "2000\n");
  put("sys/class/net/eth0/statistics/tx_packets", "30\n");
  put("sys/class/net/eth0/statistics/rx_packets", "40\n");
  HostSystem host(fake, "eth0");
  std::filesystem::copy_file(dataDir() / "single_set" / "before" / "local.cfg",
                             configDir_ / "local.cfg");
  store_ = std::make_unique<config::ConfigStore>(
      config::ConfigStoreOptions{configDir_, identity_.model, identity_.mac}, log_);
  PhoneStorage storage(datamodel::aastraModel(), identity_, *store_, host, agent_,
                       {stateDir_ / "stored.xml", {}}, log_);
  model::Tree tree(datamodel::aastraModel(), storage, storage.lineCount());
  EXPECT_EQ(*tree.get(dm::DeviceInfo::UpTime), 777u);
  EXPECT_EQ(*tree.get(dm::LAN::IPAddress), "10.0.2.77");
  EXPECT_EQ(*tree.get(dm::LAN::DefaultGateway), "10.0.2.1");
  EXPECT_EQ(*tree.get(dm::LAN::DNSServers), "10.0.2.53");
  EXPECT_EQ(*tree.get(dm::LAN::MACAddress), "00:08:5D:AA:BB:CC");
  EXPECT_EQ(*tree.get(dm::LAN::Stats::TotalBytesSent), 10u);
  EXPECT_EQ(*tree.get(dm::LAN::Stats::TotalBytesReceived), 2000u);
  EXPECT_EQ(*tree.get(dm::LAN::Stats::TotalPacketsSent), 30u);
  EXPECT_EQ(*tree.get(dm::LAN::Stats::TotalPacketsReceived), 40u);
  EXPECT_EQ(*tree.get(dm::LAN::Stats::CurrentDayBytesSent), 0u);
  std::filesystem::remove(fake / "sys/class/net/eth0/statistics/rx_packets");
  EXPECT_EQ(*tree.get(dm::LAN::Stats::TotalBytesSent), 0u);  // incomplete: not reported
}

TEST_F(PhoneTest, AgentValuesAreReadAndWrittenThroughTheTree) {
  useCase("single_set");
  EXPECT_EQ(get("Device.ManagementServer.ParameterKey"), "");
  agent_.set(agent_source::kConnectionRequestUrl, "http://192.0.2.50:7547/");
  agent_.set(agent_source::kNatDetected, "true");
  EXPECT_EQ(get("Device.ManagementServer.ConnectionRequestURL"), "http://192.0.2.50:7547/");
  EXPECT_EQ(get("Device.ManagementServer.NATDetected"), "true");
  ASSERT_TRUE(tree_->set(dm::ManagementServer::ParameterKey, std::string("key-7")).ok());
  EXPECT_EQ(agent_.get(agent_source::kParameterKey), "key-7");
  ASSERT_TRUE(set1("Device.LAN.IPPingDiagnostics.Host", "192.0.2.1").ok());
  EXPECT_EQ(get("Device.LAN.IPPingDiagnostics.Host"), "192.0.2.1");
  EXPECT_EQ(get("Device.LAN.TraceRouteDiagnostics.Host"), "");
  agent_.set(agent_source::kNatDetected, "maybe");  // invalid for a boolean: default
  EXPECT_EQ(get("Device.ManagementServer.NATDetected"), "false");
}

TEST_F(PhoneTest, StoredTablesPersistAndACorruptStoreIsSetAside) {
  useCase("single_set");
  auto added = tree_->addObject("Device.LAN.DHCPOption.", model::ChangeCause::kAcs);
  ASSERT_TRUE(added.ok());
  ASSERT_TRUE(set1("Device.LAN.DHCPOption.1.Tag", "60").ok());
  build();
  EXPECT_EQ(get("Device.LAN.DHCPOption.1.Tag"), "60");
  EXPECT_EQ(get("Device.LAN.DHCPOptionNumberOfEntries"), "1");
  ASSERT_TRUE(writeFileAtomic(stateDir_ / "stored.xml", "<stored><value path=").ok());
  build();
  EXPECT_EQ(get("Device.LAN.DHCPOptionNumberOfEntries"), "0");
  EXPECT_TRUE(std::filesystem::exists(stateDir_ / "stored.xml.corrupt"));
  EXPECT_TRUE(capture_.contains("stored.xml"));
}

TEST(StoredValuesTest, HostileDocumentsAreRefusedOrFiltered) {
  LogCapture capture;
  Logger log = capture.logger();
  StoredValues stored(datamodel::aastraModel(), 9, "/nonexistent/stored.xml", log);
  const std::string before = stored.serialize();
  EXPECT_FALSE(stored.load("").ok());
  EXPECT_FALSE(stored.load("<other/>").ok());
  EXPECT_EQ(stored.serialize(), before);
  ASSERT_TRUE(stored
                  .load("<stored>"
                        "<value path=\"Device.Nope\" instances=\"\">x</value>"
                        "<value path=\"Device.LAN.DHCPOption.{i}.Tag\" instances=\"0\">1</value>"
                        "<value path=\"Device.LAN.DHCPOption.{i}.Tag\" instances=\"1 2 3 4 5 "
                        "6 7\">1</value>"
                        "<instances path=\"Device.LAN.DHCPOption.{i}.\" parent=\"1\">2</instances>"
                        "<instances path=\"Device.LAN.\" parent=\"\">2</instances>"
                        "<instances path=\"Device.LAN.DHCPOption.{i}.\" parent=\"\">3 x</instances>"
                        "</stored>")
                  .ok());
  EXPECT_TRUE(capture.contains("Device.Nope"));
  EXPECT_EQ(stored.serialize().find("Device.Nope"), std::string::npos);
}

}  // namespace
}  // namespace tr69::phone::testing

namespace tr69::phone::testing {
namespace {

class ApplyCommandTest : public PhoneTest {};

TEST_F(ApplyCommandTest, SplitsOnBlanksWithoutAShell) {
  auto command = ApplyCommand::fromString("  /usr/sbin/sipapply\t-q  $(reboot) ");
  EXPECT_EQ(command.argv, (std::vector<std::string>{"/usr/sbin/sipapply", "-q", "$(reboot)"}));
  EXPECT_TRUE(ApplyCommand::fromString("   ").argv.empty());
}

TEST_F(ApplyCommandTest, PassesLinesAsArgumentsAndEnvironment) {
  auto command = ApplyCommand::fromString(applyScript_.string() + " --lines");
  ASSERT_TRUE(runApplyCommand(command, {2, 7}, log_).ok());
  EXPECT_EQ(applyCalls(), (std::vector<std::string>{"--lines 2 7|2 7"}));
}

TEST_F(ApplyCommandTest, TimeoutKillsTheCommand) {
  writeScript(applyScript_, "#!/bin/sh\nexec sleep 30\n");
  auto command = ApplyCommand::fromString(applyScript_.string(), std::chrono::milliseconds(200));
  auto status = runApplyCommand(command, {1}, log_);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.fault().message.find("timed out"), std::string::npos);
}

TEST_F(ApplyCommandTest, MissingProgramAndEmptyCommand) {
  auto missing = runApplyCommand(ApplyCommand::fromString("/nonexistent/apply"), {1}, log_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.fault().message.find("127"), std::string::npos);
  EXPECT_TRUE(runApplyCommand(ApplyCommand{}, {1}, log_).ok());
  EXPECT_TRUE(capture_.contains("no apply command configured"));
}

}  // namespace
}  // namespace tr69::phone::testing
