// The CPE side of every ACS request: what the dispatcher (dispatcher.h) calls once the codec has
// decoded a request. Faults are values: Result<T> carries a Fault with the CWMP code
// (base/fault.h); SetParameterValues can also name every failing parameter
// (CwmpFault::parameterFaults).
//
// The interface is split the way the agent is: ParameterRpcs maps 1:1 onto the parameter tree
// (module `model`), ActionRpcs onto the modules that reboot, transfer files and schedule informs.
// RpcHandler is the union the dispatcher talks to; CombinedRpcHandler builds one from the parts.
#pragma once

#include <variant>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/cwmp/messages.h"

namespace tr69::cwmp {

// The response, or a fault; with per-parameter entries the fault code is 9003 (the dispatcher
// enforces this).
using SetParameterValuesResult = std::variant<SetParameterValuesResponse, CwmpFault>;

// GetParameterNames .. DeleteObject, answered from the parameter tree.
class ParameterRpcs {
 public:
  virtual ~ParameterRpcs() = default;
  virtual Result<GetParameterNamesResponse> getParameterNames(const GetParameterNames& request) = 0;
  virtual Result<GetParameterValuesResponse> getParameterValues(
      const GetParameterValues& request) = 0;
  virtual SetParameterValuesResult setParameterValues(const SetParameterValues& request) = 0;
  virtual Result<GetParameterAttributesResponse> getParameterAttributes(
      const GetParameterAttributes& request) = 0;
  virtual Result<SetParameterAttributesResponse> setParameterAttributes(
      const SetParameterAttributes& request) = 0;
  virtual Result<AddObjectResponse> addObject(const AddObject& request) = 0;
  virtual Result<DeleteObjectResponse> deleteObject(const DeleteObject& request) = 0;
};

// Reboot, FactoryReset, transfers and ScheduleInform: the device actions.
class ActionRpcs {
 public:
  virtual ~ActionRpcs() = default;
  // Whether this action method is available. Unavailable ones are left out of the
  // GetRPCMethodsResponse and answered with fault 9000 without calling the method below.
  virtual bool implementsAction(RpcMethod method) const = 0;
  virtual Result<RebootResponse> reboot(const Reboot& request) = 0;
  virtual Result<FactoryResetResponse> factoryReset(const FactoryReset& request) = 0;
  virtual Result<DownloadResponse> download(const Download& request) = 0;
  virtual Result<UploadResponse> upload(const Upload& request) = 0;
  virtual Result<ScheduleInformResponse> scheduleInform(const ScheduleInform& request) = 0;
  virtual Result<GetQueuedTransfersResponse> getQueuedTransfers(
      const GetQueuedTransfers& request) = 0;
  virtual Result<GetAllQueuedTransfersResponse> getAllQueuedTransfers(
      const GetAllQueuedTransfers& request) = 0;
  virtual Result<ScheduleDownloadResponse> scheduleDownload(const ScheduleDownload& request) = 0;
  virtual Result<CancelTransferResponse> cancelTransfer(const CancelTransfer& request) = 0;
};

bool isParameterMethod(RpcMethod method);  // GetParameterNames .. DeleteObject
bool isActionMethod(RpcMethod method);     // Reboot .. CancelTransfer

// Every CPE RPC: one virtual per method (GetRPCMethods has a default answer).
class RpcHandler : public ParameterRpcs, public ActionRpcs {
 public:
  // GetRPCMethods, the parameter methods and the available actions.
  bool implements(RpcMethod method) const;
  // Lists exactly the implemented methods, in RpcMethod order.
  virtual Result<GetRPCMethodsResponse> getRPCMethods(const GetRPCMethods& request);
};

// An RpcHandler made of a parameter part and an action part (neither owned).
class CombinedRpcHandler final : public RpcHandler {
 public:
  CombinedRpcHandler(ParameterRpcs& parameters, ActionRpcs& actions)
      : parameters_(parameters), actions_(actions) {}

  Result<GetParameterNamesResponse> getParameterNames(const GetParameterNames& r) override {
    return parameters_.getParameterNames(r);
  }
  Result<GetParameterValuesResponse> getParameterValues(const GetParameterValues& r) override {
    return parameters_.getParameterValues(r);
  }
  SetParameterValuesResult setParameterValues(const SetParameterValues& r) override {
    return parameters_.setParameterValues(r);
  }
  Result<GetParameterAttributesResponse> getParameterAttributes(
      const GetParameterAttributes& r) override {
    return parameters_.getParameterAttributes(r);
  }
  Result<SetParameterAttributesResponse> setParameterAttributes(
      const SetParameterAttributes& r) override {
    return parameters_.setParameterAttributes(r);
  }
  Result<AddObjectResponse> addObject(const AddObject& r) override {
    return parameters_.addObject(r);
  }
  Result<DeleteObjectResponse> deleteObject(const DeleteObject& r) override {
    return parameters_.deleteObject(r);
  }

  bool implementsAction(RpcMethod method) const override {
    return actions_.implementsAction(method);
  }
  Result<RebootResponse> reboot(const Reboot& r) override { return actions_.reboot(r); }
  Result<FactoryResetResponse> factoryReset(const FactoryReset& r) override {
    return actions_.factoryReset(r);
  }
  Result<DownloadResponse> download(const Download& r) override { return actions_.download(r); }
  Result<UploadResponse> upload(const Upload& r) override { return actions_.upload(r); }
  Result<ScheduleInformResponse> scheduleInform(const ScheduleInform& r) override {
    return actions_.scheduleInform(r);
  }
  Result<GetQueuedTransfersResponse> getQueuedTransfers(const GetQueuedTransfers& r) override {
    return actions_.getQueuedTransfers(r);
  }
  Result<GetAllQueuedTransfersResponse> getAllQueuedTransfers(
      const GetAllQueuedTransfers& r) override {
    return actions_.getAllQueuedTransfers(r);
  }
  Result<ScheduleDownloadResponse> scheduleDownload(const ScheduleDownload& r) override {
    return actions_.scheduleDownload(r);
  }
  Result<CancelTransferResponse> cancelTransfer(const CancelTransfer& r) override {
    return actions_.cancelTransfer(r);
  }

 private:
  ParameterRpcs& parameters_;
  ActionRpcs& actions_;
};

// The action part until the modules that reboot, transfer and schedule exist: every action is
// unavailable, so the dispatcher answers 9000 and GetRPCMethods does not list it; called
// directly, each method returns fault 9000 naming the method. It never pretends success.
class RejectingActions final : public ActionRpcs {
 public:
  bool implementsAction(RpcMethod) const override { return false; }
  Result<RebootResponse> reboot(const Reboot&) override;
  Result<FactoryResetResponse> factoryReset(const FactoryReset&) override;
  Result<DownloadResponse> download(const Download&) override;
  Result<UploadResponse> upload(const Upload&) override;
  Result<ScheduleInformResponse> scheduleInform(const ScheduleInform&) override;
  Result<GetQueuedTransfersResponse> getQueuedTransfers(const GetQueuedTransfers&) override;
  Result<GetAllQueuedTransfersResponse> getAllQueuedTransfers(
      const GetAllQueuedTransfers&) override;
  Result<ScheduleDownloadResponse> scheduleDownload(const ScheduleDownload&) override;
  Result<CancelTransferResponse> cancelTransfer(const CancelTransfer&) override;
};

}  // namespace tr69::cwmp
