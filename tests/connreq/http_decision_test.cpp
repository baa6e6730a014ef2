#include "tr69/connreq/http_decision.h"

#include <gtest/gtest.h>

namespace tr69::connreq {
namespace {

HttpVerdict decide(std::string_view method, std::string_view path, DigestOutcome digest,
                   bool configured = true, int* digestCalls = nullptr) {
  HttpRequestFacts facts{method, path, "aastra/tr69", configured};
  return decideHttpConnectionRequest(facts, [&] {
    if (digestCalls) ++*digestCalls;
    return digest;
  });
}

TEST(HttpDecisionTest, ValidGetOnThePathIsAccepted) {
  EXPECT_EQ(decide("GET", "/aastra/tr69", DigestOutcome::kValid), HttpVerdict::kAccept);
  EXPECT_EQ(decide("GET", "/aastra/tr69?x=1", DigestOutcome::kValid), HttpVerdict::kAccept);
}

TEST(HttpDecisionTest, PathThenMethodThenAuthentication) {
  int calls = 0;
  EXPECT_EQ(decide("POST", "/other", DigestOutcome::kValid, true, &calls), HttpVerdict::kNotFound);
  EXPECT_EQ(decide("GET", "/aastra/tr69/", DigestOutcome::kValid, true, &calls),
            HttpVerdict::kNotFound);
  EXPECT_EQ(decide("GET", "/AASTRA/tr69", DigestOutcome::kValid, true, &calls),
            HttpVerdict::kNotFound);
  EXPECT_EQ(decide("POST", "/aastra/tr69", DigestOutcome::kValid, true, &calls),
            HttpVerdict::kMethodNotAllowed);
  EXPECT_EQ(decide("HEAD", "/aastra/tr69", DigestOutcome::kValid, true, &calls),
            HttpVerdict::kMethodNotAllowed);
  EXPECT_EQ(decide("get", "/aastra/tr69", DigestOutcome::kValid, true, &calls),
            HttpVerdict::kMethodNotAllowed);
  EXPECT_EQ(calls, 0);  // no digest work for requests that fail earlier
}

TEST(HttpDecisionTest, CredentialProblemsGiveAChallenge) {
  EXPECT_EQ(decide("GET", "/aastra/tr69", DigestOutcome::kMissing), HttpVerdict::kChallenge);
  EXPECT_EQ(decide("GET", "/aastra/tr69", DigestOutcome::kWrongUser), HttpVerdict::kChallenge);
  EXPECT_EQ(decide("GET", "/aastra/tr69", DigestOutcome::kBadResponse), HttpVerdict::kChallenge);
  EXPECT_EQ(decide("GET", "/aastra/tr69", DigestOutcome::kStaleNonce),
            HttpVerdict::kChallengeStale);
}

TEST(HttpDecisionTest, UnconfiguredCredentialsRefuseEverything) {
  int calls = 0;
  EXPECT_EQ(decide("GET", "/aastra/tr69", DigestOutcome::kValid, false, &calls),
            HttpVerdict::kChallenge);
  EXPECT_EQ(calls, 0);
}

TEST(HttpDecisionTest, StatusCodes) {
  EXPECT_EQ(httpStatusFor(HttpVerdict::kAccept), 200);
  EXPECT_EQ(httpStatusFor(HttpVerdict::kChallenge), 401);
  EXPECT_EQ(httpStatusFor(HttpVerdict::kChallengeStale), 401);
  EXPECT_EQ(httpStatusFor(HttpVerdict::kNotFound), 404);
  EXPECT_EQ(httpStatusFor(HttpVerdict::kMethodNotAllowed), 405);
}

}  // namespace
}  // namespace tr69::connreq
