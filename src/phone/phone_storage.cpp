#include "tr69/phone/phone_storage.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "tr69/config/config_value.h"
#include "tr69/config/sip_keys.h"
#include "tr69/datamodel/value.h"
#include "tr69/phone/config_binding.h"

namespace tr69::phone {
namespace {

using datamodel::BindingKind;
using datamodel::ParamDesc;
using model::InstancePath;

// Network keys of aastra-config.md 1d ([U] names, kept only here).
constexpr std::string_view kDhcpKey = "dhcp";
constexpr std::string_view kIpKey = "ip";
constexpr std::string_view kSubnetMaskKey = "subnet mask";
constexpr std::string_view kGatewayKey = "default gateway";
constexpr std::string_view kDnsKeys[] = {"dns1", "dns2"};

constexpr std::size_t kMaxConfigFileParameter = 32768;

std::string localTimeText(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&t, &local);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &local);
  std::string out = buf;
  long offset = local.tm_gmtoff;
  if (offset == 0) return out + "Z";
  const char sign = offset < 0 ? '-' : '+';
  offset = offset < 0 ? -offset : offset;
  const int hours = static_cast<int>((offset / 3600) % 100);
  const int minutes = static_cast<int>((offset % 3600) / 60);
  char zone[8] = {sign,
                  static_cast<char>('0' + hours / 10),
                  static_cast<char>('0' + hours % 10),
                  ':',
                  static_cast<char>('0' + minutes / 10),
                  static_cast<char>('0' + minutes % 10),
                  '\0',
                  '\0'};
  return out + zone;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.push_back(',');
    out += item;
  }
  return out;
}

bool isSingleAgentSource(std::string_view source) {
  return source != agent_source::kIpPing && source != agent_source::kTraceRoute;
}

}  // namespace

PhoneStorage::PhoneStorage(const datamodel::Model& model, const Identity& identity,
                           config::ConfigStore& config, const LiveSystem& live, AgentValues& agent,
                           PhoneStorageOptions options, const Logger& log)
    : model_(model),
      identity_(identity),
      config_(config),
      live_(live),
      agent_(agent),
      options_(std::move(options)),
      log_(log),
      quiet_([](LogLevel, std::string_view) {}, LogLevel::kError),
      lineCount_(model.lineCountFor(identity.model)),
      stored_(model, lineCount_, options_.storedFile, log) {
  for (std::size_t i = 0; i < model_.objects.size(); ++i) {
    const auto& object = model_.objects[i];
    if (object.isTable && object.name == "VoiceProfile") {
      voiceProfileTable_ = static_cast<std::int32_t>(i);
    }
  }
}

bool PhoneStorage::isVoiceProfile(const datamodel::ObjectDesc& table) const {
  return voiceProfileTable_ != datamodel::kNoIndex &&
         &table == &model_.objects[static_cast<std::size_t>(voiceProfileTable_)];
}

std::string PhoneStorage::nameOf(const ParamDesc& param, const InstancePath& instances) const {
  std::string out;
  std::string_view path = param.path;
  std::size_t used = 0;
  std::size_t pos = 0;
  while (pos < path.size()) {
    const std::size_t brace = path.find("{i}", pos);
    if (brace == std::string_view::npos) {
      out.append(path.substr(pos));
      break;
    }
    out.append(path.substr(pos, brace - pos));
    out += used < instances.size() ? std::to_string(instances[used++]) : std::string("{i}");
    pos = brace + 3;
  }
  return out;
}

std::optional<std::string> PhoneStorage::checked(const ParamDesc& param, std::string value) {
  auto canonical = datamodel::canonicalValue(param, value);
  if (!canonical) {
    log_.debug("phone: live value of ", param.path, " rejected (", canonical.fault().message,
               "); the default applies");
    return std::nullopt;
  }
  return std::move(*canonical);
}

// ---- reads -------------------------------------------------------------------------------------

