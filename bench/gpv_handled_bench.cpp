// gpv_handled_bench: a whole-tree GetParameterValues handled the way tr69d handles it, with the
// daemon's own parts and nothing stubbed on the parameter side:
//
//   cwmp::Dispatcher::serve(body)        the real gSOAP codec decodes the request,
//   session::ModelParameterRpcs          the daemon's parameter RPCs ask
//   model::Tree over phone::PhoneStorage the real phone storage, which reads the Aastra config
//                                        files (a scratch config dir holding the test server
//                                        files), the identity, the live system (HostSystem over a
//                                        scratch system root, as tr69d --system-root) and
//                                        stored.xml; then the response is encoded.
//
//   BM_GpvWholeTreeHandled   GPV("Device.") -> GetParameterValuesResponse envelope   target 1 ms
//   CPU BM_GpvTreeReadOnly       the model::Tree read alone, for the split decode/read/encode
//   BM_GpvSmallHandled       GPV of 3 names (a typical targeted read)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tr69/base/file_util.h"
#include "tr69/base/log.h"
#include "tr69/config/config_store.h"
#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/dispatcher.h"
#include "tr69/cwmp/rpc_handler.h"
#include "tr69/datamodel/descriptor.h"
#include "tr69/model/tree.h"
#include "tr69/phone/agent_values.h"
#include "tr69/phone/identity.h"
#include "tr69/phone/live_system.h"
#include "tr69/phone/phone_storage.h"
#include "tr69/session/parameter_rpcs.h"

namespace {

namespace fs = std::filesystem;
using namespace tr69;

std::string gpvRequest(const std::vector<std::string>& names) {
  std::string body =
      R"(<?xml version="1.0" encoding="UTF-8"?><soap-env:Envelope )"
      R"(xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" )"
      R"(xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" )"
      R"(xmlns:xsd="http://www.w3.org/2001/XMLSchema" )"
      R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
      R"(xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Header><cwmp:ID )"
      R"(soap-env:mustUnderstand="1">bench</cwmp:ID></soap-env:Header><soap-env:Body>)"
      R"(<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType="xsd:string[)" +
      std::to_string(names.size()) + "]\">";
  for (const auto& name : names)
    body += "<string>" + name + "</string>";
  return body + "</ParameterNames></cwmp:GetParameterValues></soap-env:Body></soap-env:Envelope>";
}

// A throw-away phone: config dir (the phone tests' server files), state dir, system root.
class ScratchPhone {
 public:
  ScratchPhone()
      : root_(fs::temp_directory_path() / ("tr69-gpv-bench-" + std::to_string(::getpid()))) {
    fs::remove_all(root_);
    fs::create_directories(root_ / "config");
    fs::create_directories(root_ / "state");
    fs::create_directories(root_ / "sysroot/run/tr69d");
    fs::create_directories(root_ / "sysroot/proc");
    for (const auto& entry : fs::directory_iterator(fs::path(TR69_SOURCE_DIR) / "tests" / "phone" /
                                                    "data" / "server")) {
      fs::copy_file(entry.path(), root_ / "config" / entry.path().filename());
    }
    (void)writeFileAtomic(root_ / "sysroot/run/tr69d/ipaddress", "127.0.0.1\n", 0644);
    (void)writeFileAtomic(root_ / "sysroot/proc/uptime", "4242.00 100.00\n", 0644);
    auto id = phone::Identity::parse(
        "model: 6757i\nmac: 00:08:5d:1a:2b:3c\nserial: SN0001\nsoftware version: 3.3.1.4322\n"
        "hardware version: 6757i Rev 3\n",
        "identity", log_);
    identity_ = *id;
    config_ = std::make_unique<config::ConfigStore>(
        config::ConfigStoreOptions{root_ / "config", identity_.model, identity_.mac}, log_);
    system_ = std::make_unique<phone::HostSystem>(root_ / "sysroot");
    phone::PhoneStorageOptions options;
    options.storedFile = root_ / "state" / "stored.xml";
    storage_ = std::make_unique<phone::PhoneStorage>(datamodel::aastraModel(), identity_, *config_,
                                                     *system_, agent_, options, log_);
    tree_ =
        std::make_unique<model::Tree>(datamodel::aastraModel(), *storage_, storage_->lineCount());
  }
  ~ScratchPhone() {
    tree_.reset();
    storage_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  model::Tree& tree() { return *tree_; }

 private:
  fs::path root_;
  Logger log_ = Logger::toStderr(LogLevel::kError);
  phone::Identity identity_;
  std::unique_ptr<config::ConfigStore> config_;
  std::unique_ptr<phone::HostSystem> system_;
  phone::AgentValues agent_;
  std::unique_ptr<phone::PhoneStorage> storage_;
  std::unique_ptr<model::Tree> tree_;
};

void runHandled(benchmark::State& state, const std::string& request) {
  ScratchPhone phone;
  cwmp::Codec codec;
  session::ModelParameterRpcs parameters(phone.tree(), [] {});
  cwmp::RejectingActions actions;
  cwmp::CombinedRpcHandler handler(parameters, actions);
  std::size_t responseBytes = 0;
  for (auto _ : state) {
    cwmp::ServeResult result = cwmp::Dispatcher(codec, handler).serve(request);
    if (!result.reply || result.reply->find("GetParameterValuesResponse") == std::string::npos) {
      state.SkipWithError("no GetParameterValuesResponse");
      break;
    }
    responseBytes = result.reply->size();
    benchmark::DoNotOptimize(result);
  }
  auto values = phone.tree().getValues(std::vector<std::string>{"Device."});
  state.counters["params"] = values ? static_cast<double>(values->size()) : 0.0;
  state.counters["response_bytes"] = static_cast<double>(responseBytes);
}

void BM_GpvWholeTreeHandled(benchmark::State& state) {
  runHandled(state, gpvRequest({"Device."}));
}
BENCHMARK(BM_GpvWholeTreeHandled)->Unit(benchmark::kMicrosecond);

void BM_GpvSmallHandled(benchmark::State& state) {
  runHandled(state, gpvRequest({"Device.DeviceInfo.SoftwareVersion", "Device.ManagementServer.URL",
                                "Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer"}));
}
BENCHMARK(BM_GpvSmallHandled)->Unit(benchmark::kMicrosecond);

void BM_GpvTreeReadOnly(benchmark::State& state) {
  ScratchPhone phone;
  const std::vector<std::string> names{"Device."};
  for (auto _ : state) {
    auto values = phone.tree().getValues(names);
    benchmark::DoNotOptimize(values);
  }
}
BENCHMARK(BM_GpvTreeReadOnly)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
