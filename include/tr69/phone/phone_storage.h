// PhoneStorage: the one vendor layer of tr69d (obuspa style). It is the model::Storage the daemon
// plugs into model::Tree and makes the parameter tree real:
//
//   binding   where the value lives
//   config    the Aastra config files: read from the EFFECTIVE configuration (config::ConfigStore
//             snapshot, SIP set rule), written to local.cfg under the key (config_binding.h has
//             the conversions); all config writes of one batch are ONE atomic local.cfg edit
//   live      the running phone: Identity (identity file), LiveSystem (uptime, addresses, time)
//             and values derived from the configuration (line state)
//   agent     AgentValues, set by the session engine / connreq / diagnostics
//   stored    StoredValues (<state-dir>/stored.xml), also the instances of ACS-managed tables
//
// VoiceProfile.N is SIP line N (1..the phone model's line count). DeleteObject of VoiceProfile.N
// removes every `sip lineN ...` key from local.cfg at once (the line falls back to the server
// files and the global `sip ...` keys) and records N as deleted (persisted in stored.xml); a later
// AddObject re-creates the lowest free N (the tree picks it), which reads the defaults/globals.
//
// Apply: every SIP line a committed batch touched (per-line keys, a global `sip ...` key for the
// lines that use the global value, a deleted profile, VoiceProfile.Reset=true, an Enable write)
// is added to the pending-apply set; applyPending() runs the apply command ONCE for all of them
// (apply_command.h). The engine calls it at the end of a session ("once per session commit").
//
// Writable live parameters (decisions):
//   VoiceProfile.Enable, Line.Enable   the value is recorded (stored.xml) and reads back; without a
//                                      recorded value it is derived: "Enabled" when the line has a
//                                      user name and a registrar (or proxy) other than 0.0.0.0
//                                      under the set rule, else "Disabled". The line is applied.
//   VoiceProfile.Reset                 true: the line is re-applied (re-registers); reads false.
//   Line.Stats.ResetStatistics         accepted; no counters are kept by the agent; reads false.
//   LAN.AddressingType/IPAddress/SubnetMask/DefaultGateway/DNSServers
//                                      written to the network keys `dhcp` (1 = DHCP, 0 = Static),
//                                      `ip`, `subnet mask`, `default gateway`, `dns1`/`dns2`
//                                      ([U] key names, aastra-config.md 1d) and the batch reports
//                                      ApplyStatus::kPendingRestart (SPV Status 1): the network
//                                      changes at the next boot, reads stay live until then.
// Agent writes: ParameterKey etc. go to AgentValues; Config.ConfigFile replaces local.cfg's keys
// with those of the given text (keys it does not list are removed), in the same atomic edit.
//
// Local changes: reloadConfig() (SIGHUP, file watcher) and external edits noticed during a write
// (EditResult::externalChanges) are turned into the names of the parameter instances whose value
// changed (config-bound ones and the line states derived from the configuration), evaluated on
// both snapshots, so the SIP set rule and every conversion are honoured. The engine records them
// with recordLocalChanges(tree, names) (ChangeCause::kLocalConfig).
//
// PhoneStorage never throws across its boundary; faults are values (9001 locked key, 9002 I/O).
// Single-threaded, like the tree.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/config/config_store.h"
#include "tr69/datamodel/descriptor.h"
#include "tr69/model/storage.h"
#include "tr69/model/tree.h"
#include "tr69/phone/agent_values.h"
#include "tr69/phone/apply_command.h"
#include "tr69/phone/identity.h"
#include "tr69/phone/live_system.h"
#include "tr69/phone/stored_values.h"

namespace tr69::phone {

struct PhoneStorageOptions {
  std::filesystem::path storedFile;  // e.g. <state-dir>/stored.xml
  ApplyCommand applyCommand;         // empty argv: applying only logs
};

class PhoneStorage final : public model::Storage {
 public:
  // Every reference must outlive the storage. The line count is model.lineCountFor(identity.model).
  PhoneStorage(const datamodel::Model& model, const Identity& identity, config::ConfigStore& config,
               const LiveSystem& live, AgentValues& agent, PhoneStorageOptions options,
               const Logger& log);

  std::uint32_t lineCount() const { return lineCount_; }