void PhoneStorage::beginReadBatch() {
  batch_.emplace();
}

void PhoneStorage::endReadBatch() {
  batch_.reset();
}

std::chrono::seconds PhoneStorage::uptime() {
  if (!batch_) return live_.uptime();
  if (!batch_->uptime) batch_->uptime = live_.uptime();
  return *batch_->uptime;
}

NetworkState PhoneStorage::network() {
  if (!batch_) return live_.network();
  if (!batch_->network) batch_->network = live_.network();
  return *batch_->network;
}

std::optional<InterfaceCounters> PhoneStorage::counters() {
  if (!batch_) return live_.counters();
  if (!batch_->counters) batch_->counters = live_.counters();
  return *batch_->counters;
}

Result<std::optional<std::string>> PhoneStorage::read(const ParamDesc& param,
                                                      const InstancePath& instances) {
  switch (param.binding) {
    case BindingKind::kConfig:
      return readConfigValue(model_, param, instances, config_.snapshot(), log_);
    case BindingKind::kLive:
      return readLive(param, instances);
    case BindingKind::kAgent:
      return readAgent(param, instances);
    case BindingKind::kStored:
      return stored_.read(param, instances);
    case BindingKind::kConstant:
      return std::optional<std::string>(std::string(param.bindingArg));
    case BindingKind::kCount:
      break;
  }
  return std::optional<std::string>();
}

bool PhoneStorage::lineConfigured(int line, const config::ConfigSnapshot& snapshot) const {
  auto value = [&](std::string_view suffix) {
    const config::EffectiveValue* v = config::findEffectiveSipLineValue(snapshot, line, suffix);
    return v ? std::string_view(v->value) : std::string_view();
  };
  const std::string_view registrar = value("registrar ip");
  const std::string_view proxy = value("proxy ip");
  const bool hasServer =
      registrar.empty() ? !proxy.empty() && proxy != "0.0.0.0" : registrar != "0.0.0.0";
  return !value("user name").empty() && hasServer;
}

std::optional<std::string> PhoneStorage::readLiveFromConfig(
    const ParamDesc& param, const InstancePath& instances, const config::ConfigSnapshot& snapshot) {
  const std::string_view source = param.bindingArg;
  if (source == "addressing-type") {
    auto dhcp = snapshot.value(kDhcpKey);
    const bool useDhcp = dhcp ? config::parseBool(*dhcp).value_or(true) : true;
    return std::string(useDhcp ? "DHCP" : "Static");
  }
  if (source != "profile-state" && source != "line-state") return std::nullopt;
  const int line = sipLineOf(model_, param, instances);
  if (line == 0) return std::nullopt;
  if (source == "profile-state" && param.name == "Enable") {
    return std::string(lineConfigured(line, snapshot) ? "Enabled" : "Disabled");
  }
  if (source == "line-state") {
    if (param.name == "Enable") {
      return std::string(lineConfigured(line, snapshot) ? "Enabled" : "Disabled");
    }
    if (param.name == "Status") {
      return std::string(lineConfigured(line, snapshot) ? "Up" : "Disabled");
    }
    if (param.name == "CallWaitingStatus") {
      const config::EffectiveValue* v =
          config::findEffectiveSipLineValue(snapshot, line, "call waiting");
      const bool enabled = v ? config::parseBool(v->value).value_or(true) : true;
      return std::string(enabled ? "Idle" : "Disabled");
    }
  }
  return std::nullopt;
}

