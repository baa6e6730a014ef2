#include "tr69/phone/identity.h"

#include <cctype>

#include "tr69/base/file_util.h"
#include "tr69/config/config_file.h"
#include "tr69/config/config_store.h"

namespace tr69::phone {
namespace {

constexpr std::size_t kMaxIdentityValue = 64;

bool isStem(std::string_view text) {
  if (text.empty() || text == "." || text == "..") return false;
  for (const char c : text) {
    const bool ok =
        std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string Identity::macWithColons() const {
  std::string out;
  for (std::size_t i = 0; i < mac.size(); ++i) {
    if (i > 0 && i % 2 == 0) out.push_back(':');
    out.push_back(mac[i]);
  }
  return out;
}

Result<Identity> Identity::parse(std::string_view content, std::string_view displayName,
                                 const Logger& log) {
  const config::ConfigFile file = config::ConfigFile::parse(content, displayName, log);
  auto fail = [&](std::string_view key, std::string_view problem) {
    return Fault(FaultCode::kInvalidArguments, std::string(displayName) + ": key '" +
                                                   std::string(key) + "' " + std::string(problem));
  };
  Identity id;
  struct Field {
    std::string_view key;
    std::string* target;
    bool required;
    bool warnWhenMissing;
  };
  std::string mac;
  const Field fields[] = {
      {"model", &id.model, true, false},
      {"mac", &mac, true, false},
      {"serial", &id.serial, false, true},
      {"software version", &id.softwareVersion, false, true},
      {"hardware version", &id.hardwareVersion, false, true},
      {"manufacturer", &id.manufacturer, false, false},
      {"oui", &id.oui, false, false},
      {"product class", &id.productClass, false, false},
      {"description", &id.description, false, false},
      {"additional hardware version", &id.additionalHardwareVersion, false, false},
      {"additional software version", &id.additionalSoftwareVersion, false, false},
  };
  for (const Field& field : fields) {
    const config::ConfigEntry* entry = file.find(field.key);
    if (entry == nullptr || entry->value.empty()) {
      if (field.required) return fail(field.key, "is missing (required)");
      if (field.warnWhenMissing) {
        log.warning(displayName, ": key '", field.key, "' is missing; reported as empty");
      }
      continue;
    }
    if (entry->value.size() > kMaxIdentityValue) {
      return fail(field.key, "is longer than 64 characters");
    }
    *field.target = entry->value;
  }
  const auto normalized = config::ConfigStore::normalizeMac(mac);
  if (!normalized) return fail("mac", "is not a MAC address");
  id.mac = *normalized;
  if (!isStem(id.model)) return fail("model", "is not a usable model name");
  if (id.oui.size() != 6 ||
      id.oui.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return fail("oui", "is not 6 hex digits");
  }
  for (char& c : id.oui)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (id.productClass.empty()) id.productClass = id.model;
  if (id.description.empty()) id.description = id.manufacturer + " " + id.model + " SIP phone";
  return id;
}

Result<Identity> Identity::load(const std::filesystem::path& path, const Logger& log) {
  auto text = readFile(path, kMaxIdentityFileBytes);
  if (!text) {
    return Fault(FaultCode::kInvalidArguments,
                 "identity file " + path.string() + ": " + text.fault().message);
  }
  return parse(*text, path.string(), log);
}

}  // namespace tr69::phone
