// Forced-inform values, notified parameters and change detection against a baseline.
#include "tr69/base/crypto.h"
#include "tr69/model/tree.h"
#include "walk.h"

namespace tr69::model {
namespace {

// Hidden values never reach the baseline (it is persisted): a digest stands for them.
std::string baselineValue(const datamodel::ParamDesc& param, const std::string& value) {
  if (!param.hidden) return value;
  std::string digest = "#";
  digest += toHex(md5(value));
  return digest;
}

}  // namespace

Result<std::vector<ParameterValue>> Tree::forcedInformValues() {
  ReadBatch batch(*this);
  std::vector<ParameterValue> out;
  std::optional<Fault> failure;
  Node root;
  forEachParamUnder(
      root, [&](std::uint32_t p, const InstancePath& instances, const std::string& name) {
        const auto& param = model_.params[p];
        if (failure || !param.forcedInform) return;
        auto value = readLexical(p, instances);
        if (!value) {
          failure = value.fault();
          return;
        }
        out.push_back(
            ParameterValue{name, param.hidden ? std::string() : std::move(*value), param.type});
      });
  if (failure) return *failure;
  return out;
}

std::vector<std::string> Tree::notifiedParameters() {
  std::vector<std::string> out;
  Node root;
  forEachParamUnder(root, [&](std::uint32_t p, const InstancePath&, const std::string& name) {
    if (effectiveNotification(model_.params[p], name) != 0) out.push_back(name);
  });
  return out;
}

void Tree::recordChange(std::string name, ChangeCause cause) {
  recordedCauses_[std::move(name)] = cause;
}

Result<NotificationBaseline> Tree::takeBaseline() {
  ReadBatch batch(*this);
  NotificationBaseline baseline;
  std::optional<Fault> failure;
  Node root;
  forEachParamUnder(root,
                    [&](std::uint32_t p, const InstancePath& instances, const std::string& name) {
                      const auto& param = model_.params[p];
                      if (failure || effectiveNotification(param, name) == 0) return;
                      auto value = readLexical(p, instances);
                      if (!value) {
                        failure = value.fault();
                        return;
                      }
                      baseline.values[name] = baselineValue(param, *value);
                    });
  if (failure) return *failure;
  recordedCauses_.clear();
  return baseline;
}

Result<std::vector<ValueChange>> Tree::collectChanges(NotificationBaseline& baseline) {
  ReadBatch batch(*this);
  std::vector<ValueChange> changes;
  NotificationBaseline current;
  std::optional<Fault> failure;
  Node root;
  forEachParamUnder(
      root, [&](std::uint32_t p, const InstancePath& instances, const std::string& name) {
        const auto& param = model_.params[p];
        if (failure) return;
        int notification = effectiveNotification(param, name);
        if (notification == 0) return;
        auto value = readLexical(p, instances);
        if (!value) {
          failure = value.fault();
          return;
        }
        std::string recorded = baselineValue(param, *value);
        auto old = baseline.values.find(name);
        if (old != baseline.values.end() && old->second != recorded) {
          auto cause = recordedCauses_.find(name);
          ChangeCause why = cause == recordedCauses_.end() ? ChangeCause::kLive : cause->second;
          if (why != ChangeCause::kAcs) {
            changes.push_back(ValueChange{name, param.hidden ? std::string() : *value, param.type,
                                          notification, why});
          }
        }
        current.values[name] = std::move(recorded);
      });
  if (failure) return *failure;
  baseline = std::move(current);
  recordedCauses_.clear();
  return changes;
}

}  // namespace tr69::model
