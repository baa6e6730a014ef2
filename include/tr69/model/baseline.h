// The notification baseline: the last reported value of every parameter whose changes must be
// notified. Tree::collectChanges compares the current values with it. Serialisable (XML) so the
// session layer can keep it across reboots.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "tr69/base/fault.h"

namespace tr69::model {

struct NotificationBaseline {
  std::map<std::string, std::string, std::less<>> values;  // full name -> lexical value

  std::string save() const;
  static Result<NotificationBaseline> load(std::string_view xml);
};

}  // namespace tr69::model
