#include "tr69/base/fault.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace tr69 {
namespace {

TEST(FaultTest, CodesHaveStandardNumbersAndTexts) {
  EXPECT_EQ(Fault(FaultCode::kInvalidParameterName, "x").number(), 9005u);
  EXPECT_EQ(faultCodeText(FaultCode::kMethodNotSupported), "Method not supported");
  EXPECT_EQ(faultCodeText(FaultCode::kNonWritableParameter),
            "Attempt to set a non-writable parameter");
}

TEST(FaultTest, ClientAndServerFaultsFollowTheStandardTable) {
  EXPECT_TRUE(isClientFault(FaultCode::kInvalidArguments));
  EXPECT_TRUE(isClientFault(FaultCode::kInvalidParameterValue));
  EXPECT_FALSE(isClientFault(FaultCode::kMethodNotSupported));
  EXPECT_FALSE(isClientFault(FaultCode::kInternalError));
  EXPECT_FALSE(isClientFault(FaultCode::kNotificationRejected));
}

TEST(ResultTest, HoldsValueOrFault) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);

  Result<int> bad = Fault(FaultCode::kInvalidParameterValue, "out of range");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.fault().code, FaultCode::kInvalidParameterValue);
  EXPECT_EQ(bad.fault().message, "out of range");
}

TEST(ResultTest, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

TEST(StatusTest, DefaultIsSuccess) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  Status failed = Fault(FaultCode::kRequestDenied, "locked");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.fault().number(), 9001u);
}

}  // namespace
}  // namespace tr69
