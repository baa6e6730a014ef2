// LocalEdit, planLocalEdit (the pure core) and ConfigStore::applyLocalEdit (the one writer of
// local.cfg).
#include <algorithm>
#include <map>

#include "tr69/base/file_util.h"
#include "tr69/config/config_store.h"
#include "tr69/config/config_value.h"
#include "tr69/config/sip_keys.h"

namespace tr69::config {

LocalEdit& LocalEdit::set(std::string_view key, std::string_view value) {
  ops_.push_back({Kind::kSet, normalizeKey(key), std::string(value), 0});
  return *this;
}

LocalEdit& LocalEdit::remove(std::string_view key) {
  ops_.push_back({Kind::kRemove, normalizeKey(key), {}, 0});
  return *this;
}

LocalEdit& LocalEdit::resetLine(int line) {
  ops_.push_back({Kind::kResetLine, {}, {}, line});
  return *this;
}

namespace {

constexpr int kMaxAttempts = 3;
// A key must read back as itself: a BOM in it would be dropped when it lands on the first line.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool hasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7F;
  });
}

Status validate(const LocalEdit& edit) {
  for (const LocalEdit::Operation& op : edit.operations()) {
    if (op.kind == LocalEdit::Kind::kResetLine) {
      if (op.line < 1 || op.line > kMaxSipLines) {
        return Fault(FaultCode::kInvalidArguments,
                     "line number out of range: " + std::to_string(op.line));
      }
      continue;
    }
    if (op.key.empty() || op.key.find(':') != std::string::npos || hasControl(op.key) ||
        !isValidUtf8(op.key) || op.key.front() == '!' || op.key.front() == '^' ||
        op.key.front() == '#' || op.key.find(kUtf8Bom) != std::string::npos) {
      return Fault(FaultCode::kInvalidArguments, "unusable configuration key");
    }
    if (op.kind == LocalEdit::Kind::kSet && (hasControl(op.value) || !isValidUtf8(op.value))) {
      return Fault(FaultCode::kInvalidParameterValue,
                   "value of '" + op.key + "' has control characters or invalid UTF-8");
    }
  }
  return {};
}

// local.cfg being rewritten: its lines with the key each one holds ("" for comments, blank and
// bad lines, which are carried over as they are).
class Working {
 public:
  explicit Working(const ConfigFile& file) {
    for (const ConfigLine& line : file.lines())
      lines_.push_back({line, {}, {}, false});
    for (const ConfigEntry& entry : file.entries()) {
      lines_[entry.lineIndex].key = entry.key;
      lines_[entry.lineIndex].value = entry.value;
    }
    for (const ConfigLine& line : file.lines()) {
      if (!line.ending.empty() && line.ending.back() == '\n') {
        newline_ = line.ending;
        break;
      }
    }
  }

  const std::string* value(std::string_view key) const {
    for (auto it = lines_.rbegin(); it != lines_.rend(); ++it) {
      if (!it->deleted && it->key == key) return &it->value;
    }
    return nullptr;
  }

