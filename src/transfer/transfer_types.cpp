#include "tr69/transfer/transfer_types.h"

namespace tr69::transfer {

std::string_view transferKindName(TransferKind kind) {
  switch (kind) {
    case TransferKind::kDownload:
      return "download";
    case TransferKind::kUpload:
      return "upload";
    case TransferKind::kScheduleDownload:
      return "scheduleDownload";
  }
  return "download";
}

std::string_view mEventName(TransferKind kind) {
  switch (kind) {
    case TransferKind::kDownload:
      return "M Download";
    case TransferKind::kUpload:
      return "M Upload";
    case TransferKind::kScheduleDownload:
      return "M ScheduleDownload";
  }
  return "M Download";
}

bool allowedInTransferComplete(FaultCode code) {
  const auto number = static_cast<std::uint32_t>(code);
  return number == 0 || number == 9001 || number == 9002 || number == 9010 || number == 9011 ||
         number == 9012 || (number >= 9014 && number <= 9020);
}

}  // namespace tr69::transfer
