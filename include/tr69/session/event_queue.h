// The events waiting to be delivered to the ACS, with the retention rules of event_table.h.
//
// How the session engine uses it:
//   * raise(...) whenever something happens (boot, periodic timer, connection request, a Reboot
//     RPC with its CommandKey, a finished transfer, ...). Raise 0 BOOTSTRAP before 1 BOOT at
//     start-up: raising BOOTSTRAP drops the undelivered events that were queued before it and whose
//     rule says discardOnBootstrap (raise() returns them, so the engine can also drop what belongs
//     to them, such as pending TransferComplete results or VALUE CHANGE values).
//   * informEvents() when building the Inform: every undelivered event, singles once. The returned
//     events are remembered as "sent in the current Inform".
//   * onInformResponse() when the InformResponse arrives: events delivered by it are forgotten,
//     even if the session fails later (cwmp.md 4.2).
//   * onTransferCompleteResponse(commandKey) for each TransferCompleteResponse.
//   * onSessionFailed() when the session ends unsuccessfully: it says whether to retry (false when
//     nothing retryable is left, e.g. only 6 CONNECTION REQUEST) and makes everything undelivered
//     eligible for the next Inform again. onSessionSucceeded() after a clean end.
//   * persistentEvents() / restore(): the subset that survives a reboot (StateStore section
//     "events"); restore() at start-up, before raising BOOTSTRAP / BOOT.
// Events raised during a session (after informEvents()) wait for the next session: an
// InformResponse never removes an event it did not carry.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/session/event_table.h"

namespace tr69::session {

struct Event {
  EventCode code;
  std::string commandKey;  // empty for single events
  bool operator==(const Event&) const = default;
};

// An event as it is written to the state journal.
struct StoredEvent {
  std::string code;  // wire name, e.g. "M Download"
  std::string commandKey;
  bool operator==(const StoredEvent&) const = default;
};

class EventQueue {
 public:
  // Adds an event. Singles collapse (the CommandKey of a single is ignored); every M event is
  // kept with its CommandKey. M ScheduleInform / M Download / M Upload / M ScheduleDownload also
  // raise their partner (3 SCHEDULED / 7 TRANSFER COMPLETE); M Reboot does not (1 BOOT comes
  // with the boot). For BOOTSTRAP, returns the undelivered events it discarded.
  std::vector<Event> raise(EventCode code, std::string_view commandKey = {});

  // The Inform's event list, in the order the events were raised, and marks them as sent.
  std::vector<Event> informEvents();
  // The same list without marking anything (for logs and tests).
  std::vector<Event> pending() const;
  bool empty() const { return entries_.empty(); }
  bool contains(EventCode code) const;

  void onInformResponse();
  // Forgets the first sent M Download/Upload/ScheduleDownload with this CommandKey, and
  // 7 TRANSFER COMPLETE once no transfer event is left. Returns false when nothing matched.
  bool onTransferCompleteResponse(std::string_view commandKey);

  // Returns whether the failed session should be retried; events that must not be retried alone
  // are dropped when nothing else is pending.
  bool onSessionFailed();
  void onSessionSucceeded();

  std::vector<StoredEvent> persistentEvents() const;
  // Replaces the queue with stored events; unknown codes are skipped and returned.
  std::vector<StoredEvent> restore(const std::vector<StoredEvent>& stored);

 private:
  struct Entry {
    Event event;
    bool sent = false;  // carried by the Inform of the current session
  };
  void mergeDuplicateSingles();

  std::vector<Entry> entries_;
};

}  // namespace tr69::session
