#include "tr69/cwmp/messages.h"

#include <array>

namespace tr69::cwmp {

std::string_view namespaceUri(CwmpVersion version) {
  switch (version) {
    case CwmpVersion::k1_0:
      return "urn:dslforum-org:cwmp-1-0";
    case CwmpVersion::k1_1:
      return "urn:dslforum-org:cwmp-1-1";
    case CwmpVersion::k1_2:
      break;
  }
  return "urn:dslforum-org:cwmp-1-2";
}

std::string_view methodName(RpcMethod method) {
  static constexpr std::array<std::string_view, kRpcMethodCount> kNames = {
      "GetRPCMethods",
      "GetParameterNames",
      "GetParameterValues",
      "SetParameterValues",
      "GetParameterAttributes",
      "SetParameterAttributes",
      "AddObject",
      "DeleteObject",
      "Reboot",
      "FactoryReset",
      "Download",
      "Upload",
      "ScheduleInform",
      "GetQueuedTransfers",
      "GetAllQueuedTransfers",
      "ScheduleDownload",
      "CancelTransfer",
  };
  auto index = static_cast<std::size_t>(method);
  return index < kNames.size() ? kNames[index] : std::string_view("Unknown");
}

}  // namespace tr69::cwmp
