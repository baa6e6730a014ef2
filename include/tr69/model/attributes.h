// Parameter attributes (Notification, AccessList) of concrete parameter instances. Only values
// that differ from the model defaults are kept; snapshots are XML (pugixml) so the session layer
// can persist them with writeFileAtomic.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"

namespace tr69::model {

struct StoredAttributes {
  int notification = 0;
  std::vector<std::string> accessList;
  bool operator==(const StoredAttributes&) const = default;
};

class AttributeStore {
 public:
  const StoredAttributes* find(const std::string& name) const;
  void set(const std::string& name, StoredAttributes attributes);
  void erase(const std::string& name);
  // Forgets every entry whose name starts with `prefix` (a deleted instance "...Profile.2.").
  void eraseSubtree(std::string_view prefix);
  const std::map<std::string, StoredAttributes, std::less<>>& entries() const { return entries_; }

  // <attributes><parameter name="..." notification="2"><access>Subscriber</access>...</attributes>
  std::string save() const;
  // Replaces the contents; on a malformed snapshot returns kInvalidArguments and keeps the old.
  Status load(std::string_view xml);

 private:
  std::map<std::string, StoredAttributes, std::less<>> entries_;
};

}  // namespace tr69::model
