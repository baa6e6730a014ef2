#include "tr69/transfer/transfer_store.h"

#include <charconv>
#include <limits>
#include <optional>
#include <pugixml.hpp>
#include <sstream>

namespace tr69::transfer {
namespace {

constexpr std::size_t kMaxTextAttribute = 1024;

template <class Int>
std::optional<Int> parseInt(const char* text) {
  const std::string_view view(text);
  if (view.empty()) return std::nullopt;
  Int value{};
  const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (error != std::errc() || end != view.data() + view.size()) return std::nullopt;
  return value;
}

std::optional<TransferKind> parseKind(std::string_view text) {
  for (TransferKind kind :
       {TransferKind::kDownload, TransferKind::kUpload, TransferKind::kScheduleDownload}) {
    if (text == transferKindName(kind)) return kind;
  }
  return std::nullopt;
}

std::string_view phaseName(ResultPhase phase) {
  switch (phase) {
    case ResultPhase::kPending:
      return "pending";
    case ResultPhase::kFirmwareReady:
      return "firmware-ready";
    case ResultPhase::kFirmwareInstalling:
      return "firmware-installing";
  }
  return "pending";
}

std::optional<ResultPhase> parsePhase(std::string_view text) {
  for (ResultPhase phase :
       {ResultPhase::kPending, ResultPhase::kFirmwareReady, ResultPhase::kFirmwareInstalling}) {
    if (text == phaseName(phase)) return phase;
  }
  return std::nullopt;
}

// Reads a text attribute; false when it is longer than any value the module writes.
bool text(const pugi::xml_node& node, const char* name, std::string& out) {
  const char* value = node.attribute(name).as_string();
  out = value;
  return out.size() <= kMaxTextAttribute;
}

template <class Int>
bool number(const pugi::xml_node& node, const char* name, Int& out) {
  const auto value = parseInt<Int>(node.attribute(name).as_string());
  if (!value) return false;
  out = *value;
  return true;
}

std::optional<Job> parseJob(const pugi::xml_node& node) {
  Job job;
  int running = 0;
  const auto kind = parseKind(node.attribute("kind").as_string());
  if (!kind) return std::nullopt;
  job.kind = *kind;
  if (!number(node, "id", job.id) || job.id == 0 || !text(node, "command-key", job.commandKey) ||
      !text(node, "file-type", job.fileType) || !text(node, "url", job.url) ||
      !text(node, "username", job.username) || !text(node, "password", job.password) ||
      !number(node, "file-size", job.fileSize) || !text(node, "target", job.targetFileName) ||
      !number(node, "accepted-at", job.acceptedAt) || !number(node, "due-at", job.dueAt) ||
      !number(node, "running", running) || (running != 0 && running != 1) ||
      !number(node, "starts", job.starts) || job.starts < 0 ||
      !text(node, "start-time", job.startTime)) {
    return std::nullopt;
  }
  job.running = running == 1;
  for (const pugi::xml_node& child : node.children("window")) {
    StoredWindow window;
    if (!number(child, "start", window.start) || !number(child, "end", window.end) ||
        !text(child, "mode", window.mode) || !text(child, "message", window.message) ||
        !number(child, "max-retries", window.maxRetries) || window.end < window.start) {
      return std::nullopt;
    }
    job.windows.push_back(std::move(window));
  }
  const bool scheduled = job.kind == TransferKind::kScheduleDownload;
  if (scheduled != !job.windows.empty() || job.windows.size() > 2) return std::nullopt;
  return job;
}

std::optional<StoredResult> parseResult(const pugi::xml_node& node) {
  StoredResult stored;
  TransferResult& result = stored.result;
  const auto kind = parseKind(node.attribute("kind").as_string());
  const auto phase = parsePhase(node.attribute("phase").as_string());
  std::uint32_t code = 0;
  if (!kind || !phase) return std::nullopt;
  result.kind = *kind;
  stored.phase = *phase;
  if (!number(node, "id", result.id) || result.id == 0 ||
      !text(node, "command-key", result.commandKey) || !number(node, "fault-code", code) ||
      !allowedInTransferComplete(static_cast<FaultCode>(code)) ||
      !text(node, "fault-string", result.faultString) || !text(node, "start", result.startTime) ||
      !text(node, "complete", result.completeTime) || !text(node, "image", stored.image)) {
    return std::nullopt;
  }
  result.faultCode = static_cast<FaultCode>(code);
  if (stored.phase != ResultPhase::kPending && stored.image.empty()) return std::nullopt;
  return stored;
}

}  // namespace

std::string serializeState(const TransferState& state) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("transfers");
  root.append_attribute("version") = "1";
  root.append_attribute("next-id") = std::to_string(state.nextId).c_str();
  for (const Job& job : state.jobs) {
    pugi::xml_node node = root.append_child("job");
    node.append_attribute("id") = std::to_string(job.id).c_str();
    node.append_attribute("kind") = std::string(transferKindName(job.kind)).c_str();
    node.append_attribute("command-key") = job.commandKey.c_str();
    node.append_attribute("file-type") = job.fileType.c_str();
    node.append_attribute("url") = job.url.c_str();
    node.append_attribute("username") = job.username.c_str();
    node.append_attribute("password") = job.password.c_str();
    node.append_attribute("file-size") = std::to_string(job.fileSize).c_str();
    node.append_attribute("target") = job.targetFileName.c_str();
    node.append_attribute("accepted-at") = std::to_string(job.acceptedAt).c_str();
    node.append_attribute("due-at") = std::to_string(job.dueAt).c_str();
    node.append_attribute("running") = job.running ? "1" : "0";
    node.append_attribute("starts") = std::to_string(job.starts).c_str();
    node.append_attribute("start-time") = job.startTime.c_str();
    for (const StoredWindow& window : job.windows) {
      pugi::xml_node child = node.append_child("window");
      child.append_attribute("start") = std::to_string(window.start).c_str();
      child.append_attribute("end") = std::to_string(window.end).c_str();
      child.append_attribute("mode") = window.mode.c_str();
      child.append_attribute("message") = window.message.c_str();
      child.append_attribute("max-retries") = std::to_string(window.maxRetries).c_str();
    }
  }
  for (const StoredResult& stored : state.results) {
    const TransferResult& result = stored.result;
    pugi::xml_node node = root.append_child("result");
    node.append_attribute("id") = std::to_string(result.id).c_str();
    node.append_attribute("kind") = std::string(transferKindName(result.kind)).c_str();
    node.append_attribute("command-key") = result.commandKey.c_str();
    node.append_attribute("fault-code") =
        std::to_string(static_cast<std::uint32_t>(result.faultCode)).c_str();
    node.append_attribute("fault-string") = result.faultString.c_str();
    node.append_attribute("start") = result.startTime.c_str();
    node.append_attribute("complete") = result.completeTime.c_str();
    node.append_attribute("phase") = std::string(phaseName(stored.phase)).c_str();
    node.append_attribute("image") = stored.image.c_str();
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

Result<ParsedState> parseState(std::string_view xml) {
  if (xml.size() > kMaxStateFileBytes) {
    return Fault(FaultCode::kInternalError, "transfer state file too large");
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return Fault(FaultCode::kInternalError,
                 std::string("transfer state file is not valid XML: ") + parsed.description());
  }
  const pugi::xml_node root = doc.child("transfers");
  if (!root || std::string_view(root.attribute("version").as_string()) != "1") {
    return Fault(FaultCode::kInternalError, "transfer state file has no <transfers version=\"1\">");
  }
  ParsedState out;
  const auto nextId = parseInt<std::uint64_t>(root.attribute("next-id").as_string());
  out.state.nextId = nextId.value_or(1);
  if (!nextId) ++out.skippedEntries;
  std::uint64_t highest = 0;
  for (const pugi::xml_node& node : root.children()) {
    const std::string_view name = node.name();
    if (name == "job") {
      if (auto job = parseJob(node)) {
        highest = std::max(highest, job->id);
        out.state.jobs.push_back(std::move(*job));
        continue;
      }
    } else if (name == "result") {
      if (auto result = parseResult(node)) {
        highest = std::max(highest, result->result.id);
        out.state.results.push_back(std::move(*result));
        continue;
      }
    }
    ++out.skippedEntries;
  }
  // Ids stay unique even when next-id was damaged.
  if (highest == std::numeric_limits<std::uint64_t>::max()) {
    return Fault(FaultCode::kInternalError, "transfer state file has an id out of range");
  }
  out.state.nextId = std::max(out.state.nextId, highest + 1);
  return out;
}

}  // namespace tr69::transfer