  // Returns false when the new line would be too long.
  bool set(const std::string& key, const std::string& value, std::vector<std::string>& touched) {
    const std::string formatted = formatValue(key, value);
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      if (!lines_[i].deleted && lines_[i].key == key) found.push_back(i);
    }
    if (found.size() == 1 && lines_[found[0]].value == value) return true;
    touched.push_back(key);
    if (!found.empty()) {
      for (std::size_t k = 0; k + 1 < found.size(); ++k)
        lines_[found[k]].deleted = true;
      Line& line = lines_[found.back()];
      const std::size_t colon = line.source.text.find(':');
      const bool spaced =
          colon + 1 < line.source.text.size() &&
          (line.source.text[colon + 1] == ' ' || line.source.text[colon + 1] == '\t');
      std::string text = line.source.text.substr(0, colon + 1);
      if (!formatted.empty()) text += (spaced ? " " : "") + formatted;
      if (text.size() > kMaxLineBytes) return false;
      line.source.text = std::move(text);
      line.value = value;
      return true;
    }
    std::string text = key + ":" + (formatted.empty() ? "" : " " + formatted);
    if (text.size() > kMaxLineBytes) return false;
    for (auto it = lines_.rbegin(); it != lines_.rend(); ++it) {
      if (it->deleted) continue;
      // A last line without line end ("", or a lone CR at the end of the file) gets one.
      if (it->source.ending.empty()) it->source.ending = newline_;
      if (it->source.ending == "\r") it->source.ending = "\r\n";
      break;
    }
    lines_.push_back({{std::move(text), newline_}, key, value, false});
    return true;
  }

  template <class Pred>
  void removeIf(Pred pred, std::vector<std::string>& touched) {
    for (Line& line : lines_) {
      if (!line.deleted && !line.key.empty() && pred(line.key)) {
        line.deleted = true;
        touched.push_back(line.key);
      }
    }
  }

  std::string serialize() const {
    std::string out;
    for (const Line& line : lines_) {
      if (line.deleted) continue;
      out += line.source.text;
      out += line.source.ending;
    }
    return out;
  }

 private:
  struct Line {
    ConfigLine source;
    std::string key;
    std::string value;
    bool deleted = false;
  };
  std::vector<Line> lines_;
  std::string newline_ = "\n";
};

}  // namespace

Result<EditPlan> planLocalEdit(const ConfigFile& local, const ConfigSnapshot& server,
                               const LocalEdit& edit, const EditOptions& options) {
  if (Status valid = validate(edit); !valid.ok()) return valid.fault();
  for (const LocalEdit::Operation& op : edit.operations()) {
    if (op.kind == LocalEdit::Kind::kResetLine) continue;
    const EffectiveValue* v = server.find(op.key);
    if (v != nullptr && v->locked) {
      return Fault(FaultCode::kRequestDenied,
                   "'" + op.key + "' is locked by " + server.fileName(v->source));
    }
  }

  Working working(local);
  std::vector<std::string> touched;
  std::map<int, std::vector<SipKeySet>> copiedSets;

  auto effective = [&](const std::string& key) -> std::optional<std::string> {
    const EffectiveValue* s = server.find(key);
    if (s != nullptr && (s->locked || s->forced)) return s->value;
    if (const std::string* w = working.value(key)) return *w;
    if (s != nullptr) return s->value;
    return std::nullopt;
  };
  auto batchSets = [&](const std::string& key) {
    return std::any_of(edit.operations().begin(), edit.operations().end(),
                       [&](const LocalEdit::Operation& o) {
                         return o.kind == LocalEdit::Kind::kSet && o.key == key;
                       });
  };
  auto tooLong = [](const std::string& key) {
    return Fault(FaultCode::kInvalidParameterValue,
                 "line for '" + key + "' longer than " + std::to_string(kMaxLineBytes) + " bytes");
  };

  for (const LocalEdit::Operation& op : edit.operations()) {
    switch (op.kind) {
      case LocalEdit::Kind::kSet: {
        const auto parts = parseSipKey(op.key);
        const SipKeySet set = parts ? sipKeySetOf(parts->suffix) : SipKeySet::kNone;
        if (options.copyGlobalSetOnFirstLineWrite && parts && parts->line > 0 &&
            set != SipKeySet::kNone) {
          auto& done = copiedSets[parts->line];
          const auto members = sipSetSuffixes(set);
          const bool lineHasSet =
              std::any_of(members.begin(), members.end(), [&](std::string_view m) {
                const std::string key = sipLineKey(parts->line, m);
                return server.contains(key) || working.value(key) != nullptr;
              });
          if (!lineHasSet && std::find(done.begin(), done.end(), set) == done.end()) {
            done.push_back(set);
            for (const std::string_view member : members) {
              const std::string lineKey = sipLineKey(parts->line, member);
              if (batchSets(lineKey)) continue;
              const auto global = effective(sipGlobalKey(member));
              if (global && !working.set(lineKey, *global, touched)) return tooLong(lineKey);
            }
          }
        }
        if (!working.set(op.key, op.value, touched)) return tooLong(op.key);
        break;
      }
      case LocalEdit::Kind::kRemove:
        working.removeIf([&](const std::string& key) { return key == op.key; }, touched);
        break;
      case LocalEdit::Kind::kResetLine:
        working.removeIf(
            [&](const std::string& key) {
              const auto parts = parseSipKey(key);
              return parts && parts->line == op.line;
            },
            touched);
        break;
    }
  }

  EditPlan plan;
  plan.content = working.serialize();
  if (plan.content.size() > kMaxFileBytes) {
    return Fault(FaultCode::kResourcesExceeded,
                 "local.cfg would exceed " + std::to_string(kMaxFileBytes) + " bytes");
  }
  if (plan.content != local.serialize()) {
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    plan.keysTouched = std::move(touched);
  }
  return plan;
}

