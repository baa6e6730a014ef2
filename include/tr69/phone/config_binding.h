// Parameters bound to Aastra config keys (config="..." in the data model): the key of a concrete
// parameter instance, its value read from the effective configuration, and its write into a
// local.cfg batch, with the value conversions the keys need.
//
// Conversions (config text <-> TR-069 lexical form):
//   boolean            0/1/true/false (any case) -> "true"/"false"; written 0/1
//   int, unsignedInt   decimal, checked against the parameter's range; written as is
//   string             as is (the config module quotes on write when needed)
//   dateTime           PeriodicInformTime: "1970-01-01T00:00:00" reads as is (a dateTime without
//                      zone); writes are normalised by config::addManagementServerWrite
//   ManagementServer.URL   read: config::Tr69Settings::acsUrl() of `tr69 server` + `tr69 server
//                      port`; write: `tr69 server` = the URL and `tr69 server port` = its port (or
//                      the scheme's default), see config::addManagementServerWrite
//   other ManagementServer keys   through config::addManagementServerWrite (same validation as
//                      the config module's own reader)
//   VoiceProfile.DTMFMethod <-> `sip lineN dtmf method` (0 RTP, 1 SIP INFO, 2 RTP + SIP INFO) and
//                      the global-only `sip out-of-band dtmf` (default 1), aastra-config.md 1b:
//                        read  0 -> "RFC2833" when out-of-band DTMF is on, "InBand" when off;
//                              1 -> "SIPInfo"; 2 -> "SIPInfo" [decision: RTP + INFO reports the
//                              INFO half, TR-104 has no value for both]
//                        write "SIPInfo" -> 1; "RFC2833" -> 0 and, when out-of-band DTMF is off,
//                              `sip out-of-band dtmf: 1`; "InBand" -> 0 and, when it is on,
//                              `sip out-of-band dtmf: 0`. Out-of-band DTMF has no per-line key on
//                              Aastra, so choosing between InBand and RFC2833 changes it for
//                              every line that uses method 0 [decision, documented].
//   X_Aastra_STUNServerPort <-> `sip stun port`, which may hold "primary,backup": reads the first
//                      port, a write replaces the first and keeps the backup.
// An empty config value reads as absent (model default) for every non-string type ("Empty" is the
// guide's default of several keys). A value that fails the parameter's rules reads as absent too,
// with a warning naming the file, line and key (never the value of a secret key).
// SIP per-line keys (`sip line{VoiceProfile} ...`) read under the set rule of config/sip_keys.h;
// writes rely on config::EditOptions::copyGlobalSetOnFirstLineWrite (on by default).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/config/config_snapshot.h"
#include "tr69/config/local_edit.h"
#include "tr69/datamodel/descriptor.h"
#include "tr69/model/instance_path.h"

namespace tr69::phone {

// The normalised key of a config-bound parameter instance: every "{Table}" of the binding is
// replaced by that table's instance number on the parameter's path. nullopt when the binding
// names a table that is not on the path or an instance number is out of range.
std::optional<std::string> configKeyOf(const datamodel::Model& model,
                                       const datamodel::ParamDesc& param,
                                       const model::InstancePath& instances);

// The effective value of a config-bound parameter in `snapshot`, in lexical form; nullopt when
// the key is absent, empty (non-strings) or invalid (logged).
std::optional<std::string> readConfigValue(const datamodel::Model& model,
                                           const datamodel::ParamDesc& param,
                                           const model::InstancePath& instances,
                                           const config::ConfigSnapshot& snapshot,
                                           const Logger& log);

// Adds the local.cfg operations for writing `lexical` (already validated by the tree) to `edit`.
Status addConfigWrite(config::LocalEdit& edit, const datamodel::Model& model,
                      const datamodel::ParamDesc& param, const model::InstancePath& instances,
                      std::string_view lexical, const config::ConfigSnapshot& snapshot);

// The SIP line a config-bound or line-scoped parameter instance belongs to (its VoiceProfile
// instance number), or 0 for parameters outside VoiceProfile.{i}.
int sipLineOf(const datamodel::Model& model, const datamodel::ParamDesc& param,
              const model::InstancePath& instances);

}  // namespace tr69::phone