  // ---- model::Storage ----------------------------------------------------------------------
  Result<std::optional<std::string>> read(const datamodel::ParamDesc& param,
                                          const model::InstancePath& instances) override;
  // Within a batch the live system (uptime, network, interface counters) is read once.
  void beginReadBatch() override;
  void endReadBatch() override;
  Result<model::ApplyStatus> writeBatch(std::span<const model::StorageWrite> writes) override;
  std::vector<model::InstanceNumber> instances(const datamodel::ObjectDesc& table,
                                               const model::InstancePath& parent) override;
  Status addInstance(const datamodel::ObjectDesc& table, const model::InstancePath& parent,
                     model::InstanceNumber number) override;
  Status deleteInstance(const datamodel::ObjectDesc& table, const model::InstancePath& parent,
                        model::InstanceNumber number) override;

  // ---- apply -------------------------------------------------------------------------------
  // Lines waiting to be applied.
  const std::set<int>& pendingLines() const { return pendingLines_; }
  // Runs the apply command once for every pending line and clears the set (also when the command
  // fails: the configuration is written, the phone picks it up at its next restart; the failure
  // is logged and returned). Nothing pending: does nothing.
  Status applyPending();

  // ---- local changes -----------------------------------------------------------------------
  // Re-reads the config files; returns the names of the parameter instances whose value changed.
  std::vector<std::string> reloadConfig();
  // reloadConfig() for a configuration the agent itself wrote (a downloaded Vendor Configuration
  // File): the SIP lines whose effective values changed also join the pending-apply set.
  std::vector<std::string> reloadWrittenConfig();
  // Names changed by foreign edits of local.cfg noticed while writing (cleared by the call).
  std::vector<std::string> takeLocalChanges();
  // The parameter instances whose value differs between the two snapshots of `diff`.
  std::vector<std::string> changedParameters(const config::ConfigDiff& diff);

 private:
  // The live system's readings, once per read batch (every call outside a batch).
  struct LiveReadings {
    std::optional<std::chrono::seconds> uptime;
    std::optional<NetworkState> network;
    std::optional<std::optional<InterfaceCounters>> counters;
  };
  std::chrono::seconds uptime();
  NetworkState network();
  std::optional<InterfaceCounters> counters();

  std::optional<std::string> readLive(const datamodel::ParamDesc& param,
                                      const model::InstancePath& instances);
  std::optional<std::string> readLiveFromConfig(const datamodel::ParamDesc& param,
                                                const model::InstancePath& instances,
                                                const config::ConfigSnapshot& snapshot);
  std::optional<std::string> readAgent(const datamodel::ParamDesc& param,
                                       const model::InstancePath& instances);
  // Value of a parameter that depends on the configuration (config-bound or derived); nullopt
  // for every other binding and for absent values.
  std::optional<std::string> configDependentValue(const datamodel::ParamDesc& param,
                                                  const model::InstancePath& instances,
                                                  const config::ConfigSnapshot& snapshot,
                                                  const Logger& log);
  bool lineConfigured(int line, const config::ConfigSnapshot& snapshot) const;
  std::set<int> linesUsingGlobal(const std::vector<std::string>& keys);
  Status addConfigFileWrite(config::LocalEdit& edit, std::string_view content);
  std::string nameOf(const datamodel::ParamDesc& param, const model::InstancePath& instances) const;
  std::optional<std::string> checked(const datamodel::ParamDesc& param, std::string value);
  bool isVoiceProfile(const datamodel::ObjectDesc& table) const;

  const datamodel::Model& model_;
  const Identity& identity_;
  config::ConfigStore& config_;
  const LiveSystem& live_;
  AgentValues& agent_;
  PhoneStorageOptions options_;
  const Logger& log_;
  Logger quiet_;
  std::uint32_t lineCount_;
  std::int32_t voiceProfileTable_ = datamodel::kNoIndex;
  StoredValues stored_;
  std::set<int> pendingLines_;
  std::vector<std::string> localChanges_;
  std::optional<LiveReadings> batch_;
};

// Records each name as changed by the local configuration (ChangeCause::kLocalConfig), so the
// next Tree::collectChanges reports it to the ACS.
void recordLocalChanges(model::Tree& tree, const std::vector<std::string>& names);

}  // namespace tr69::phone
