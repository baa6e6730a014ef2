#include "tr69/phone/agent_values.h"

namespace tr69::phone {

std::optional<std::string> AgentValues::get(std::string_view source) const {
  auto it = bySource_.find(source);
  if (it == bySource_.end()) return std::nullopt;
  return it->second;
}

std::string AgentValues::parameterKey(std::string_view path, const model::InstancePath& instances) {
  std::string key(path);
  for (auto n : instances.numbers())
    key.append(1, '#').append(std::to_string(n));  // not "#" + ...: GCC 12 -O3 PR105329
  return key;
}

void AgentValues::setParameter(std::string_view path, const model::InstancePath& instances,
                               std::string value) {
  byParameter_[parameterKey(path, instances)] = std::move(value);
}

std::optional<std::string> AgentValues::getParameter(std::string_view path,
                                                     const model::InstancePath& instances) const {
  auto it = byParameter_.find(parameterKey(path, instances));
  if (it == byParameter_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tr69::phone
