#include "tr69/session/event_queue.h"

#include <algorithm>

namespace tr69::session {
namespace {

bool isTransferEvent(EventCode code) {
  return code == EventCode::kMDownload || code == EventCode::kMUpload ||
         code == EventCode::kMScheduleDownload;
}

}  // namespace

std::vector<Event> EventQueue::raise(EventCode code, std::string_view commandKey) {
  const EventRule& rule = eventRule(code);
  std::vector<Event> discarded;
  if (code == EventCode::kBootstrap) {
    auto dropped = std::stable_partition(entries_.begin(), entries_.end(), [](const Entry& e) {
      return !eventRule(e.event.code).discardOnBootstrap;
    });
    for (auto it = dropped; it != entries_.end(); ++it)
      discarded.push_back(it->event);
    entries_.erase(dropped, entries_.end());
  }
  if (rule.multiplicity == Multiplicity::kSingle) {
    // A single already carried by the in-flight Inform still needs a fresh entry when it is
    // delivered by that InformResponse: the new occurrence must reach the next session.
    const bool reuseSent = rule.deliveredBy != DeliveredBy::kInformResponse;
    for (const Entry& entry : entries_) {
      if (entry.event.code == code && (!entry.sent || reuseSent)) return discarded;
    }
    entries_.push_back(Entry{Event{code, {}}, false});
    return discarded;
  }
  // M ScheduleInform and the transfer M events never travel without their partner (3 / 7).
  // M Reboot is different: its partner 1 BOOT is raised by the boot that follows.
  if (const std::optional<EventCode> partner = partnerEvent(code);
      partner && *partner != EventCode::kBoot) {
    raise(*partner);
  }
  entries_.push_back(Entry{Event{code, std::string(commandKey)}, false});
  return discarded;
}

void EventQueue::mergeDuplicateSingles() {
  std::vector<Entry> merged;
  merged.reserve(entries_.size());
  for (Entry& entry : entries_) {
    const bool single = eventRule(entry.event.code).multiplicity == Multiplicity::kSingle;
    const bool seen = single && std::any_of(merged.begin(), merged.end(), [&](const Entry& m) {
                        return m.event.code == entry.event.code;
                      });
    if (!seen) merged.push_back(std::move(entry));
  }
  entries_ = std::move(merged);
}

std::vector<Event> EventQueue::informEvents() {
  mergeDuplicateSingles();
  std::vector<Event> out;
  out.reserve(entries_.size());
  for (Entry& entry : entries_) {
    entry.sent = true;
    out.push_back(entry.event);
  }
  return out;
}

std::vector<Event> EventQueue::pending() const {
  std::vector<Event> out;
  for (const Entry& entry : entries_) {
    const bool single = eventRule(entry.event.code).multiplicity == Multiplicity::kSingle;
    if (single && std::any_of(out.begin(), out.end(),
                              [&](const Event& e) { return e.code == entry.event.code; })) {
      continue;
    }
    out.push_back(entry.event);
  }
  return out;
}

bool EventQueue::contains(EventCode code) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& e) { return e.event.code == code; });
}

void EventQueue::onInformResponse() {
  std::erase_if(entries_, [](const Entry& e) {
    return e.sent && eventRule(e.event.code).deliveredBy == DeliveredBy::kInformResponse;
  });
}

bool EventQueue::onTransferCompleteResponse(std::string_view commandKey) {
  auto matches = [&](const Entry& e, bool wantSent) {
    return isTransferEvent(e.event.code) && e.event.commandKey == commandKey && e.sent == wantSent;
  };
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return matches(e, true); });
  if (it == entries_.end()) {
    it = std::find_if(entries_.begin(), entries_.end(),
                      [&](const Entry& e) { return matches(e, false); });
  }
  if (it == entries_.end()) return false;
  entries_.erase(it);
  const bool transfersLeft = std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) {
    return isTransferEvent(e.event.code);
  });
  if (!transfersLeft) {
    std::erase_if(entries_,
                  [](const Entry& e) { return e.event.code == EventCode::kTransferComplete; });
  }
  return true;
}

// [INFERRED] cwmp.md 1.6 says the retry policy follows an unsuccessful session; like icwmp and
// easycwmp we retry only while an event that warrants it is still undelivered. A session that
// fails after its InformResponse (every event delivered) is not retried: there is nothing left
// to deliver, and the next session (periodic, connection request, change) comes as usual.
bool EventQueue::onSessionFailed() {
  onSessionSucceeded();
  if (entries_.empty()) return false;
  const bool anyRetryable = std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) {
    return eventRule(e.event.code).retryWhenAlone;
  });
  if (!anyRetryable) entries_.clear();
  return anyRetryable;
}

void EventQueue::onSessionSucceeded() {
  for (Entry& entry : entries_)
    entry.sent = false;
  mergeDuplicateSingles();
}

std::vector<StoredEvent> EventQueue::persistentEvents() const {
  std::vector<StoredEvent> out;
  for (const Event& event : pending()) {
    if (eventRule(event.code).persistent) {
      out.push_back(StoredEvent{std::string(wireName(event.code)), event.commandKey});
    }
  }
  return out;
}

std::vector<StoredEvent> EventQueue::restore(const std::vector<StoredEvent>& stored) {
  entries_.clear();
  std::vector<StoredEvent> skipped;
  for (const StoredEvent& event : stored) {
    const std::optional<EventCode> code = findEventCode(event.code);
    if (!code || !eventRule(*code).persistent) {
      skipped.push_back(event);
      continue;
    }
    const bool single = eventRule(*code).multiplicity == Multiplicity::kSingle;
    entries_.push_back(Entry{Event{*code, single ? std::string() : event.commandKey}, false});
  }
  mergeDuplicateSingles();
  return skipped;
}

}  // namespace tr69::session
