// A complete provisioning session of the real tr69d process against tr69-test-acs on loopback
// (issue #6 item 9): Inform, GetParameterNames of the whole tree, GetParameterValues of the whole
// tree, SetParameterValues of 20 parameters, SetParameterAttributes, end.
//
// Wall time: from the ACS accepting the Inform to the ACS's final empty answer (the test ACS's
// own parsing and conformance checks are inside it). Agent CPU time: utime + stime of the tr69d
// process (/proc/<pid>/stat, clock ticks) over the same span, so process start-up is not counted.
// Ticks are 10 ms on most kernels: the per-session CPU figure is the average over all iterations.
// acs_cpu_ms is the CPU time of the benchmark process itself (the test ACS) over the same span.
//
// BM_FirstBootstrapSession starts a fresh daemon per iteration (0 BOOTSTRAP + 1 BOOT Inform);
// BM_ProvisioningSession keeps one daemon and opens each session by a connection request (paced
// by the daemon's connection-request flood guard; the pause is outside the measured span).
// The daemon binary: $TR69D_BINARY, else the tr69d of this build.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "acs/agent_process.h"
#include "acs/connreq_client.h"
#include "acs/test_acs.h"

#ifndef TR69D_BINARY_DEFAULT
#define TR69D_BINARY_DEFAULT ""
#endif

namespace {

using namespace tr69::testacs;
using namespace std::chrono_literals;

std::string agentBinary() {
  const char* fromEnvironment = std::getenv("TR69D_BINARY");
  if (fromEnvironment != nullptr && *fromEnvironment != '\0') return fromEnvironment;
  return TR69D_BINARY_DEFAULT;
}

// utime + stime of a process in clock ticks; -1 when unreadable.
long long cpuTicks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  long long utime = 0;
  long long stime = 0;
  // Fields after the command: state(3) ... utime(14) stime(15).
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoll(field);
    if (index == 15) stime = std::stoll(field);
  }
  return utime + stime;
}

// CPU time of this process (the test ACS's threads), in ms.
double ownCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

