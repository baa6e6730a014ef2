#include "tr69/tr69d/action_rpcs.h"

#include <utility>

namespace tr69::daemon {
namespace {

template <class Response>
Response transferResponse(const transfer::Accepted& accepted) {
  Response r;
  r.status = accepted.status;
  if (!accepted.startTime.empty()) r.startTime = accepted.startTime;
  if (!accepted.completeTime.empty()) r.completeTime = accepted.completeTime;
  return r;
}

}  // namespace

DeferredAction DeviceActionRpcs::takeDeferredAction() {
  return std::exchange(deferred_, DeferredAction::kNone);
}

Result<cwmp::RebootResponse> DeviceActionRpcs::reboot(const cwmp::Reboot& request) {
  // M Reboot (with 1 BOOT after the restart) is kept in the journal until the ACS has it.
  engine_.trigger(session::EventCode::kMReboot, request.commandKey);
  if (deferred_ != DeferredAction::kFactoryReset) deferred_ = DeferredAction::kReboot;
  return cwmp::RebootResponse{};
}

Result<cwmp::FactoryResetResponse> DeviceActionRpcs::factoryReset(const cwmp::FactoryReset&) {
  deferred_ = DeferredAction::kFactoryReset;
  return cwmp::FactoryResetResponse{};
}

Result<cwmp::DownloadResponse> DeviceActionRpcs::download(const cwmp::Download& r) {
  auto accepted =
      transfers_.download({r.commandKey, r.fileType, r.url, r.username, r.password, r.fileSize,
                           r.targetFileName, r.delaySeconds, r.successUrl, r.failureUrl});
  if (!accepted) return accepted.fault();
  return transferResponse<cwmp::DownloadResponse>(*accepted);
}

Result<cwmp::UploadResponse> DeviceActionRpcs::upload(const cwmp::Upload& r) {
  auto accepted =
      transfers_.upload({r.commandKey, r.fileType, r.url, r.username, r.password, r.delaySeconds});
  if (!accepted) return accepted.fault();
  return transferResponse<cwmp::UploadResponse>(*accepted);
}

Result<cwmp::ScheduleInformResponse> DeviceActionRpcs::scheduleInform(
    const cwmp::ScheduleInform& r) {
  if (r.delaySeconds == 0) {
    return Fault(FaultCode::kInvalidArguments, "ScheduleInform: DelaySeconds must be at least 1");
  }
  engine_.scheduleInform(std::chrono::seconds(r.delaySeconds), r.commandKey);
  return cwmp::ScheduleInformResponse{};
}

Result<cwmp::GetQueuedTransfersResponse> DeviceActionRpcs::getQueuedTransfers(
    const cwmp::GetQueuedTransfers&) {
  cwmp::GetQueuedTransfersResponse response;
  for (const auto& t : transfers_.queued()) {
    response.transfers.push_back({t.commandKey, static_cast<int>(t.state)});
  }
  return response;
}

Result<cwmp::GetAllQueuedTransfersResponse> DeviceActionRpcs::getAllQueuedTransfers(
    const cwmp::GetAllQueuedTransfers&) {
  cwmp::GetAllQueuedTransfersResponse response;
  for (const auto& t : transfers_.allQueued()) {
    response.transfers.push_back({t.commandKey, static_cast<int>(t.state), t.isDownload, t.fileType,
                                  t.fileSize, t.targetFileName});
  }
  return response;
}

Result<cwmp::ScheduleDownloadResponse> DeviceActionRpcs::scheduleDownload(
    const cwmp::ScheduleDownload& r) {
  transfer::ScheduleDownloadRequest request{
      r.commandKey, r.fileType, r.url, r.username, r.password, r.fileSize, r.targetFileName, {}};
  for (const auto& w : r.timeWindows) {
    request.timeWindows.push_back(
        {w.windowStart, w.windowEnd, w.windowMode, w.userMessage, w.maxRetries});
  }
  if (Status s = transfers_.scheduleDownload(request); !s) return s.fault();
  return cwmp::ScheduleDownloadResponse{};
}

Result<cwmp::CancelTransferResponse> DeviceActionRpcs::cancelTransfer(
    const cwmp::CancelTransfer& r) {
  if (Status s = transfers_.cancel(r.commandKey); !s) return s.fault();
  return cwmp::CancelTransferResponse{};
}

}  // namespace tr69::daemon
