#include "tr69/config/config_store.h"

#include <system_error>

#include "tr69/base/file_util.h"
#include "tr69/config/config_value.h"

namespace tr69::config {
namespace {

constexpr std::string_view kNotFoundPrefix = "not found";

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool isSafeFileStem(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

ConfigStore::ConfigStore(ConfigStoreOptions options, const Logger& log)
    : options_(std::move(options)), log_(log), snapshot_(std::make_shared<ConfigSnapshot>()) {
  if (!options_.mac.empty()) {
    if (const auto mac = normalizeMac(options_.mac)) {
      mac_ = *mac;
    } else {
      log_.error("config: malformed MAC '", options_.mac, "', no <mac>.cfg is read");
    }
  }
  if (!options_.model.empty() && !isSafeFileStem(options_.model)) {
    log_.error("config: unusable model name '", options_.model, "', no <model>.cfg is read");
    options_.model.clear();
  }
  (void)reload();
}

std::optional<std::string> ConfigStore::normalizeMac(std::string_view mac) {
  std::string out;
  for (const char c : mac) {
    if (c == ':' || c == '-') continue;
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return std::nullopt;
    out.push_back(c >= 'a' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  if (out.size() != 12) return std::nullopt;
  return out;
}

std::filesystem::path ConfigStore::resolveFile(std::string_view name) const {
  const std::filesystem::path exact = options_.directory / std::string(name);
  std::error_code ec;
  if (std::filesystem::exists(exact, ec)) return exact;
  const std::string wanted = lowerAscii(name);
  for (std::filesystem::directory_iterator it(options_.directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (lowerAscii(it->path().filename().string()) == wanted) return it->path();
  }
  return exact;
}

std::filesystem::path ConfigStore::pathOf(ConfigLayer layer) const {
  switch (layer) {
    case ConfigLayer::kAastra:
      return resolveFile("aastra.cfg");
    case ConfigLayer::kModel:
      return options_.model.empty() ? std::filesystem::path()
                                    : resolveFile(options_.model + ".cfg");
    case ConfigLayer::kMac:
      return mac_.empty() ? std::filesystem::path() : resolveFile(mac_ + ".cfg");
    case ConfigLayer::kLocal:
      return options_.directory / "local.cfg";
  }
  return {};
}

bool ConfigStore::readLayer(ConfigLayer layer) {
  const std::size_t i = index(layer);
  const std::filesystem::path path = pathOf(layer);
  if (path.empty()) {
    files_[i] = ConfigFile();
    present_[i] = false;
    return true;
  }
  Result<std::string> text = readFile(path, kMaxFileBytes);
  if (!text.ok()) {
    if (text.fault().code == FaultCode::kInvalidArguments &&
        text.fault().message.rfind(kNotFoundPrefix, 0) == 0) {
      files_[i] = ConfigFile();
      present_[i] = false;
      return true;
    }
    log_.error(path.string(), ": ", text.fault().message, "; file refused",
               present_[i] ? ", its previous content stays in force" : "");
    return false;
  }
  files_[i] = ConfigFile::parse(*text, path.filename().string(), log_);
  present_[i] = true;
  return true;
}

void ConfigStore::rebuildSnapshot() {
  ConfigSnapshot::Layers layers{};
  for (std::size_t i = 0; i < kLayerCount; ++i)
    layers[i] = present_[i] ? &files_[i] : nullptr;
  snapshot_ = std::make_shared<const ConfigSnapshot>(ConfigSnapshot::resolve(layers));
}

ConfigDiff ConfigStore::reload() {
  ConfigDiff diff;
  diff.before = snapshot_;
  for (const ConfigLayer layer :
       {ConfigLayer::kAastra, ConfigLayer::kModel, ConfigLayer::kMac, ConfigLayer::kLocal}) {
    (void)readLayer(layer);
  }
  rebuildSnapshot();
  diff.after = snapshot_;
  diff.changes = diffSnapshots(*diff.before, *diff.after);
  return diff;
}

}  // namespace tr69::config