std::optional<std::string> PhoneStorage::readLive(const ParamDesc& param,
                                                  const InstancePath& instances) {
  const std::string_view source = param.bindingArg;
  // A recorded Enable (written by the ACS) wins over the derived one.
  if (param.writable && param.name == "Enable") {
    auto recorded = stored_.read(param, instances);
    if (recorded && recorded->has_value()) return **recorded;
  }
  if (auto derived = readLiveFromConfig(param, instances, config_.snapshot())) {
    return checked(param, std::move(*derived));
  }
  if (source == "manufacturer") return checked(param, identity_.manufacturer);
  if (source == "oui") return checked(param, identity_.oui);
  if (source == "model-name") return checked(param, identity_.model);
  if (source == "description") return checked(param, identity_.description);
  if (source == "product-class") return checked(param, identity_.productClass);
  if (source == "serial-number") return checked(param, identity_.serial);
  if (source == "hardware-version") return checked(param, identity_.hardwareVersion);
  if (source == "software-version") return checked(param, identity_.softwareVersion);
  if (source == "additional-hardware-version") {
    return checked(param, identity_.additionalHardwareVersion);
  }
  if (source == "additional-software-version") {
    return checked(param, identity_.additionalSoftwareVersion);
  }
  if (source == "device-status") return std::string("Up");
  if (source == "uptime") return std::to_string(uptime().count());
  if (source == "current-time") return checked(param, localTimeText(live_.now()));
  if (source == "ip-address" || source == "subnet-mask" || source == "default-gateway" ||
      source == "dns-servers" || source == "mac-address") {
    const NetworkState net = network();
    if (source == "ip-address") return checked(param, net.ipAddress);
    if (source == "subnet-mask") return checked(param, net.subnetMask);
    if (source == "default-gateway") return checked(param, net.defaultGateway);
    if (source == "dns-servers") return checked(param, join(net.dnsServers));
    return checked(param, net.macAddress.empty() ? identity_.macWithColons() : net.macAddress);
  }
  if (source == "lan-stats") {
    if (param.name == "ConnectionUpTime") return std::to_string(uptime().count());
    // unsignedInt counters roll over at 2^32 (TR-106); the interval counters (CurrentDay*,
    // QuarterHour*) are not kept by the agent and read 0.
    const auto counters = this->counters();
    if (!counters) return std::nullopt;
    auto wrap = [](std::uint64_t v) { return std::to_string(v & 0xFFFFFFFFu); };
    if (param.name == "TotalBytesSent") return wrap(counters->bytesSent);
    if (param.name == "TotalBytesReceived") return wrap(counters->bytesReceived);
    if (param.name == "TotalPacketsSent") return wrap(counters->packetsSent);
    if (param.name == "TotalPacketsReceived") return wrap(counters->packetsReceived);
    return std::nullopt;
  }
  if (source == "profile-state" || source == "line-stats") return std::string("false");
  // device-log, gateway-info, line-state call state, line-codec,
  // line-codec-list, codec-capabilities, call-sessions, line-event-subscriptions: the agent has
  // no source for them on the phone; they read as the model default (zero / empty / Idle).
  return std::nullopt;
}

std::optional<std::string> PhoneStorage::readAgent(const ParamDesc& param,
                                                   const InstancePath& instances) {
  const std::string_view source = param.bindingArg;
  if (source == agent_source::kLineCount) return std::to_string(lineCount_);
  if (source == agent_source::kConfigFile) {
    std::string text = config_.file(config::ConfigLayer::kLocal).serialize();
    if (text.size() > kMaxConfigFileParameter) {
      log_.warning("phone: local.cfg is larger than Config.ConfigFile allows; reported empty");
      return std::nullopt;
    }
    return checked(param, std::move(text));
  }
  if (!isSingleAgentSource(source)) return agent_.getParameter(param.path, instances);
  if (auto value = agent_.get(source)) return checked(param, std::move(*value));
  if (source == agent_source::kDeviceSummary) return std::string(kDeviceSummary);
  return std::nullopt;
}

// ---- writes ------------------------------------------------------------------------------------

