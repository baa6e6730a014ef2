#include "tr69/base/fault.h"

namespace tr69 {

std::string_view faultCodeText(FaultCode code) {
  switch (code) {
    case FaultCode::kNone:
      return "No fault";
    case FaultCode::kMethodNotSupported:
      return "Method not supported";
    case FaultCode::kRequestDenied:
      return "Request denied";
    case FaultCode::kInternalError:
      return "Internal error";
    case FaultCode::kInvalidArguments:
      return "Invalid arguments";
    case FaultCode::kResourcesExceeded:
      return "Resources exceeded";
    case FaultCode::kInvalidParameterName:
      return "Invalid parameter name";
    case FaultCode::kInvalidParameterType:
      return "Invalid parameter type";
    case FaultCode::kInvalidParameterValue:
      return "Invalid parameter value";
    case FaultCode::kNonWritableParameter:
      return "Attempt to set a non-writable parameter";
    case FaultCode::kNotificationRejected:
      return "Notification request rejected";
    case FaultCode::kTransferFailure:
      return "File transfer failure";
    case FaultCode::kUploadFailure:
      return "Upload failure";
    case FaultCode::kTransferServerAuthFailure:
      return "File transfer server authentication failure";
    case FaultCode::kUnsupportedTransferProtocol:
      return "Unsupported protocol for file transfer";
    case FaultCode::kMulticastJoinFailure:
      return "File transfer failure: unable to join multicast group";
    case FaultCode::kContactFileServerFailure:
      return "File transfer failure: unable to contact file server";
    case FaultCode::kAccessFileFailure:
      return "File transfer failure: unable to access file";
    case FaultCode::kCompleteDownloadFailure:
      return "File transfer failure: unable to complete download";
    case FaultCode::kFileCorrupted:
      return "File transfer failure: file corrupted";
    case FaultCode::kFileAuthenticationFailure:
      return "File transfer failure: file authentication failure";
    case FaultCode::kTimeWindowFailure:
      return "File transfer failure: unable to complete download within specified time windows";
    case FaultCode::kCancelNotPermitted:
      return "Cancelation of file transfer not permitted in current transfer state";
  }
  return "Unknown fault";
}

bool isClientFault(FaultCode code) {
  switch (code) {
    case FaultCode::kInvalidArguments:
    case FaultCode::kInvalidParameterName:
    case FaultCode::kInvalidParameterType:
    case FaultCode::kInvalidParameterValue:
    case FaultCode::kNonWritableParameter:
    case FaultCode::kCancelNotPermitted:
      return true;
    default:
      return false;
  }
}

}  // namespace tr69
