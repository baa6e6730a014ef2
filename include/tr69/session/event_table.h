// The CWMP event table (cwmp.md 4.1/4.2): one row per event code the phone raises, stating its
// retention rules, so the engine never spells them as scattered conditions.
//
// Use: look an event up with findEventRule("4 VALUE CHANGE") or eventRule(EventCode::kValueChange);
// EventQueue (event_queue.h) applies the rules. Codes the phone never raises (5 KICKED,
// 9 REQUEST DOWNLOAD, 10..14, M ChangeDUState) are not in the table and are refused by the queue.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace tr69::session {

enum class EventCode {
  kBootstrap,            // "0 BOOTSTRAP"
  kBoot,                 // "1 BOOT"
  kPeriodic,             // "2 PERIODIC"
  kScheduled,            // "3 SCHEDULED"
  kValueChange,          // "4 VALUE CHANGE"
  kConnectionRequest,    // "6 CONNECTION REQUEST"
  kTransferComplete,     // "7 TRANSFER COMPLETE"
  kDiagnosticsComplete,  // "8 DIAGNOSTICS COMPLETE"
  kMReboot,              // "M Reboot"
  kMScheduleInform,      // "M ScheduleInform"
  kMDownload,            // "M Download"
  kMUpload,              // "M Upload"
  kMScheduleDownload,    // "M ScheduleDownload"
};

// Single: at most one per Inform, empty CommandKey. Multiple: one per occurrence, each with its
// own CommandKey.
enum class Multiplicity { kSingle, kMultiple };

// The response after which the event counts as delivered and is forgotten, even if the session
// fails later.
enum class DeliveredBy { kInformResponse, kTransferCompleteResponse };

// [UNVERIFIED] cwmp.md 4.1 note / 11.1: whether 7 TRANSFER COMPLETE and M Download / M Upload /
// M ScheduleDownload (with their pending TransferComplete results) survive a new BOOTSTRAP is not
// confirmed against TR-069 Amendment 6. RDK-B discards every undelivered event on BOOTSTRAP; this
// constant keeps that behaviour. It is the only place the choice is made.
inline constexpr bool kDiscardTransferEventsOnBootstrap = true;

struct EventRule {
  EventCode code;
  std::string_view wireName;  // exactly as in the Inform's EventCode element
  Multiplicity multiplicity;
  DeliveredBy deliveredBy;
  bool persistent;          // kept in the state journal across a reboot or crash
  bool discardOnBootstrap;  // dropped (if still undelivered) when 0 BOOTSTRAP is raised
  bool retryWhenAlone;      // false: a failed session holding only such events is not retried
};

inline constexpr std::array<EventRule, 13> kEventTable{{
    // code                            wire name                   S/M   delivered by       persist
    // bootstrap retry
    {EventCode::kBootstrap, "0 BOOTSTRAP", Multiplicity::kSingle, DeliveredBy::kInformResponse,
     true, false, true},
    {EventCode::kBoot, "1 BOOT", Multiplicity::kSingle, DeliveredBy::kInformResponse, false, true,
     true},
    {EventCode::kPeriodic, "2 PERIODIC", Multiplicity::kSingle, DeliveredBy::kInformResponse, true,
     true, true},
    {EventCode::kScheduled, "3 SCHEDULED", Multiplicity::kSingle, DeliveredBy::kInformResponse,
     true, true, true},
    {EventCode::kValueChange, "4 VALUE CHANGE", Multiplicity::kSingle, DeliveredBy::kInformResponse,
     false, true, true},
    {EventCode::kConnectionRequest, "6 CONNECTION REQUEST", Multiplicity::kSingle,
     DeliveredBy::kInformResponse, false, true, false},
    {EventCode::kTransferComplete, "7 TRANSFER COMPLETE", Multiplicity::kSingle,
     DeliveredBy::kTransferCompleteResponse, true, kDiscardTransferEventsOnBootstrap, true},
    {EventCode::kDiagnosticsComplete, "8 DIAGNOSTICS COMPLETE", Multiplicity::kSingle,
     DeliveredBy::kInformResponse, false, true, true},
    {EventCode::kMReboot, "M Reboot", Multiplicity::kMultiple, DeliveredBy::kInformResponse, true,
     true, true},
    {EventCode::kMScheduleInform, "M ScheduleInform", Multiplicity::kMultiple,
     DeliveredBy::kInformResponse, true, true, true},
    {EventCode::kMDownload, "M Download", Multiplicity::kMultiple,
     DeliveredBy::kTransferCompleteResponse, true, kDiscardTransferEventsOnBootstrap, true},
    {EventCode::kMUpload, "M Upload", Multiplicity::kMultiple,
     DeliveredBy::kTransferCompleteResponse, true, kDiscardTransferEventsOnBootstrap, true},
    {EventCode::kMScheduleDownload, "M ScheduleDownload", Multiplicity::kMultiple,
     DeliveredBy::kTransferCompleteResponse, true, kDiscardTransferEventsOnBootstrap, true},
}};

const EventRule& eventRule(EventCode code);
// Looks up a wire name ("M Download"); nullopt for codes the phone does not raise.
std::optional<EventCode> findEventCode(std::string_view wireName);
inline std::string_view wireName(EventCode code) {
  return eventRule(code).wireName;
}

// The numeric partner every M event travels with (M Reboot -> 1 BOOT, M ScheduleInform ->
// 3 SCHEDULED, M Download/Upload/ScheduleDownload -> 7 TRANSFER COMPLETE); nullopt otherwise.
std::optional<EventCode> partnerEvent(EventCode code);

}  // namespace tr69::session