std::set<int> PhoneStorage::linesUsingGlobal(const std::vector<std::string>& keys) {
  std::set<int> lines;
  const auto& snapshot = config_.snapshot();
  for (const auto& key : keys) {
    auto parts = config::parseSipKey(key);
    if (!parts || parts->line != 0) continue;
    for (auto line : stored_.instances(model_.objects[static_cast<std::size_t>(voiceProfileTable_)],
                                       InstancePath{1})) {
      if (line > lineCount_) continue;
      if (!config::lineUsesOwnSet(snapshot, static_cast<int>(line), parts->suffix)) {
        lines.insert(static_cast<int>(line));
      }
    }
  }
  return lines;
}

Status PhoneStorage::addConfigFileWrite(config::LocalEdit& edit, std::string_view content) {
  const config::ConfigFile wanted = config::ConfigFile::parse(content, "Config.ConfigFile", log_);
  if (wanted.badLines() > 0) {
    return Fault(FaultCode::kInvalidParameterValue,
                 "Config.ConfigFile has " + std::to_string(wanted.badLines()) + " bad lines");
  }
  const config::ConfigFile& current = config_.file(config::ConfigLayer::kLocal);
  for (const auto& entry : current.entries()) {
    if (wanted.find(entry.key) == nullptr) edit.remove(entry.key);
  }
  for (const auto& entry : wanted.entries()) {
    if (wanted.find(entry.key) == &entry) edit.set(entry.key, entry.value);
  }
  return {};
}

Result<model::ApplyStatus> PhoneStorage::writeBatch(std::span<const model::StorageWrite> writes) {
  config::LocalEdit edit;
  std::vector<model::StorageWrite> storedWrites;
  std::vector<const model::StorageWrite*> agentWrites;
  std::set<int> lines;
  auto status = model::ApplyStatus::kApplied;
  const auto& snapshot = config_.snapshot();

  for (const auto& w : writes) {
    const ParamDesc& param = *w.param;
    switch (param.binding) {
      case BindingKind::kConfig:
        if (Status s = addConfigWrite(edit, model_, param, w.instances, w.value, snapshot); !s) {
          return s.fault();
        }
        break;
      case BindingKind::kStored:
        storedWrites.push_back(w);
        break;
      case BindingKind::kAgent:
        if (param.bindingArg == agent_source::kConfigFile) {
          if (Status s = addConfigFileWrite(edit, w.value); !s) return s.fault();
        } else if (param.bindingArg == agent_source::kLineCount) {
          return Fault(FaultCode::kNonWritableParameter, "computed parameter");
        } else {
          agentWrites.push_back(&w);
        }
        break;
      case BindingKind::kLive: {
        const std::string_view source = param.bindingArg;
        const int line = sipLineOf(model_, param, w.instances);
        if (param.name == "Enable" && line > 0) {
          storedWrites.push_back(w);
          lines.insert(line);
        } else if (source == "profile-state" && param.name == "Reset") {
          if (w.value == "true") lines.insert(line);
        } else if (source == "line-stats") {
          // ResetStatistics: no counters are kept by the agent.
        } else if (source == "addressing-type") {
          edit.set(kDhcpKey, w.value == "DHCP" ? "1" : "0");
          status = model::ApplyStatus::kPendingRestart;
        } else if (source == "ip-address") {
          edit.set(kIpKey, w.value);
          status = model::ApplyStatus::kPendingRestart;
        } else if (source == "subnet-mask") {
          edit.set(kSubnetMaskKey, w.value);
          status = model::ApplyStatus::kPendingRestart;
        } else if (source == "default-gateway") {
          edit.set(kGatewayKey, w.value);
          status = model::ApplyStatus::kPendingRestart;
        } else if (source == "dns-servers") {
          std::vector<std::string> servers;
          std::string_view rest = w.value;
          while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            servers.emplace_back(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
          }
          if (servers.size() > std::size(kDnsKeys)) {
            return Fault(FaultCode::kInvalidParameterValue, "at most 2 DNS servers");
          }
          for (std::size_t i = 0; i < std::size(kDnsKeys); ++i) {
            if (i < servers.size())
              edit.set(kDnsKeys[i], servers[i]);
            else
              edit.remove(kDnsKeys[i]);
          }
          status = model::ApplyStatus::kPendingRestart;
        } else {
          return Fault(FaultCode::kNonWritableParameter,
                       "live parameter is not writable: " + std::string(param.path));
        }
        break;
      }
      case BindingKind::kConstant:
      case BindingKind::kCount:
        return Fault(FaultCode::kNonWritableParameter, "computed parameter");
    }
  }

  // A locked key fails the whole batch before anything is written (applyLocalEdit checks again
  // after re-reading files that changed on disk).
  for (const auto& op : edit.operations()) {
    if (op.kind != config::LocalEdit::Kind::kResetLine && snapshot.locked(op.key)) {
      return Fault(FaultCode::kRequestDenied, "'" + op.key + "' is locked by a server file");
    }
  }
  // Stored values first (they are easy to roll back), then the one local.cfg edit.
  std::optional<StoredValues::State> storedBefore;
  if (!storedWrites.empty()) {
    storedBefore = stored_.capture();
    (void)stored_.writeBatch(storedWrites);
    if (Status saved = stored_.save(); !saved) {
      stored_.restore(std::move(*storedBefore));
      log_.error("phone: ", stored_.file().string(), ": ", saved.fault().message);
      return Fault(FaultCode::kInternalError, "stored values not written");
    }
  }
  if (!edit.empty()) {
    auto result = config_.applyLocalEdit(edit);
    if (!result) {
      if (storedBefore) {
        stored_.restore(std::move(*storedBefore));
        if (Status undone = stored_.save(); !undone) {
          log_.error("phone: ", stored_.file().string(),
                     ": rollback not written: ", undone.fault().message);
        }
      }
      return result.fault();
    }
    lines.insert(result->linesTouched.begin(), result->linesTouched.end());
    if (result->globalSipTouched) {
      auto global = linesUsingGlobal(result->keysTouched);
      lines.insert(global.begin(), global.end());
    }
    for (const auto& key : result->shadowedKeys) {
      log_.warning("phone: '", key, "' written to local.cfg but a '^' server entry keeps winning");
    }
    if (result->externalChanges) {
      auto names = changedParameters(*result->externalChanges);
      localChanges_.insert(localChanges_.end(), names.begin(), names.end());
    }
  }
  for (const auto* w : agentWrites) {
    if (isSingleAgentSource(w->param->bindingArg)) {
      agent_.set(w->param->bindingArg, w->value);
    } else {
      agent_.setParameter(w->param->path, w->instances, w->value);
    }
  }
  lines.erase(0);
  pendingLines_.insert(lines.begin(), lines.end());
  return status;
}

