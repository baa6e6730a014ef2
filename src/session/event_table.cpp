#include "tr69/session/event_table.h"

#include <cstddef>

namespace tr69::session {

const EventRule& eventRule(EventCode code) {
  // The rows follow the enum order (checked by the static_assert below).
  return kEventTable[static_cast<std::size_t>(code)];
}

std::optional<EventCode> findEventCode(std::string_view wireName) {
  for (const EventRule& rule : kEventTable) {
    if (rule.wireName == wireName) return rule.code;
  }
  return std::nullopt;
}

std::optional<EventCode> partnerEvent(EventCode code) {
  switch (code) {
    case EventCode::kMReboot:
      return EventCode::kBoot;
    case EventCode::kMScheduleInform:
      return EventCode::kScheduled;
    case EventCode::kMDownload:
    case EventCode::kMUpload:
    case EventCode::kMScheduleDownload:
      return EventCode::kTransferComplete;
    default:
      return std::nullopt;
  }
}

namespace {
constexpr bool tableMatchesEnumOrder() {
  for (std::size_t i = 0; i < kEventTable.size(); ++i) {
    if (static_cast<std::size_t>(kEventTable[i].code) != i) return false;
  }
  return true;
}
static_assert(tableMatchesEnumOrder(), "kEventTable rows must follow the EventCode order");
}  // namespace

}  // namespace tr69::session