Result<EditResult> ConfigStore::applyLocalEdit(const LocalEdit& edit, const EditOptions& options) {
  if (Status valid = validate(edit); !valid.ok()) return valid.fault();
  const std::filesystem::path path = pathOf(ConfigLayer::kLocal);
  const std::size_t local = index(ConfigLayer::kLocal);
  EditResult result;

  auto readCurrent = [&]() -> Result<std::string> {
    Result<std::string> disk = readFile(path, kMaxFileBytes);
    if (disk.ok()) return disk;
    if (disk.fault().code == FaultCode::kInvalidArguments &&
        disk.fault().message.rfind("not found", 0) == 0) {
      return std::string();
    }
    if (disk.fault().code == FaultCode::kResourcesExceeded) return disk.fault();
    return Fault(FaultCode::kInternalError, disk.fault().message);
  };

  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    Result<std::string> current = readCurrent();
    if (!current.ok()) return current.fault();
    if (*current != files_[local].serialize()) {
      log_.info(path.string(), ": changed on disk since it was read; re-reading before the edit");
      ConfigDiff diff = reload();
      if (result.externalChanges) {
        diff.before = result.externalChanges->before;
        diff.changes = diffSnapshots(*diff.before, *diff.after);
      }
      result.externalChanges = std::move(diff);
      if (files_[local].serialize() != *current) continue;  // changed again meanwhile
    }

    ConfigSnapshot::Layers serverLayers{};
    for (std::size_t i = 0; i < local; ++i)
      serverLayers[i] = present_[i] ? &files_[i] : nullptr;
    Result<EditPlan> plan =
        planLocalEdit(files_[local], ConfigSnapshot::resolve(serverLayers), edit, options);
    if (!plan.ok()) return plan.fault();
    if (plan->content == *current) return result;
    // Last look before the write: an edit that landed while the batch was prepared wins a retry.
    Result<std::string> again = readCurrent();
    if (!again.ok()) return again.fault();
    if (*again != *current) continue;

    if (Status written = writeFileAtomic(path, plan->content, kLocalConfigMode); !written.ok()) {
      log_.error(path.string(), ": edit not written: ", written.fault().message);
      return Fault(FaultCode::kInternalError, written.fault().message);
    }
    files_[local] = ConfigFile::parse(plan->content, path.filename().string(), log_);
    present_[local] = true;
    rebuildSnapshot();

    for (const std::string& key : plan->keysTouched) {
      if (const auto parts = parseSipKey(key)) {
        if (parts->line > 0) {
          result.linesTouched.insert(parts->line);
        } else {
          result.globalSipTouched = true;
        }
      }
    }
    for (const LocalEdit::Operation& op : edit.operations()) {
      if (op.kind != LocalEdit::Kind::kSet) continue;
      const EffectiveValue* v = snapshot_->find(op.key);
      if (v != nullptr && v->forced) result.shadowedKeys.push_back(op.key);
    }
    result.keysTouched = std::move(plan->keysTouched);
    result.written = true;
    return result;
  }
  return Fault(FaultCode::kInternalError,
               path.string() + " keeps changing on disk; edit not applied");
}

}  // namespace tr69::config
