// The agent's own settings: the `tr69 ...` keys of the Aastra TR-069 guide (sections 4, 5, 9),
// typed, with defaults and validation, and the mapping from Device.ManagementServer parameters
// that the ACS sets back to these keys (written into local.cfg so that they survive a reboot and
// follow the file precedence).
//
// Decisions on facts the references mark [UNVERIFIED]/[INFERRED]/[BRIEF] (kept only here):
//   * `tr69 server` empty (the default) means "no ACS configured": acsUrl() is "" and the agent
//     must not send Informs until a server is configured.
//   * `tr69 server` without a scheme ("10.30.105.127") is taken as http://.
//   * `tr69 server port`, when set, replaces the port of the `tr69 server` URL; when absent the
//     URL's own port or the scheme default applies (80 for http, 443 for https).
//   * `tr69 connection request port` defaults to 7547 (the IANA cwmp port); `tr69 connection
//     request path` defaults to "" (the listener serves "/"); a leading '/' is optional.
//   * `tr69 periodic inform enable` and `... interval` default to "Empty" in the guide: read as
//     disabled and 3600 s. `... time` defaults to 1970-01-01T00:00:00 (guide p.7).
//   * `tr69 server authentication required` defaults to 0 (the guide's summary says "likely 0"):
//     TLS is used for https, but an ACS certificate that does not validate is not fatal.
//   * `tr69 trusted certificates` and `tr69 private key` are file names/URLs on the configuration
//     server, kept as strings; the agent does not fetch them here.
//   * Booleans accept 0/1/true/false in any case; dateTimes are YYYY-MM-DDThh:mm:ss with an
//     optional 'Z' (also accepted: fractional seconds and "+00:00"/"-00:00", which ACSs send).
// An invalid value is logged with file, line and key (the value only for non-secret keys) and the
// default is used instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/config/config_snapshot.h"
#include "tr69/config/local_edit.h"

namespace tr69::config {

// Key names, exactly as the guide spells them.
namespace tr69_keys {
inline constexpr std::string_view kServer = "tr69 server";
inline constexpr std::string_view kServerPort = "tr69 server port";
inline constexpr std::string_view kUsername = "tr69 username";
inline constexpr std::string_view kPassword = "tr69 password";
inline constexpr std::string_view kConnectionRequestUsername = "tr69 connection request username";
inline constexpr std::string_view kConnectionRequestPassword = "tr69 connection request password";
inline constexpr std::string_view kConnectionRequestPath = "tr69 connection request path";
inline constexpr std::string_view kConnectionRequestPort = "tr69 connection request port";
inline constexpr std::string_view kPeriodicInformEnable = "tr69 periodic inform enable";
inline constexpr std::string_view kPeriodicInformInterval = "tr69 periodic inform interval";
inline constexpr std::string_view kPeriodicInformTime = "tr69 periodic inform time";
inline constexpr std::string_view kTrustedCertificates = "tr69 trusted certificates";
inline constexpr std::string_view kPrivateKey = "tr69 private key";
inline constexpr std::string_view kServerAuthenticationRequired =
    "tr69 server authentication required";
}  // namespace tr69_keys

inline constexpr std::uint16_t kDefaultConnectionRequestPort = 7547;
inline constexpr std::uint32_t kDefaultPeriodicInformInterval = 3600;
inline constexpr std::string_view kDefaultPeriodicInformTime = "1970-01-01T00:00:00";

struct Tr69Settings {
  std::string server;  // URL as configured (validated scheme), "" = no ACS
  std::optional<std::uint16_t> serverPort;
  std::string username;
  std::string password;
  std::string connectionRequestUsername;
  std::string connectionRequestPassword;
  std::string connectionRequestPath;  // as configured, without leading '/'
  std::uint16_t connectionRequestPort = kDefaultConnectionRequestPort;
  bool periodicInformEnable = false;
  std::uint32_t periodicInformInterval = kDefaultPeriodicInformInterval;
  std::string periodicInformTime = std::string(kDefaultPeriodicInformTime);
  std::string trustedCertificates;
  std::string privateKey;
  bool serverAuthenticationRequired = false;

  bool operator==(const Tr69Settings&) const = default;

  // Reads every tr69 key from the effective configuration; invalid values are logged and
  // replaced by their default.
  static Tr69Settings fromSnapshot(const ConfigSnapshot& snapshot, const Logger& log);

  // The ACS URL built from `tr69 server` and `tr69 server port` ("" when no server).
  std::string acsUrl() const;
  // "/" + connectionRequestPath.
  std::string connectionRequestUrlPath() const;
};

// Names of the fields that differ ("server", "periodicInformInterval", ...), in declaration
// order; for logging which settings a reload changed (never their values).
std::vector<std::string_view> changedSettings(const Tr69Settings& before,
                                              const Tr69Settings& after);

// URL validation: http:// or https:// (any case) followed by a non-empty host, optional port
// 1..65535, optional path. Returns the URL's parts, or nullopt.
struct AcsUrlParts {
  std::string scheme;  // lower case
  std::string host;    // IPv6 literals keep their brackets
  std::optional<std::uint16_t> port;
  std::string pathAndQuery;  // "" or starting with '/'
};
std::optional<AcsUrlParts> parseAcsUrl(std::string_view url);

// 1..65535 as decimal.
std::optional<std::uint16_t> parsePort(std::string_view text);

// A TR-069 dateTime in UTC as this module accepts it (see the header comment); returns the
// canonical "YYYY-MM-DDThh:mm:ss" form with 'Z' kept when the input had a zone, or nullopt.
std::optional<std::string> normalizeDateTime(std::string_view text);

// ManagementServer parameters the ACS may set, and the key each one persists as.
struct ManagementServerKey {
  std::string_view parameter;  // relative to Device.ManagementServer.
  std::string_view key;
};
inline constexpr ManagementServerKey kManagementServerKeys[] = {
    {"URL", tr69_keys::kServer},
    {"Username", tr69_keys::kUsername},
    {"Password", tr69_keys::kPassword},
    {"PeriodicInformEnable", tr69_keys::kPeriodicInformEnable},
    {"PeriodicInformInterval", tr69_keys::kPeriodicInformInterval},
    {"PeriodicInformTime", tr69_keys::kPeriodicInformTime},
    {"ConnectionRequestUsername", tr69_keys::kConnectionRequestUsername},
    {"ConnectionRequestPassword", tr69_keys::kConnectionRequestPassword},
};

// The config key for a ManagementServer parameter name (relative, e.g. "PeriodicInformInterval"),
// or nullopt when the parameter is not persisted in the config files.
std::optional<std::string_view> managementServerKey(std::string_view parameter);

// Adds to `edit` the local.cfg writes for an ACS SetParameterValues of `parameter` = `value`
// (the TR-069 lexical form): booleans become 0/1, dateTimes are normalised, and URL writes both
// `tr69 server` (the URL) and `tr69 server port` (its explicit port or the scheme default) so a
// port key in a server file cannot redirect the new URL. 9005 for a parameter outside the table,
// 9007 for an invalid value; `edit` is unchanged on error.
Status addManagementServerWrite(LocalEdit& edit, std::string_view parameter,
                                std::string_view value);

}  // namespace tr69::config
