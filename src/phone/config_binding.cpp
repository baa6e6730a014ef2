#include "tr69/phone/config_binding.h"

#include <algorithm>
#include <array>
#include <vector>

#include "tr69/config/config_value.h"
#include "tr69/config/sip_keys.h"
#include "tr69/config/tr69_settings.h"
#include "tr69/datamodel/value.h"

namespace tr69::phone {
namespace {

constexpr std::string_view kManagementServer = "Device.ManagementServer.";
constexpr std::string_view kDtmfSuffix = "dtmf method";
constexpr std::string_view kOutOfBandDtmf = "sip out-of-band dtmf";
constexpr std::string_view kStunPort = "sip stun port";

// Tables on the parameter's path, outermost first (index = position in InstancePath).
class TablesOnPath {
 public:
  TablesOnPath(const datamodel::Model& model, const datamodel::ParamDesc& param) {
    for (auto o = static_cast<std::int32_t>(param.object); o != datamodel::kNoIndex;
         o = model.objects[static_cast<std::size_t>(o)].parent) {
      const auto& object = model.objects[static_cast<std::size_t>(o)];
      if (object.isTable && size_ < tables_.size()) tables_[size_++] = &object;
    }
    std::reverse(tables_.begin(), tables_.begin() + static_cast<std::ptrdiff_t>(size_));
  }
  std::size_t size() const { return size_; }
  const datamodel::ObjectDesc* operator[](std::size_t level) const { return tables_[level]; }