double ticksToMs(long long ticks) {
  return static_cast<double>(ticks) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The provisioning steps; `round` varies the written values so that every session changes them.
SessionScript provisioning(int round) {
  SessionScript script;
  script.steps.push_back(Step::rpc(getParameterNames("", false)));
  script.steps.push_back(Step::rpc(getParameterValues({"Device."})));
  std::vector<ParameterValue> values;
  for (int line = 1; line <= 4; ++line) {
    const std::string sip =
        "Device.Services.VoiceService.1.VoiceProfile." + std::to_string(line) + ".SIP.";
    const std::string tag = std::to_string(round) + "-" + std::to_string(line);
    const std::string port = std::to_string(5060 + round % 100);
    values.push_back({sip + "ProxyServer", "proxy-" + tag + ".example", "xsd:string"});
    values.push_back({sip + "ProxyServerPort", port, "xsd:unsignedInt"});
    values.push_back({sip + "RegistrarServer", "registrar-" + tag + ".example", "xsd:string"});
    values.push_back({sip + "RegistrarServerPort", port, "xsd:unsignedInt"});
    values.push_back({sip + "OutboundProxy", "outbound-" + tag + ".example", "xsd:string"});
  }
  script.steps.push_back(Step::rpc(setParameterValues(values, "bench-" + std::to_string(round))));
  RpcRequest attributes;
  attributes.method = "SetParameterAttributes";
  for (int line = 1; line <= 4; ++line) {
    AttributeChange change;
    change.name =
        "Device.Services.VoiceService.1.VoiceProfile." + std::to_string(line) + ".SIP.ProxyServer";
    change.notificationChange = true;
    change.notification = 1;
    attributes.attributes.push_back(change);
  }
  script.steps.push_back(Step::rpc(attributes));
  return script;
}

// One daemon against one test ACS in a temporary directory.
class Rig {
 public:
  bool start(benchmark::State& state, int firstRound) {
    if (agentBinary().empty()) {
      state.SkipWithError("no tr69d binary (set TR69D_BINARY)");
      return false;
    }
    AcsOptions options;
    options.scenario.sessions.push_back(provisioning(firstRound));
    if (!acs_.start(options).ok() || !environment_.writeIdentity(PhoneIdentity{}).ok()) {
      state.SkipWithError("cannot start the test ACS");
      return false;
    }
    AgentConfig config;
    config.acsUrl = acs_.url();
    auto port = environment_.writeConfig(config);
    if (!port.ok()) {
      state.SkipWithError("cannot write the configuration");
      return false;
    }
    crUrl_ = "http://127.0.0.1:" + std::to_string(*port) + "/";
    // The fixture's command line asks for debug logs; the bench runs at the phone's default.
    if (!agent_
             .start(environment_.commandLine(agentBinary(), {"--log-level", "warning"}),
                    environment_.root() + "/tr69d.log")
             .ok()) {
      state.SkipWithError("cannot start tr69d");
      return false;
    }
    return true;
  }

  // Waits for session `index` to complete; its wall time, the agent's CPU ticks and the test
  // ACS's CPU time from the Inform on. False on a timeout or an ACS failure.
  bool measure(std::size_t index, double& wallMs, long long& ticks) {
    if (!acs_.waitForSessions(index + 1, 30s)) return false;
    const long long before = cpuTicks(agent_.pid());
    const double acsBefore = ownCpuMs();
    // The span is read inside the wait: copying every session record (acs_.sessions()) grows
    // with the iterations.
    double span = 0;
    if (!acs_.waitUntil(
            [index, &span](const auto& s) {
              if (s.size() <= index || !s[index].completed) return false;
              span = std::chrono::duration<double, std::milli>(s[index].completedAt -
                                                               s[index].informAt)
                         .count();
              return true;
            },
            30s)) {
      return false;
    }
    ticks = cpuTicks(agent_.pid()) - before;
    acsCpuMs += ownCpuMs() - acsBefore;
    wallMs = span;
    return acs_.failures().empty();
  }

  // Empty on success, else why the connection request was not accepted.
  std::string connectionRequest() {
    const auto result = sendHttpConnectionRequest(crUrl_, "cr-user", "cr-secret");
    if (result.status == 200 || result.status == 204) return {};
    return "connection request: HTTP " + std::to_string(result.status) + " " + result.error;
  }
  TestAcs& acs() { return acs_; }
  double acsCpuMs = 0;  // summed over measure() calls
  std::string failures() {
    std::string text;
    for (const auto& f : acs_.failures())
      text += f + "; ";
    return text;
  }
  ~Rig() {
    if (agent_.pid() > 0) agent_.stop(5s);
    acs_.stop();
  }

 private:
  AgentEnvironment environment_;
  TestAcs acs_;
  ChildProcess agent_;
  std::string crUrl_;
};

void BM_FirstBootstrapSession(benchmark::State& state) {
  long long totalTicks = 0;
  double acsCpuMs = 0;
  int round = 0;
  for (auto _ : state) {
    Rig rig;
    if (!rig.start(state, round)) return;
    double wallMs = 0;
    long long ticks = 0;
    if (!rig.measure(0, wallMs, ticks)) {
      state.SkipWithError(("session failed: " + rig.failures()).c_str());
      return;
    }
    state.SetIterationTime(wallMs / 1000.0);
    totalTicks += ticks;
    acsCpuMs += rig.acsCpuMs;
    ++round;
  }
  state.counters["agent_cpu_ms"] = ticksToMs(totalTicks) / static_cast<double>(round);
  state.counters["acs_cpu_ms"] = acsCpuMs / static_cast<double>(round);
}
BENCHMARK(BM_FirstBootstrapSession)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(8);

void BM_ProvisioningSession(benchmark::State& state) {
  Rig rig;
  if (!rig.start(state, 0)) return;
  double wallMs = 0;
  long long ticks = 0;
  if (!rig.measure(0, wallMs, ticks)) {  // the BOOTSTRAP session, not timed here
    state.SkipWithError(("first session failed: " + rig.failures()).c_str());
    return;
  }
  long long totalTicks = 0;
  rig.acsCpuMs = 0;
  std::size_t index = 1;
  auto lastRequest = std::chrono::steady_clock::now();
  for (auto _ : state) {
    rig.acs().addSession(provisioning(static_cast<int>(index)));
    // The connection-request flood guard refills one request per 500 ms (connreq
    // request_policy.h): pace the requests like an operator, outside the measured span.
    std::this_thread::sleep_until(lastRequest + 550ms);
    lastRequest = std::chrono::steady_clock::now();
    if (const std::string refused = rig.connectionRequest(); !refused.empty()) {
      state.SkipWithError(refused.c_str());
      return;
    }
    if (!rig.measure(index, wallMs, ticks)) {
      state.SkipWithError(("session failed: " + rig.failures()).c_str());
      return;
    }
    state.SetIterationTime(wallMs / 1000.0);
    totalTicks += ticks;
    ++index;
  }
  state.counters["agent_cpu_ms"] = ticksToMs(totalTicks) / static_cast<double>(index - 1);
  state.counters["acs_cpu_ms"] = rig.acsCpuMs / static_cast<double>(index - 1);
}
BENCHMARK(BM_ProvisioningSession)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);

}  // namespace

BENCHMARK_MAIN();
