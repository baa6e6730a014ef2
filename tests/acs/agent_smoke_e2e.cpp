// End-to-end smoke test of the real daemon against the test ACS (label e2e). Skipped while no
// tr69d binary is configured (TR69D_BINARY in the environment or the CMake cache, or the tr69d
// target of this build).
#include <gtest/gtest.h>

#include "acs/agent_fixture.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;

class AgentSmokeE2e : public AgentTest {};

TEST_F(AgentSmokeE2e, FirstBootInformReachesTheAcsAndTheSessionEndsCleanly) {
  startAgent();
  if (IsSkipped()) return;
  ASSERT_TRUE(acs().waitForInformWithEvent("0 BOOTSTRAP", 60s));
  EXPECT_TRUE(acs().waitForCompletedSessions(1, 60s));
  const auto sessions = acs().sessions();
  ASSERT_FALSE(sessions.empty());
  EXPECT_TRUE(sessions[0].inform.hasEvent("1 BOOT"));
  EXPECT_EQ(sessions[0].inform.serialNumber, identity().serial);
  for (const std::string& failure : acs().failures())
    ADD_FAILURE() << failure;
}

}  // namespace
}  // namespace tr69::testacs
