// Values the agent itself owns or computes (the data model's <agentSources>): the session engine,
// the connection-request listener and the diagnostics runners set them at run time; PhoneStorage
// reads them for every parameter bound with agent="...". Memory only: what must survive a reboot
// (ParameterKey) is persisted by the session layer's StateStore, which sets it here at start-up.
//
// Sources used by exactly one parameter are addressed by source name (set("parameter-key", k));
// sources shared by several parameters (ip-ping, trace-route) are addressed per parameter
// (setParameter). A source without a value reads as the parameter's model default.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tr69/model/instance_path.h"

namespace tr69::phone {

namespace agent_source {
inline constexpr std::string_view kDeviceSummary = "device-summary";
inline constexpr std::string_view kFirstUseDate = "first-use-date";
inline constexpr std::string_view kParameterKey = "parameter-key";
inline constexpr std::string_view kConnectionRequestUrl = "connection-request-url";
inline constexpr std::string_view kUdpConnectionRequestAddress = "udp-connection-request-address";
inline constexpr std::string_view kNatDetected = "nat-detected";
inline constexpr std::string_view kConfigFile = "config-file";
inline constexpr std::string_view kLineCount = "line-count";
inline constexpr std::string_view kIpPing = "ip-ping";
inline constexpr std::string_view kTraceRoute = "trace-route";
}  // namespace agent_source

// The DeviceSummary of this agent (TR-106 section 3.7 syntax): the root object with its
// supported profiles, then each service object with its instance number and profiles. Decision:
// only the profiles the model implements in full are claimed (IPPing/TraceRoute are stored by the
// agent but not run, so they are not listed):
//   "Device:1.1[](Baseline:1, LAN:1, Time:1, UDPConnReq:1), VoiceService:1.0[1](Endpoint:1,
//   SIPEndpoint:1)"
inline constexpr std::string_view kDeviceSummary =
    "Device:1.1[](Baseline:1, LAN:1, Time:1, UDPConnReq:1), "
    "VoiceService:1.0[1](Endpoint:1, SIPEndpoint:1)";

class AgentValues {
 public:
  void set(std::string_view source, std::string value) { bySource_[std::string(source)] = value; }
  void clear(std::string_view source) { bySource_.erase(std::string(source)); }
  std::optional<std::string> get(std::string_view source) const;

  // Per parameter (model path with "{i}", e.g. "Device.LAN.IPPingDiagnostics.Host") and instance.
  void setParameter(std::string_view path, const model::InstancePath& instances, std::string value);
  std::optional<std::string> getParameter(std::string_view path,
                                          const model::InstancePath& instances) const;

 private:
  static std::string parameterKey(std::string_view path, const model::InstancePath& instances);
  std::map<std::string, std::string, std::less<>> bySource_;
  std::map<std::string, std::string, std::less<>> byParameter_;
};

}  // namespace tr69::phone