 private:
  std::array<const datamodel::ObjectDesc*, datamodel::kMaxDepth> tables_{};
  std::size_t size_ = 0;
};

std::string_view relativeManagementServerName(const datamodel::ParamDesc& param) {
  if (param.path.substr(0, kManagementServer.size()) != kManagementServer) return {};
  return param.path.substr(kManagementServer.size());
}

bool isDtmfEnum(const datamodel::ParamDesc& param, std::string_view key) {
  if (param.enumeration.empty()) return false;
  const auto parts = config::splitSipKey(key);
  return parts && parts->suffix == kDtmfSuffix;
}

const config::EffectiveValue* lookup(const config::ConfigSnapshot& snapshot,
                                     const std::string& key) {
  const auto parts = config::splitSipKey(key);
  if (parts && parts->line > 0) {
    return config::findEffectiveSipLineValue(snapshot, parts->line, parts->suffix);
  }
  return snapshot.find(key);
}

bool outOfBandDtmf(const config::ConfigSnapshot& snapshot) {
  auto v = snapshot.value(kOutOfBandDtmf);
  if (!v) return true;  // default 1 (aastra-config.md 1b)
  return config::parseBool(*v).value_or(true);
}

}  // namespace

std::optional<std::string> configKeyOf(const datamodel::Model& model,
                                       const datamodel::ParamDesc& param,
                                       const model::InstancePath& instances) {
  const TablesOnPath tables(model, param);
  std::string key;
  std::string_view arg = param.bindingArg;
  std::size_t pos = 0;
  while (pos < arg.size()) {
    const std::size_t open = arg.find('{', pos);
    if (open == std::string_view::npos) {
      key.append(arg.substr(pos));
      break;
    }
    const std::size_t close = arg.find('}', open);
    if (close == std::string_view::npos) return std::nullopt;
    key.append(arg.substr(pos, open - pos));
    const std::string_view table = arg.substr(open + 1, close - open - 1);
    bool found = false;
    for (std::size_t level = 0; level < tables.size(); ++level) {
      if (tables[level]->name == table && level < instances.size()) {
        key += std::to_string(instances[level]);
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
    pos = close + 1;
  }
  if (!config::isNormalizedKey(key)) key = config::normalizeKey(key);
  if (!config::splitSipKey(key) && key.rfind("sip line", 0) == 0) {
    return std::nullopt;  // "sip line10 ...": no such line
  }
  return key;
}

int sipLineOf(const datamodel::Model& model, const datamodel::ParamDesc& param,
              const model::InstancePath& instances) {
  const TablesOnPath tables(model, param);
  for (std::size_t level = 0; level < tables.size() && level < instances.size(); ++level) {
    if (tables[level]->name == "VoiceProfile") return static_cast<int>(instances[level]);
  }
  return 0;
}

std::optional<std::string> readConfigValue(const datamodel::Model& model,
                                           const datamodel::ParamDesc& param,
                                           const model::InstancePath& instances,
                                           const config::ConfigSnapshot& snapshot,
                                           const Logger& log) {
  const auto key = configKeyOf(model, param, instances);
  if (!key) return std::nullopt;
  if (relativeManagementServerName(param) == "URL") {
    Logger quiet([](LogLevel, std::string_view) {}, LogLevel::kError);
    const std::string url = config::Tr69Settings::fromSnapshot(snapshot, quiet).acsUrl();
    if (url.empty()) return std::nullopt;
    auto canonical = datamodel::canonicalValue(param, url);
    if (!canonical) return std::nullopt;
    return *canonical;
  }
  const config::EffectiveValue* found = lookup(snapshot, *key);
  if (found == nullptr) return std::nullopt;
  std::string raw = found->value;
  auto reject = [&](std::string_view why) -> std::optional<std::string> {
    if (config::isSecretKey(*key)) {
      log.warning(snapshot.fileName(found->source), ":", found->lineNumber, ": key '", *key,
                  "': ", why, "; the default applies");
    } else {
      log.warning(snapshot.fileName(found->source), ":", found->lineNumber, ": key '", *key,
                  "': value '", raw, "' ", why, "; the default applies");
    }
    return std::nullopt;
  };
  if (param.type != datamodel::Type::kString && raw.empty()) return std::nullopt;
  if (isDtmfEnum(param, *key)) {
    auto code = config::parseUnsigned(raw);
    if (!code || *code > 2) return reject("is not a DTMF method (0, 1 or 2)");
    if (*code == 0) return std::string(outOfBandDtmf(snapshot) ? "RFC2833" : "InBand");
    return std::string("SIPInfo");
  }
  if (*key == kStunPort) raw = raw.substr(0, raw.find(','));
  if (param.type == datamodel::Type::kBoolean) {
    auto b = config::parseBool(raw);
    if (!b) return reject("is not a boolean");
    return std::string(*b ? "true" : "false");
  }
  auto canonical = datamodel::canonicalValue(param, raw);
  if (!canonical) return reject(canonical.fault().message);
  return *canonical;
}

Status addConfigWrite(config::LocalEdit& edit, const datamodel::Model& model,
                      const datamodel::ParamDesc& param, const model::InstancePath& instances,
                      std::string_view lexical, const config::ConfigSnapshot& snapshot) {
  const auto key = configKeyOf(model, param, instances);
  if (!key) {
    return Fault(FaultCode::kInternalError, "no configuration key for " + std::string(param.path));
  }
  const std::string_view managementServer = relativeManagementServerName(param);
  if (!managementServer.empty() && config::managementServerKey(managementServer)) {
    return config::addManagementServerWrite(edit, managementServer, lexical);
  }
  if (isDtmfEnum(param, *key)) {
    const bool oob = outOfBandDtmf(snapshot);
    if (lexical == "SIPInfo") {
      edit.set(*key, "1");
    } else if (lexical == "RFC2833") {
      edit.set(*key, "0");
      if (!oob) edit.set(kOutOfBandDtmf, "1");
    } else if (lexical == "InBand") {
      edit.set(*key, "0");
      if (oob) edit.set(kOutOfBandDtmf, "0");
    } else {
      return Fault(FaultCode::kInvalidParameterValue, "not a DTMF method");
    }
    return {};
  }
  if (*key == kStunPort) {
    std::string value(lexical);
    if (auto current = snapshot.value(kStunPort)) {
      if (auto comma = current->find(','); comma != std::string::npos) {
        value += current->substr(comma);
      }
    }
    edit.set(*key, value);
    return {};
  }
  if (param.type == datamodel::Type::kBoolean) {
    auto b = datamodel::parseBoolean(lexical);
    if (!b) return Fault(FaultCode::kInvalidParameterValue, "not a boolean");
    edit.set(*key, config::formatBool(*b));
    return {};
  }
  edit.set(*key, lexical);
  return {};
}

}  // namespace tr69::phone
