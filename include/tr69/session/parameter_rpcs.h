// The parameter half of the CPE RPCs (GetParameterNames .. DeleteObject) answered from the
// run-time tree: cwmp's request structs in, the tree's operations, cwmp's responses or faults out.
//
// Every change comes from the ACS (ChangeCause::kAcs), so none is notified back (cwmp.md 7.7 step
// 8). A successful SetParameterValues, AddObject or DeleteObject sets ManagementServer.ParameterKey
// to the request's key; a failed one leaves it alone (cwmp.md 7.3). `onCommitted` (also called
// after SetParameterAttributes) tells the session engine that something must be persisted and
// applied when the session ends.
#pragma once

#include <functional>
#include <string>

#include "tr69/cwmp/rpc_handler.h"
#include "tr69/model/tree.h"

namespace tr69::session {

class ModelParameterRpcs final : public cwmp::ParameterRpcs {
 public:
  using CommitCallback = std::function<void()>;

  ModelParameterRpcs(model::Tree& tree, CommitCallback onCommitted)
      : tree_(tree), onCommitted_(std::move(onCommitted)) {}

  Result<cwmp::GetParameterNamesResponse> getParameterNames(
      const cwmp::GetParameterNames& request) override;
  Result<cwmp::GetParameterValuesResponse> getParameterValues(
      const cwmp::GetParameterValues& request) override;
  cwmp::SetParameterValuesResult setParameterValues(
      const cwmp::SetParameterValues& request) override;
  Result<cwmp::GetParameterAttributesResponse> getParameterAttributes(
      const cwmp::GetParameterAttributes& request) override;
  Result<cwmp::SetParameterAttributesResponse> setParameterAttributes(
      const cwmp::SetParameterAttributes& request) override;
  Result<cwmp::AddObjectResponse> addObject(const cwmp::AddObject& request) override;
  Result<cwmp::DeleteObjectResponse> deleteObject(const cwmp::DeleteObject& request) override;

 private:
  // Sets ParameterKey after a successful change and reports the commit.
  void committed(const std::string& parameterKey);

  model::Tree& tree_;
  CommitCallback onCommitted_;
};

}  // namespace tr69::session