// ---- instances ---------------------------------------------------------------------------------

std::vector<model::InstanceNumber> PhoneStorage::instances(const datamodel::ObjectDesc& table,
                                                           const InstancePath& parent) {
  auto list = stored_.instances(table, parent);
  if (isVoiceProfile(table)) {
    std::erase_if(list, [&](model::InstanceNumber n) { return n > lineCount_; });
  }
  return list;
}

Status PhoneStorage::addInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                                 model::InstanceNumber number) {
  if (isVoiceProfile(table) && number > lineCount_) {
    return Fault(FaultCode::kResourcesExceeded,
                 "this phone has " + std::to_string(lineCount_) + " lines");
  }
  auto before = stored_.capture();
  if (Status added = stored_.addInstance(table, parent, number); !added) return added;
  if (Status saved = stored_.save(); !saved) {
    stored_.restore(std::move(before));
    log_.error("phone: ", stored_.file().string(), ": ", saved.fault().message);
    return Fault(FaultCode::kInternalError, "instance not stored");
  }
  return {};
}

Status PhoneStorage::deleteInstance(const datamodel::ObjectDesc& table, const InstancePath& parent,
                                    model::InstanceNumber number) {
  auto before = stored_.capture();
  if (Status deleted = stored_.deleteInstance(table, parent, number); !deleted) return deleted;
  if (Status saved = stored_.save(); !saved) {
    stored_.restore(std::move(before));
    log_.error("phone: ", stored_.file().string(), ": ", saved.fault().message);
    return Fault(FaultCode::kInternalError, "instance deletion not stored");
  }
  if (!isVoiceProfile(table)) return {};
  config::LocalEdit edit;
  edit.resetLine(static_cast<int>(number));
  auto result = config_.applyLocalEdit(edit);
  if (!result) {
    stored_.restore(std::move(before));
    if (Status undone = stored_.save(); !undone) {
      log_.error("phone: ", stored_.file().string(),
                 ": rollback not written: ", undone.fault().message);
    }
    return result.fault();
  }
  if (result->externalChanges) {
    auto names = changedParameters(*result->externalChanges);
    localChanges_.insert(localChanges_.end(), names.begin(), names.end());
  }
  pendingLines_.insert(static_cast<int>(number));
  return {};
}

