#include "tr69/session/state_store.h"

#include <algorithm>
#include <charconv>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <system_error>

#include "tr69/base/crypto.h"
#include "tr69/base/file_util.h"

namespace tr69::session {
namespace {

namespace fs = std::filesystem;

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
  }
  if (i < in.size()) {
    const bool two = i + 1 < in.size();
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (two ? static_cast<unsigned char>(in[i + 1]) << 8 : 0u);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += two ? kBase64Alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64Decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const bool last = i + 4 == in.size();
    const int pad = last ? (in[i + 3] == '=' ? (in[i + 2] == '=' ? 2 : 1) : 0) : 0;
    int v[4];
    for (int j = 0; j < 4; ++j) {
      v[j] = j >= 4 - pad ? 0 : value(in[i + static_cast<std::size_t>(j)]);
      if (v[j] < 0) return std::nullopt;
    }
    const unsigned bits = (static_cast<unsigned>(v[0]) << 18) |
                          (static_cast<unsigned>(v[1]) << 12) | (static_cast<unsigned>(v[2]) << 6) |
                          static_cast<unsigned>(v[3]);
    out += static_cast<char>((bits >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((bits >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(bits & 0xff);
  }
  return out;
}

// Text that survives XML parsing unchanged goes in as is; anything else (control characters,
// leading or trailing blanks, whitespace-only) is base64 with encoding="base64".
bool storableAsText(std::string_view value) {
  if (value.empty()) return true;
  if (value.front() == ' ' || value.back() == ' ') return false;
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

void writeText(pugi::xml_node node, std::string_view value) {
  if (storableAsText(value)) {
    if (!value.empty()) node.text().set(std::string(value).c_str());
    return;
  }
  node.append_attribute("encoding") = "base64";
  node.text().set(base64Encode(value).c_str());
}

std::optional<std::string> readText(pugi::xml_node node) {
  if (!node) return std::nullopt;
  const std::string_view text = node.text().get();
  if (std::string_view(node.attribute("encoding").value()) == "base64") return base64Decode(text);
  return std::string(text);
}

template <class Int>
std::optional<Int> readNumber(pugi::xml_node node) {
  const std::optional<std::string> text = readText(node);
  if (!text || text->empty()) return std::nullopt;
  Int value{};
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

// Length-prefixed concatenation of a section's decoded fields; its MD5 guards the section.
class Canonical {
 public:
  explicit Canonical(std::string_view section) { add(section); }
  void add(std::string_view value) {
    bytes_ += std::to_string(value.size());
    bytes_ += ':';
    bytes_ += value;
  }
  std::string digest() const { return toHex(md5(bytes_)); }

 private:
  std::string bytes_;
};

void seal(pugi::xml_node section, const Canonical& canonical) {
  section.append_attribute("md5") = canonical.digest().c_str();
}

bool sealed(pugi::xml_node section, const Canonical& canonical) {
  return std::string_view(section.attribute("md5").value()) == canonical.digest();
}

// Each parser fills `out` only when the section is intact.
bool parseEvents(pugi::xml_node section, PersistentState& out) {
  Canonical canonical("events");
  std::vector<StoredEvent> events;
  for (pugi::xml_node node : section.children("event")) {
    auto code = readText(node.child("code"));
    auto key = readText(node.child("command-key"));
    if (!code || !key) return false;
    canonical.add(*code);
    canonical.add(*key);
    events.push_back(StoredEvent{std::move(*code), std::move(*key)});
  }
  if (!sealed(section, canonical)) return false;
  out.events = std::move(events);
  return true;
}

bool parseParameterKey(pugi::xml_node section, PersistentState& out) {
  auto key = readText(section);
  Canonical canonical("parameter-key");
  if (!key) return false;
  canonical.add(*key);
  if (!sealed(section, canonical)) return false;
  out.parameterKey = std::move(*key);
  return true;
}

bool parseAcsUrl(pugi::xml_node section, PersistentState& out) {
  const std::string_view set = section.attribute("set").value();
  auto url = readText(section);
  if (!url || (set != "0" && set != "1")) return false;
  Canonical canonical("acs-url");
  canonical.add(set);
  canonical.add(*url);
  if (!sealed(section, canonical)) return false;
  out.bootstrappedAcsUrl = set == "1" ? std::optional<std::string>(std::move(*url)) : std::nullopt;
  return true;
}

bool parseRetryCount(pugi::xml_node section, PersistentState& out) {
  auto count = readNumber<std::uint32_t>(section);
  if (!count) return false;
  Canonical canonical("retry-count");
  canonical.add(std::to_string(*count));
  if (!sealed(section, canonical)) return false;
  out.retryCount = *count;
  return true;
}

bool parseTransferResults(pugi::xml_node section, PersistentState& out) {
  Canonical canonical("transfer-results");
  std::vector<TransferResult> results;
  for (pugi::xml_node node : section.children("result")) {
    TransferResult result;
    auto key = readText(node.child("command-key"));
    auto code = readNumber<std::uint32_t>(node.child("fault-code"));
    auto text = readText(node.child("fault-string"));
    auto start = readText(node.child("start-time"));
    auto complete = readText(node.child("complete-time"));
    if (!key || !code || !text || !start || !complete) return false;
    for (const std::string* field : {&*key, &*text, &*start, &*complete})
      canonical.add(*field);
    canonical.add(std::to_string(*code));
    // Optional (older files have none); part of the checksum only when present.
    std::uint64_t transferId = 0;
    if (node.child("transfer-id")) {
      auto id = readNumber<std::uint64_t>(node.child("transfer-id"));
      if (!id) return false;
      transferId = *id;
      canonical.add(std::to_string(transferId));
    }
    results.push_back(TransferResult{std::move(*key), *code, std::move(*text), std::move(*start),
                                     std::move(*complete), transferId});
  }
  if (!sealed(section, canonical)) return false;
  out.transferResults = std::move(results);
  return true;
}

struct SectionParser {
  const char* element;
  bool (*parse)(pugi::xml_node, PersistentState&);
};

constexpr SectionParser kSections[] = {
    {"events", &parseEvents},
    {"parameter-key", &parseParameterKey},
    {"acs-url", &parseAcsUrl},
    {"retry-count", &parseRetryCount},
    {"transfer-results", &parseTransferResults},
};

std::string blobSection(std::string_view name) {
  return "blob:" + std::string(name);
}

// Copies section `name` of `from` into `to`.
void copySection(const std::string& name, const PersistentState& from, PersistentState& to) {
  if (name == "events") {
    to.events = from.events;
  } else if (name == "parameter-key") {
    to.parameterKey = from.parameterKey;
  } else if (name == "acs-url") {
    to.bootstrappedAcsUrl = from.bootstrappedAcsUrl;
  } else if (name == "retry-count") {
    to.retryCount = from.retryCount;
  } else if (name == "transfer-results") {
    to.transferResults = from.transferResults;
  } else if (name.rfind("blob:", 0) == 0) {
    const std::string blob = name.substr(5);
    auto it = from.blobs.find(blob);
    if (it != from.blobs.end()) to.blobs[blob] = it->second;
  }
}

bool contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

bool needsBootstrap(const PersistentState& state, std::string_view currentAcsUrl) {
  return !state.bootstrappedAcsUrl || *state.bootstrappedAcsUrl != currentAcsUrl;
}

bool isValidBlobName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string serializeState(const PersistentState& state, std::uint64_t generation) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("tr69-state");
  root.append_attribute("version") = 1;
  root.append_attribute("generation") = static_cast<unsigned long long>(generation);

  pugi::xml_node events = root.append_child("events");
  Canonical eventsCanonical("events");
  for (const StoredEvent& event : state.events) {
    pugi::xml_node node = events.append_child("event");
    writeText(node.append_child("code"), event.code);
    writeText(node.append_child("command-key"), event.commandKey);
    eventsCanonical.add(event.code);
    eventsCanonical.add(event.commandKey);
  }
  seal(events, eventsCanonical);

  pugi::xml_node parameterKey = root.append_child("parameter-key");
  writeText(parameterKey, state.parameterKey);
  Canonical keyCanonical("parameter-key");
  keyCanonical.add(state.parameterKey);
  seal(parameterKey, keyCanonical);

  pugi::xml_node acsUrl = root.append_child("acs-url");
  const std::string set = state.bootstrappedAcsUrl ? "1" : "0";
  const std::string url = state.bootstrappedAcsUrl.value_or("");
  acsUrl.append_attribute("set") = set.c_str();
  writeText(acsUrl, url);
  Canonical urlCanonical("acs-url");
  urlCanonical.add(set);
  urlCanonical.add(url);
  seal(acsUrl, urlCanonical);

  pugi::xml_node retry = root.append_child("retry-count");
  writeText(retry, std::to_string(state.retryCount));
  Canonical retryCanonical("retry-count");
  retryCanonical.add(std::to_string(state.retryCount));
  seal(retry, retryCanonical);

  pugi::xml_node transfers = root.append_child("transfer-results");
  Canonical transfersCanonical("transfer-results");
  for (const TransferResult& result : state.transferResults) {
    pugi::xml_node node = transfers.append_child("result");
    writeText(node.append_child("command-key"), result.commandKey);
    writeText(node.append_child("fault-code"), std::to_string(result.faultCode));
    writeText(node.append_child("fault-string"), result.faultString);
    writeText(node.append_child("start-time"), result.startTime);
    writeText(node.append_child("complete-time"), result.completeTime);
    for (const std::string* field :
         {&result.commandKey, &result.faultString, &result.startTime, &result.completeTime}) {
      transfersCanonical.add(*field);
    }
    transfersCanonical.add(std::to_string(result.faultCode));
    if (result.transferId != 0) {
      writeText(node.append_child("transfer-id"), std::to_string(result.transferId));
      transfersCanonical.add(std::to_string(result.transferId));
    }
  }
  seal(transfers, transfersCanonical);

  for (const auto& [name, content] : state.blobs) {
    pugi::xml_node blob = root.append_child("blob");
    blob.append_attribute("name") = name.c_str();
    writeText(blob, content);
    Canonical canonical(blobSection(name));
    canonical.add(content);
    seal(blob, canonical);
  }

  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

ParsedState parseState(std::string_view xml) {
  ParsedState parsed;
  pugi::xml_document doc;
  // No end-of-line or attribute whitespace conversion: values must come back byte for byte.
  const unsigned flags = pugi::parse_default & ~pugi::parse_eol & ~pugi::parse_wconv_attribute;
  const pugi::xml_parse_result result =
      doc.load_buffer(xml.data(), xml.size(), flags, pugi::encoding_utf8);
  parsed.wellFormed = static_cast<bool>(result);
  if (!result)
    parsed.error =
        std::string(result.description()) + " at offset " + std::to_string(result.offset);
  // A document cut short still holds everything before the cut; intact sections are used.
  const pugi::xml_node root = doc.child("tr69-state");
  if (!root) {
    if (parsed.wellFormed) {
      parsed.wellFormed = false;
      parsed.error = "no tr69-state element";
    }
    return parsed;
  }
  parsed.generation = root.attribute("generation").as_ullong(0);
  for (const SectionParser& section : kSections) {
    const pugi::xml_node node = root.child(section.element);
    if (!node) continue;
    if (section.parse(node, parsed.state)) {
      parsed.validSections.emplace_back(section.element);
    } else {
      parsed.invalidSections.emplace_back(section.element);
    }
  }
  for (pugi::xml_node node : root.children("blob")) {
    const std::string name = node.attribute("name").value();
    const std::string section = blobSection(name);
    if (contains(parsed.validSections, section)) continue;  // the first intact copy wins
    auto content = readText(node);
    Canonical canonical(section);
    if (content) canonical.add(*content);
    if (isValidBlobName(name) && content && sealed(node, canonical)) {
      parsed.state.blobs[name] = std::move(*content);
      parsed.validSections.push_back(section);
      std::erase(parsed.invalidSections, section);
    } else if (!contains(parsed.invalidSections, section)) {
      parsed.invalidSections.push_back(section);
    }
  }
  return parsed;
}

StateStore::StateStore(std::filesystem::path directory, const Logger& logger)
    : directory_(std::move(directory)), logger_(logger) {}

Result<PersistentState> StateStore::load() {
  recovered_.clear();
  lost_.clear();
  currentFileTrusted_ = false;
  lastSaved_.reset();
  std::error_code ec;
  if (!fs::is_directory(directory_, ec)) {
    const std::string message = (fs::exists(directory_, ec) ? "state directory is not a directory: "
                                                            : "state directory does not exist: ") +
                                directory_.string();
    logger_.error(message);
    return Fault(FaultCode::kInternalError, message);
  }
  const fs::path primaryPath = directory_ / kFileName;
  const fs::path backupPath = directory_ / kBackupName;

  Result<std::string> primaryText = readFile(primaryPath, kMaxFileBytes);
  const bool primaryMissing = !primaryText.ok() && !fs::exists(primaryPath, ec);
  std::optional<ParsedState> primary;
  if (primaryText.ok()) primary = parseState(*primaryText);
  if (primary && primary->wellFormed && primary->invalidSections.empty()) {
    generation_ = primary->generation;
    currentFileTrusted_ = true;
    return primary->state;
  }

  Result<std::string> backupText = readFile(backupPath, kMaxFileBytes);
  std::optional<ParsedState> backup;
  if (backupText.ok()) backup = parseState(*backupText);
  if (primaryMissing && !backup) {
    if (backupText.ok() || fs::exists(backupPath, ec)) {
      logger_.error("state: ", backupPath.string(), " is unreadable; starting with a fresh state");
    }
    return PersistentState{};  // first start
  }

  if (primaryMissing) {
    logger_.warning("state: ", primaryPath.string(),
                    " is missing; loading the previous generation from ", kBackupName);
  } else {
    const std::string reason = !primaryText.ok()      ? primaryText.fault().message
                               : !primary->wellFormed ? primary->error
                                                      : "damaged sections";
    logger_.error("state: ", primaryPath.string(), " is damaged (", reason,
                  "); recovering section by section, copy kept as ", kCorruptName);
    if (primaryText.ok()) {
      if (Status s = writeFileAtomic(directory_ / kCorruptName, *primaryText, 0600); !s) {
        logger_.warning("state: cannot keep the damaged copy: ", s.fault().message);
      }
    }
  }

  std::vector<std::string> names;
  for (const SectionParser& section : kSections)
    names.emplace_back(section.element);
  for (const ParsedState* parsed : {primary ? &*primary : nullptr, backup ? &*backup : nullptr}) {
    if (parsed == nullptr) continue;
    for (const auto* list : {&parsed->validSections, &parsed->invalidSections}) {
      for (const std::string& name : *list) {
        if (!contains(names, name)) names.push_back(name);
      }
    }
  }
  PersistentState state;
  for (const std::string& name : names) {
    if (primary && contains(primary->validSections, name)) {
      copySection(name, primary->state, state);
    } else if (backup && contains(backup->validSections, name)) {
      copySection(name, backup->state, state);
      recovered_.push_back(name);
      logger_.warning("state: section ", name, " recovered from ", kBackupName);
    } else if ((primary && contains(primary->invalidSections, name)) ||
               (backup && contains(backup->invalidSections, name))) {
      lost_.push_back(name);
      logger_.error("state: section ", name, " is damaged in both generations and starts empty");
    }
  }
  generation_ = std::max(primary ? primary->generation : 0, backup ? backup->generation : 0);
  return state;
}

Status StateStore::save(const PersistentState& state) {
  for (const auto& [name, content] : state.blobs) {
    if (!isValidBlobName(name)) {
      return Fault(FaultCode::kInvalidArguments, "state: invalid section name '" + name + "'");
    }
  }
  // The engine saves after every step that may change the state; most leave it as it was, and
  // each write costs a rotation and two fsyncs.
  if (lastSaved_ && *lastSaved_ == state) return {};
  const std::string content = serializeState(state, generation_ + 1);
  const fs::path primaryPath = directory_ / kFileName;
  std::error_code ec;
  if (currentFileTrusted_ && fs::exists(primaryPath, ec)) {
    fs::rename(primaryPath, directory_ / kBackupName, ec);
    if (ec) {
      const std::string message = "state: cannot keep the previous generation in " +
                                  directory_.string() + ": " + ec.message();
      logger_.error(message);
      return Fault(FaultCode::kInternalError, message);
    }
  }
  if (Status written = writeFileAtomic(primaryPath, content, 0600); !written) {
    logger_.error("state: cannot write ", primaryPath.string(), ": ", written.fault().message);
    return Fault(FaultCode::kInternalError, "cannot write state file " + primaryPath.string() +
                                                ": " + written.fault().message);
  }
  ++generation_;
  currentFileTrusted_ = true;
  lastSaved_ = state;
  return {};
}

}  // namespace tr69::session
