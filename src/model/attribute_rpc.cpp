// GetParameterAttributes and SetParameterAttributes.
#include "tr69/model/tree.h"
#include "walk.h"

namespace tr69::model {

int Tree::effectiveNotification(const datamodel::ParamDesc& param, const std::string& name) const {
  if (param.activeNotify == datamodel::ActiveNotify::kForceEnabled) return 2;
  if (const auto* stored = attributes_.find(name)) return stored->notification;
  return param.defaultNotification;
}

Result<std::vector<ParameterAttributes>> Tree::getAttributes(std::span<const std::string> names) {
  std::vector<ParameterAttributes> out;
  for (const auto& name : names) {
    auto node = resolve(name);
    if (!node) return node.fault();
    forEachParamUnder(*node, [&](std::uint32_t p, const InstancePath&, const std::string& full) {
      ParameterAttributes attrs;
      attrs.name = full;
      attrs.notification = effectiveNotification(model_.params[p], full);
      if (const auto* stored = attributes_.find(full)) attrs.accessList = stored->accessList;
      out.push_back(std::move(attrs));
    });
  }
  return out;
}

Status Tree::setAttributes(std::span<const AttributeChange> changes) {
  // Validate every change and collect the new attribute values; apply only if all are valid.
  std::vector<std::pair<std::string, StoredAttributes>> updates;
  for (const auto& change : changes) {
    if (change.notificationChange && (change.notification < 0 || change.notification > 2)) {
      return Fault(FaultCode::kInvalidArguments,
                   "unsupported Notification value " + std::to_string(change.notification));
    }
    if (change.accessListChange) {
      for (const auto& entry : change.accessList) {
        if (entry != "Subscriber") {
          return Fault(FaultCode::kInvalidArguments, "unsupported AccessList entry " + entry);
        }
      }
    }
    auto node = resolve(change.name);
    if (!node) return node.fault();
    const bool single = node->kind == Node::Kind::kParameter;
    std::optional<Fault> failure;
    forEachParamUnder(*node, [&](std::uint32_t p, const InstancePath&, const std::string& full) {
      if (failure) return;
      const auto& param = model_.params[p];
      StoredAttributes attrs;
      attrs.notification = effectiveNotification(param, full);
      if (const auto* stored = attributes_.find(full)) attrs.accessList = stored->accessList;
      // Earlier changes of the same request win over the stored state.
      for (auto it = updates.rbegin(); it != updates.rend(); ++it) {
        if (it->first == full) {
          attrs = it->second;
          break;
        }
      }
      if (change.notificationChange) {
        if (change.notification == 2 && param.activeNotify == datamodel::ActiveNotify::kCanDeny) {
          if (single) {
            failure = Fault(FaultCode::kNotificationRejected,
                            "active notification is not supported for " + full);
          }
          return;  // under a partial path: left unchanged
        }
        if (param.activeNotify == datamodel::ActiveNotify::kForceEnabled &&
            change.notification != 2) {
          if (single) {
            failure = Fault(FaultCode::kNotificationRejected,
                            "active notification cannot be turned off for " + full);
          }
          return;
        }
        attrs.notification = change.notification;
      }
      if (change.accessListChange) attrs.accessList = change.accessList;
      updates.emplace_back(full, std::move(attrs));
    });
    if (failure) return *failure;
  }
  for (auto& [name, attrs] : updates) {
    auto node = resolve(name);
    const auto& param = model_.params[node->index];
    if (attrs.notification == param.defaultNotification && attrs.accessList.empty()) {
      attributes_.erase(name);
    } else {
      attributes_.set(name, std::move(attrs));
    }
  }
  return {};
}

}  // namespace tr69::model
