// A tree over the generated Aastra model with in-memory storage (9 lines unless said otherwise).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tr69/datamodel/dm.h"
#include "tr69/model/memory_storage.h"
#include "tr69/model/tree.h"

namespace tr69::model::testing_support {

inline const datamodel::ParamDesc& paramByPath(std::string_view path) {
  for (const auto& p : datamodel::aastraModel().params) {
    if (p.path == path) return p;
  }
  ADD_FAILURE() << "no parameter " << path;
  return datamodel::aastraModel().params[0];
}

class TreeTest : public ::testing::Test {
 protected:
  explicit TreeTest(std::uint32_t lines = 9)
      : storage_(datamodel::aastraModel(), lines),
        tree_(datamodel::aastraModel(), storage_, lines) {}

  std::vector<std::string> names(std::string_view path, bool nextLevel) {
    auto r = tree_.parameterNames(path, nextLevel);
    EXPECT_TRUE(r.ok()) << path;
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& info : *r)
        out.push_back(info.name);
    }
    return out;
  }
  std::string value(const std::string& name) {
    std::vector<std::string> names{name};
    auto r = tree_.getValues(names);
    EXPECT_TRUE(r.ok()) << name << (r.ok() ? "" : ": " + r.fault().message);
    if (!r.ok() || r->size() != 1) return "<error>";
    return (*r)[0].value;
  }
  SetOutcome set(std::vector<SetRequest> requests, ChangeCause cause = ChangeCause::kAcs) {
    return tree_.setValues(requests, cause);
  }
  static bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
  }

  MemoryStorage storage_;
  Tree tree_;
};

}  // namespace tr69::model::testing_support