// ---- apply and local changes -------------------------------------------------------------------

Status PhoneStorage::applyPending() {
  if (pendingLines_.empty()) return {};
  std::set<int> lines;
  lines.swap(pendingLines_);
  return runApplyCommand(options_.applyCommand, lines, log_);
}

std::optional<std::string> PhoneStorage::configDependentValue(
    const ParamDesc& param, const InstancePath& instances, const config::ConfigSnapshot& snapshot,
    const Logger& log) {
  if (param.binding == BindingKind::kConfig) {
    return readConfigValue(model_, param, instances, snapshot, log);
  }
  if (param.binding == BindingKind::kLive) {
    return readLiveFromConfig(param, instances, snapshot);
  }
  return std::nullopt;
}

std::vector<std::string> PhoneStorage::changedParameters(const config::ConfigDiff& diff) {
  std::vector<std::string> names;
  if (diff.empty() || !diff.before || !diff.after) return names;
  InstancePath path;
  auto walk = [&](auto&& self, std::uint32_t objectIndex) -> void {
    const auto& object = model_.objects[objectIndex];
    for (auto p : object.parameters) {
      const auto& param = model_.params[p];
      if (param.binding != BindingKind::kConfig && param.binding != BindingKind::kLive) continue;
      auto before = configDependentValue(param, path, *diff.before, quiet_);
      auto after = configDependentValue(param, path, *diff.after, quiet_);
      if (before != after) names.push_back(nameOf(param, path));
    }
    for (auto c : object.childObjects) {
      const auto& child = model_.objects[c];
      if (!child.isTable) {
        self(self, c);
        continue;
      }
      std::vector<model::InstanceNumber> list;
      if (child.fixedInstances()) {
        for (std::uint32_t n = 1; n <= child.minEntries; ++n)
          list.push_back(n);
      } else {
        list = instances(child, path);
      }
      for (auto n : list) {
        path.push(n);
        self(self, c);
        path.pop();
      }
    }
  };
  walk(walk, 0);
  return names;
}

std::vector<std::string> PhoneStorage::reloadConfig() {
  const config::ConfigDiff diff = config_.reload();
  auto names = changedParameters(diff);
  if (!names.empty())
    log_.info("phone: configuration reloaded, ", names.size(), " parameter(s) changed locally");
  return names;
}

std::vector<std::string> PhoneStorage::reloadWrittenConfig() {
  const config::ConfigDiff diff = config_.reload();
  for (int line : config::sipLinesAffected(diff)) {
    if (line > 0) pendingLines_.insert(line);
  }
  return changedParameters(diff);
}

std::vector<std::string> PhoneStorage::takeLocalChanges() {
  std::vector<std::string> out;
  out.swap(localChanges_);
  return out;
}

void recordLocalChanges(model::Tree& tree, const std::vector<std::string>& names) {
  for (const auto& name : names)
    tree.recordChange(name, model::ChangeCause::kLocalConfig);
}

}  // namespace tr69::phone
