// The parameter tree: a full-tree read walk (GetParameterValues "Device.") and a 20-parameter
// atomic SetParameterValues, over the generated Aastra model with in-memory storage.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "tr69/datamodel/dm.h"
#include "tr69/model/memory_storage.h"
#include "tr69/model/tree.h"

namespace {

using tr69::model::ChangeCause;
using tr69::model::MemoryStorage;
using tr69::model::SetRequest;
using tr69::model::Tree;

void BM_FullTreeRead(benchmark::State& state) {
  const auto& model = tr69::datamodel::aastraModel();
  MemoryStorage storage(model, 9);
  Tree tree(model, storage, 9);
  std::vector<std::string> names{"Device."};
  std::size_t values = 0;
  for (auto _ : state) {
    auto r = tree.getValues(names);
    values = r->size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["parameters"] = static_cast<double>(values);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values));
}
BENCHMARK(BM_FullTreeRead)->Unit(benchmark::kMicrosecond);

void BM_FullTreeNames(benchmark::State& state) {
  const auto& model = tr69::datamodel::aastraModel();
  MemoryStorage storage(model, 9);
  Tree tree(model, storage, 9);
  for (auto _ : state) {
    auto r = tree.parameterNames("", false);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_FullTreeNames)->Unit(benchmark::kMicrosecond);

std::vector<SetRequest> twentyParameters(int round) {
  std::vector<SetRequest> requests;
  const std::string base = "Device.Services.VoiceService.1.VoiceProfile.";
  for (int line = 1; line <= 4; ++line) {
    std::string p = base + std::to_string(line) + ".";
    requests.push_back(
        {p + "SIP.ProxyServer", "pbx" + std::to_string(round) + ".example", "xsd:string"});
    requests.push_back(
        {p + "SIP.ProxyServerPort", std::to_string(5060 + round % 10), "xsd:unsignedInt"});
    requests.push_back({p + "SIP.RegistrationPeriod", "3600", "xsd:unsignedInt"});
    requests.push_back(
        {p + "Line.1.SIP.AuthUserName", "user" + std::to_string(line), std::nullopt});
    requests.push_back(
        {p + "Line.1.CallingFeatures.CallWaitingEnable", round % 2 ? "1" : "false", "xsd:boolean"});
  }
  return requests;
}

void BM_AtomicSet20(benchmark::State& state) {
  const auto& model = tr69::datamodel::aastraModel();
  MemoryStorage storage(model, 9);
  Tree tree(model, storage, 9);
  auto requests = twentyParameters(0);
  for (auto _ : state) {
    auto outcome = tree.setValues(requests, ChangeCause::kAcs);
    benchmark::DoNotOptimize(outcome);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * requests.size()));
}
BENCHMARK(BM_AtomicSet20)->Unit(benchmark::kMicrosecond);

void BM_TypedGet(benchmark::State& state) {
  const auto& model = tr69::datamodel::aastraModel();
  MemoryStorage storage(model, 9);
  Tree tree(model, storage, 9);
  for (auto _ : state) {
    auto v = tree.get(tr69::dm::Services::VoiceService::VoiceProfile::SIP::ProxyServerPort, {1, 5});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_TypedGet);

}  // namespace
