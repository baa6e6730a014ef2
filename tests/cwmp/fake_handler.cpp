#include "fake_handler.h"

namespace tr69::cwmp::test {

Result<GetRPCMethodsResponse> CannedHandler::getRPCMethods(const GetRPCMethods& r) {
  lastRequest = r;
  return RpcHandler::getRPCMethods(r);
}

Result<GetParameterNamesResponse> CannedHandler::getParameterNames(const GetParameterNames& r) {
  lastRequest = r;
  return GetParameterNamesResponse{{
      {"Device.ManagementServer.URL", true},
      {"Device.ManagementServer.PeriodicInformInterval", true},
      {"Device.ManagementServer.ConnectionRequestURL", false},
      {"Device.ManagementServer.ManageableDevice.", false},
  }};
}

Result<GetParameterValuesResponse> CannedHandler::getParameterValues(const GetParameterValues& r) {
  lastRequest = r;
  return GetParameterValuesResponse{{
      {"Device.DeviceInfo.SoftwareVersion", "4.3.0.2036 <beta> & \"rc\"", "xsd:string"},
      {"Device.ManagementServer.PeriodicInformInterval", "3600", "xsd:unsignedInt"},
      {"Device.ManagementServer.PeriodicInformEnable", "1", "xsd:boolean"},
  }};
}

SetParameterValuesResult CannedHandler::setParameterValues(const SetParameterValues& r) {
  lastRequest = r;
  std::vector<ParameterFault> faults;
  for (const ParameterValue& v : r.values) {
    if (v.name.find("NoSuchParameter") != std::string::npos) {
      faults.push_back({v.name, FaultCode::kInvalidParameterName, "Invalid parameter name"});
    } else if (v.value.starts_with("-")) {
      faults.push_back({v.name, FaultCode::kInvalidParameterValue, "Invalid parameter value"});
    }
  }
  if (!faults.empty()) {
    return CwmpFault(FaultCode::kInvalidArguments, "Invalid arguments", std::move(faults));
  }
  return SetParameterValuesResponse{0};
}

Result<GetParameterAttributesResponse> CannedHandler::getParameterAttributes(
    const GetParameterAttributes& r) {
  lastRequest = r;
  return GetParameterAttributesResponse{{
      {"Device.ManagementServer.URL", 0, {}},
      {"Device.ManagementServer.PeriodicInformInterval", 2, {"Subscriber"}},
  }};
}

Result<SetParameterAttributesResponse> CannedHandler::setParameterAttributes(
    const SetParameterAttributes& r) {
  lastRequest = r;
  return SetParameterAttributesResponse{};
}

Result<AddObjectResponse> CannedHandler::addObject(const AddObject& r) {
  lastRequest = r;
  return AddObjectResponse{3, 0};
}

Result<DeleteObjectResponse> CannedHandler::deleteObject(const DeleteObject& r) {
  lastRequest = r;
  return DeleteObjectResponse{1};
}

Result<RebootResponse> CannedHandler::reboot(const Reboot& r) {
  lastRequest = r;
  return RebootResponse{};
}

Result<FactoryResetResponse> CannedHandler::factoryReset(const FactoryReset& r) {
  lastRequest = r;
  return FactoryResetResponse{};
}

Result<DownloadResponse> CannedHandler::download(const Download& r) {
  lastRequest = r;
  return DownloadResponse{};
}

Result<UploadResponse> CannedHandler::upload(const Upload& r) {
  lastRequest = r;
  UploadResponse response;
  response.status = 0;
  response.startTime = "2024-05-01T10:00:00Z";
  response.completeTime = "2024-05-01T10:00:02.5Z";
  return response;
}

Result<ScheduleInformResponse> CannedHandler::scheduleInform(const ScheduleInform& r) {
  lastRequest = r;
  return ScheduleInformResponse{};
}

Result<GetQueuedTransfersResponse> CannedHandler::getQueuedTransfers(const GetQueuedTransfers& r) {
  lastRequest = r;
  return GetQueuedTransfersResponse{{{"fw-7", 2}}};
}

Result<GetAllQueuedTransfersResponse> CannedHandler::getAllQueuedTransfers(
    const GetAllQueuedTransfers& r) {
  lastRequest = r;
  return GetAllQueuedTransfersResponse{{
      {"fw-7", 2, true, "1 Firmware Upgrade Image", 4194304, "6867i.st"},
      {"cfg-backup", 1, false, "1 Vendor Configuration File", 0, ""},
  }};
}

Result<ScheduleDownloadResponse> CannedHandler::scheduleDownload(const ScheduleDownload& r) {
  lastRequest = r;
  return ScheduleDownloadResponse{};
}

Result<CancelTransferResponse> CannedHandler::cancelTransfer(const CancelTransfer& r) {
  lastRequest = r;
  return CancelTransferResponse{};
}

}  // namespace tr69::cwmp::test
