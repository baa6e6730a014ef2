#include "tr69/cwmp/rpc_handler.h"

namespace tr69::cwmp {
namespace {

Fault unavailable(RpcMethod method) {
  return Fault(FaultCode::kMethodNotSupported,
               "Method not supported: " + std::string(methodName(method)) +
                   " has no device action backend in this agent");
}

}  // namespace

Result<RebootResponse> RejectingActions::reboot(const Reboot&) {
  return unavailable(RpcMethod::kReboot);
}
Result<FactoryResetResponse> RejectingActions::factoryReset(const FactoryReset&) {
  return unavailable(RpcMethod::kFactoryReset);
}
Result<DownloadResponse> RejectingActions::download(const Download&) {
  return unavailable(RpcMethod::kDownload);
}
Result<UploadResponse> RejectingActions::upload(const Upload&) {
  return unavailable(RpcMethod::kUpload);
}
Result<ScheduleInformResponse> RejectingActions::scheduleInform(const ScheduleInform&) {
  return unavailable(RpcMethod::kScheduleInform);
}
Result<GetQueuedTransfersResponse> RejectingActions::getQueuedTransfers(const GetQueuedTransfers&) {
  return unavailable(RpcMethod::kGetQueuedTransfers);
}
Result<GetAllQueuedTransfersResponse> RejectingActions::getAllQueuedTransfers(
    const GetAllQueuedTransfers&) {
  return unavailable(RpcMethod::kGetAllQueuedTransfers);
}
Result<ScheduleDownloadResponse> RejectingActions::scheduleDownload(const ScheduleDownload&) {
  return unavailable(RpcMethod::kScheduleDownload);
}
Result<CancelTransferResponse> RejectingActions::cancelTransfer(const CancelTransfer&) {
  return unavailable(RpcMethod::kCancelTransfer);
}

}  // namespace tr69::cwmp
