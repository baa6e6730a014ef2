// cwmp_bench: the gSOAP codec on a whole-tree GetParameterValues (the ~500 parameters of the
// Aastra data model), compared with serialising the same response with plain pugixml.
//
//   BM_GsoapGpvWholeTree      decode GPV("Device.") + encode the response with every parameter
//   BM_GsoapGpvAllNames       decode GPV listing every name + encode the response
//   BM_GsoapEncodeGpvResponse encode the response only
//   BM_PugixmlEncodeGpvResponse the same response built as a pugixml DOM and saved (format_raw)
// The ratio gSOAP/pugixml is BM_GsoapEncodeGpvResponse / BM_PugixmlEncodeGpvResponse.
#include <benchmark/benchmark.h>

#include <fstream>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tr69/cwmp/codec.h"
#include "tr69/cwmp/dispatcher.h"

namespace {

using namespace tr69;
using namespace tr69::cwmp;

std::vector<ParameterValue> loadTree() {
  std::ifstream in(std::string(TR69_BENCH_DATA) + "/aastra_parameters.tsv");
  std::vector<ParameterValue> tree;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    std::string name = line.substr(0, tab), type = line.substr(tab + 1);
    std::string value = type == "boolean"       ? "1"
                        : type == "unsignedInt" ? "3600"
                        : type == "int"         ? "-1"
                        : type == "dateTime"    ? "2024-05-01T10:00:00Z"
                        : type == "base64"      ? "AAECAwQ="
                                                : "value of " + name.substr(name.rfind('.') + 1);
    tree.push_back({name, value, "xsd:" + type});
  }
  return tree;
}

const std::vector<ParameterValue>& tree() {
  static const std::vector<ParameterValue> loaded = loadTree();
  return loaded;
}

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

// Answers GPV from the loaded tree (a partial path returns everything below it).
class TreeHandler final : public ParameterRpcs {
 public:
  Result<GetParameterNamesResponse> getParameterNames(const GetParameterNames&) override {
    return Fault(FaultCode::kMethodNotSupported, "bench");
  }
  Result<GetParameterValuesResponse> getParameterValues(const GetParameterValues& r) override {
    GetParameterValuesResponse response;
    response.values.reserve(tree().size());
    for (const auto& name : r.names) {
      for (const auto& p : tree()) {
        if (p.name == name || (name.ends_with('.') && p.name.starts_with(name))) {
          response.values.push_back(p);
        }
      }
    }
    return response;
  }
  SetParameterValuesResult setParameterValues(const SetParameterValues&) override {
    return CwmpFault(FaultCode::kRequestDenied, "bench");
  }
  Result<GetParameterAttributesResponse> getParameterAttributes(
      const GetParameterAttributes&) override {
    return Fault(FaultCode::kRequestDenied, "bench");
  }
  Result<SetParameterAttributesResponse> setParameterAttributes(
      const SetParameterAttributes&) override {
    return Fault(FaultCode::kRequestDenied, "bench");
  }
  Result<AddObjectResponse> addObject(const AddObject&) override {
    return Fault(FaultCode::kRequestDenied, "bench");
  }
  Result<DeleteObjectResponse> deleteObject(const DeleteObject&) override {
    return Fault(FaultCode::kRequestDenied, "bench");
  }
};

void runGpv(benchmark::State& state, const std::string& request) {
  Codec codec;
  TreeHandler parameters;
  RejectingActions actions;
  CombinedRpcHandler handler(parameters, actions);
  std::size_t bytes = 0;
  for (auto _ : state) {
    ServeResult result = serve(codec, request, handler);
    bytes = result.reply->size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["params"] = static_cast<double>(tree().size());
  state.counters["request_bytes"] = static_cast<double>(request.size());
  state.counters["response_bytes"] = static_cast<double>(bytes);
}

void BM_GsoapGpvWholeTree(benchmark::State& state) {
  runGpv(state, gpvRequest({"Device."}));
}
BENCHMARK(BM_GsoapGpvWholeTree);

void BM_GsoapGpvAllNames(benchmark::State& state) {
  std::vector<std::string> names;
  for (const auto& p : tree())
    names.push_back(p.name);
  runGpv(state, gpvRequest(names));
}
BENCHMARK(BM_GsoapGpvAllNames);

void BM_GsoapEncodeGpvResponse(benchmark::State& state) {
  Codec codec;
  GetParameterValuesResponse response{tree()};
  for (auto _ : state) {
    std::string out = codec.encodeResponse(response, {CwmpVersion::k1_0, "bench"});
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_GsoapEncodeGpvResponse);

struct StringWriter final : pugi::xml_writer {
  std::string out;
  void write(const void* data, std::size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

void BM_PugixmlEncodeGpvResponse(benchmark::State& state) {
  const auto& values = tree();
  for (auto _ : state) {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto env = doc.append_child("soap-env:Envelope");
    env.append_attribute("xmlns:soap-env") = "http://schemas.xmlsoap.org/soap/envelope/";
    env.append_attribute("xmlns:soap-enc") = "http://schemas.xmlsoap.org/soap/encoding/";
    env.append_attribute("xmlns:xsd") = "http://www.w3.org/2001/XMLSchema";
    env.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
    env.append_attribute("xmlns:cwmp") = "urn:dslforum-org:cwmp-1-0";
    auto id = env.append_child("soap-env:Header").append_child("cwmp:ID");
    id.append_attribute("soap-env:mustUnderstand") = "1";
    id.text() = "bench";
    auto list = env.append_child("soap-env:Body")
                    .append_child("cwmp:GetParameterValuesResponse")
                    .append_child("ParameterList");
    list.append_attribute("soap-enc:arrayType") =
        ("cwmp:ParameterValueStruct[" + std::to_string(values.size()) + "]").c_str();
    for (const auto& p : values) {
      auto item = list.append_child("ParameterValueStruct");
      item.append_child("Name").text() = p.name.c_str();
      auto value = item.append_child("Value");
      value.append_attribute("xsi:type") = p.type.c_str();
      value.text() = p.value.c_str();
    }
    StringWriter writer;
    doc.save(writer, "", pugi::format_raw);
    benchmark::DoNotOptimize(writer.out);
  }
}
BENCHMARK(BM_PugixmlEncodeGpvResponse);

}  // namespace

BENCHMARK_MAIN();
