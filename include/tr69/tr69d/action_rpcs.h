// The action half of the CPE RPCs: Reboot, FactoryReset, ScheduleInform and the transfer RPCs.
// Reboot and FactoryReset only record what to do; the daemon does it after the session that
// asked for it has ended (design.md), so the ACS always gets its response first.
#pragma once

#include <optional>
#include <string>

#include "tr69/cwmp/rpc_handler.h"
#include "tr69/session/engine.h"
#include "tr69/transfer/transfer_manager.h"

namespace tr69::daemon {

enum class DeferredAction { kNone, kReboot, kFactoryReset };

class DeviceActionRpcs final : public cwmp::ActionRpcs {
 public:
  DeviceActionRpcs(session::Engine& engine, transfer::TransferManager& transfers)
      : engine_(engine), transfers_(transfers) {}

  bool implementsAction(cwmp::RpcMethod) const override { return true; }
  Result<cwmp::RebootResponse> reboot(const cwmp::Reboot& request) override;
  Result<cwmp::FactoryResetResponse> factoryReset(const cwmp::FactoryReset& request) override;
  Result<cwmp::DownloadResponse> download(const cwmp::Download& request) override;
  Result<cwmp::UploadResponse> upload(const cwmp::Upload& request) override;
  Result<cwmp::ScheduleInformResponse> scheduleInform(const cwmp::ScheduleInform& r) override;
  Result<cwmp::GetQueuedTransfersResponse> getQueuedTransfers(
      const cwmp::GetQueuedTransfers& request) override;
  Result<cwmp::GetAllQueuedTransfersResponse> getAllQueuedTransfers(
      const cwmp::GetAllQueuedTransfers& request) override;
  Result<cwmp::ScheduleDownloadResponse> scheduleDownload(
      const cwmp::ScheduleDownload& request) override;
  Result<cwmp::CancelTransferResponse> cancelTransfer(const cwmp::CancelTransfer& r) override;

  // What the current session asked for; taken (and cleared) by the daemon when it ends.
  DeferredAction takeDeferredAction();

 private:
  session::Engine& engine_;
  transfer::TransferManager& transfers_;
  DeferredAction deferred_ = DeferredAction::kNone;
};

}  // namespace tr69::daemon
