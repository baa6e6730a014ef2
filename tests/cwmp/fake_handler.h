// A deterministic RpcHandler for golden and dispatch tests: canned answers, and it remembers the
// last request it was given.
#pragma once

#include <optional>

#include "tr69/cwmp/rpc_handler.h"

namespace tr69::cwmp::test {

class CannedHandler : public RpcHandler {
 public:
  std::optional<AcsRequest> lastRequest;
  bool actionsAvailable = true;

  Result<GetParameterNamesResponse> getParameterNames(const GetParameterNames& r) override;
  Result<GetParameterValuesResponse> getParameterValues(const GetParameterValues& r) override;
  SetParameterValuesResult setParameterValues(const SetParameterValues& r) override;
  Result<GetParameterAttributesResponse> getParameterAttributes(
      const GetParameterAttributes& r) override;
  Result<SetParameterAttributesResponse> setParameterAttributes(
      const SetParameterAttributes& r) override;
  Result<AddObjectResponse> addObject(const AddObject& r) override;
  Result<DeleteObjectResponse> deleteObject(const DeleteObject& r) override;

  bool implementsAction(RpcMethod) const override { return actionsAvailable; }
  Result<RebootResponse> reboot(const Reboot& r) override;
  Result<FactoryResetResponse> factoryReset(const FactoryReset& r) override;
  Result<DownloadResponse> download(const Download& r) override;
  Result<UploadResponse> upload(const Upload& r) override;
  Result<ScheduleInformResponse> scheduleInform(const ScheduleInform& r) override;
  Result<GetQueuedTransfersResponse> getQueuedTransfers(const GetQueuedTransfers& r) override;
  Result<GetAllQueuedTransfersResponse> getAllQueuedTransfers(
      const GetAllQueuedTransfers& r) override;
  Result<ScheduleDownloadResponse> scheduleDownload(const ScheduleDownload& r) override;
  Result<CancelTransferResponse> cancelTransfer(const CancelTransfer& r) override;
  Result<GetRPCMethodsResponse> getRPCMethods(const GetRPCMethods& r) override;
};

}  // namespace tr69::cwmp::test
