#include "acs/scenario.h"

#include <charconv>
#include <sstream>
#include <type_traits>

#include "acs/conformance.h"
#include "tr69/base/file_util.h"

namespace tr69::testacs {

namespace {

Fault bad(const pugi::xml_node& node, const std::string& text) {
  return Fault(FaultCode::kInvalidArguments,
               "scenario: <" + std::string(node.name()) + ">: " + text);
}

std::optional<long> toLong(std::string_view text) {
  long value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// Reads an integer attribute within [low, high]; absent keeps `out`.
Status readInt(pugi::xml_node node, const char* name, long low, long high, auto& out) {
  pugi::xml_attribute attribute = node.attribute(name);
  if (!attribute) return {};
  auto value = toLong(attribute.value());
  if (!value || *value < low || *value > high) {
    return bad(node, std::string("attribute ") + name + "='" + attribute.value() +
                         "' is not an integer in [" + std::to_string(low) + ", " +
                         std::to_string(high) + "]");
  }
  out = static_cast<std::remove_reference_t<decltype(out)>>(*value);
  return {};
}

Status readBool(pugi::xml_node node, const char* name, bool& out) {
  pugi::xml_attribute attribute = node.attribute(name);
  if (!attribute) return {};
  const std::string_view text = attribute.value();
  if (text == "true" || text == "1") {
    out = true;
  } else if (text == "false" || text == "0") {
    out = false;
  } else {
    return bad(node, std::string("attribute ") + name + " must be true or false");
  }
  return {};
}

Result<Expectation> parseExpectation(pugi::xml_node node) {
  Expectation expect;
  const std::string result = node.attribute("result").as_string("success");
  if (result == "success") {
    expect.kind = Expectation::Kind::kSuccess;
  } else if (result == "fault") {
    expect.kind = Expectation::Kind::kFault;
  } else if (result == "any") {
    expect.kind = Expectation::Kind::kAnything;
  } else {
    return bad(node, "result must be success, fault or any");
  }
  if (node.attribute("fault")) {
    expect.kind = Expectation::Kind::kFault;
    if (Status s = readInt(node, "fault", 0, 9899, expect.faultCode); !s) return s.fault();
  }
  if (node.attribute("count")) {
    long count = 0;
    if (Status s = readInt(node, "count", 0, 1000000, count); !s) return s.fault();
    expect.count = static_cast<std::size_t>(count);
  }
  if (pugi::xml_attribute status = node.attribute("status"))
    expect.fields["Status"] = status.value();
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view kind = child.name();
    const std::string name = child.attribute("name").as_string();
    if (kind == "value") {
      expect.values.push_back({name, child.text().get(), child.attribute("type").as_string()});
    } else if (kind == "present") {
      expect.present.push_back(name);
    } else if (kind == "absent") {
      expect.absent.push_back(name);
    } else if (kind == "field") {
      expect.fields[name] = child.text().get();
    } else if (kind == "spv-fault") {
      std::uint32_t code = 0;
      if (Status s = readInt(child, "code", 9000, 9899, code); !s) return s.fault();
      expect.setParameterValuesFaults[name] = code;
    } else {
      return bad(child, "unknown element in <expect>");
    }
  }
  return expect;
}

Result<Step> parseRpc(pugi::xml_node node) {
  Step step;
  step.request.method = node.attribute("method").as_string();
  if (step.request.method.empty()) return bad(node, "rpc needs a method attribute");
  if (Status s = readInt(node, "delay-ms", 0, 600000, step.delayMs); !s) return s.fault();
  if (Status s = readBool(node, "hold-requests", step.holdRequests); !s) return s.fault();
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view kind = child.name();
    if (kind == "name") {
      step.request.names.push_back(child.text().get());
    } else if (kind == "arg") {
      step.request.with(child.attribute("name").as_string(), child.text().get());
    } else if (kind == "value") {
      step.request.values.push_back({child.attribute("name").as_string(), child.text().get(),
                                     child.attribute("type").as_string("xsd:string")});
    } else if (kind == "attribute") {
      AttributeChange change;
      change.name = child.attribute("name").as_string();
      if (child.attribute("notification")) {
        change.notificationChange = true;
        if (Status s = readInt(child, "notification", 0, 6, change.notification); !s) {
          return s.fault();
        }
      }
      if (pugi::xml_attribute list = child.attribute("access-list")) {
        change.accessListChange = true;
        const std::string text = list.value();
        if (!text.empty()) change.accessList.push_back(text);
      }
      step.request.attributes.push_back(std::move(change));
    } else if (kind == "raw") {
      std::string inner;
      for (pugi::xml_node part : child.children()) {
        std::ostringstream out;
        part.print(out, "", pugi::format_raw);
        inner += out.str();
      }
      step.request.rawArguments = inner;
    } else if (kind == "expect") {
      auto expect = parseExpectation(child);
      if (!expect) return expect.fault();
      step.expect = std::move(*expect);
    } else {
      return bad(child, "unknown element in <rpc>");
    }
  }
  return step;
}

Result<SessionScript> parseSession(pugi::xml_node node) {
  SessionScript script;
  if (pugi::xml_attribute auth = node.attribute("auth")) {
    auto mode = parseAuthMode(auth.value());
    if (!mode) return bad(node, "auth must be none, basic, digest or digest-auth-int");
    script.auth = *mode;
  }
  script.username = node.attribute("username").as_string(script.username.c_str());
  script.password = node.attribute("password").as_string(script.password.c_str());
  if (pugi::xml_attribute cookie = node.attribute("cookie")) {
    const std::string_view text = cookie.value();
    if (text != "required" && text != "optional") {
      return bad(node, "cookie must be required or optional");
    }
    script.requireCookie = text == "required";
  }
  for (Status s : {readBool(node, "single-connection", script.requireSingleConnection),
                   readInt(node, "redirects", 0, 20, script.redirects),
                   readInt(node, "redirect-code", 301, 307, script.redirectCode),
                   readInt(node, "inform-status", 0, 599, script.informHttpStatus),
                   readBool(node, "close-on-inform", script.closeOnInform),
                   readInt(node, "inform-fault", 0, 8899, script.informFault),
                   readInt(node, "cpe-request-faults", 0, 100, script.cpeRequestFaults),
                   readInt(node, "cpe-request-fault", 8000, 8899, script.cpeRequestFault),
                   readBool(node, "hold-requests", script.holdRequests),
                   readInt(node, "inform-delay-ms", 0, 600000, script.informDelayMs),
                   readInt(node, "cpe-request-delay-ms", 0, 600000, script.cpeRequestDelayMs),
                   readBool(node, "close-at-end", script.closeAtEnd),
                   readInt(node, "final-status", 200, 204, script.finalStatus)}) {
    if (!s) return s.fault();
  }
  if (script.finalStatus != 200 && script.finalStatus != 204) {
    return bad(node, "final-status must be 200 or 204");
  }
  if (script.redirectCode != 301 && script.redirectCode != 302 && script.redirectCode != 307) {
    return bad(node, "redirect-code must be 301, 302 or 307");
  }
  script.useCwmpVersion = node.attribute("use-cwmp-version").as_string();
  if (pugi::xml_attribute path = node.attribute("cookie-path")) {
    script.cookiePath = path.value();
    if (script.cookiePath.empty() || script.cookiePath.front() != '/' ||
        script.cookiePath.find_first_of(";\r\n") != std::string::npos) {
      return bad(node, "cookie-path must be a path starting with '/'");
    }
  }
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view kind = child.name();
    if (kind == "expect-event") {
      ExpectedEvent event{child.attribute("code").as_string(), std::nullopt};
      if (event.code.empty()) return bad(child, "expect-event needs a code");
      if (pugi::xml_attribute key = child.attribute("command-key")) event.commandKey = key.value();
      script.expectEvents.push_back(std::move(event));
    } else if (kind == "forbid-event") {
      script.forbidEvents.push_back(child.attribute("code").as_string());
    } else if (kind == "expect-parameter") {
      ExpectedParameter parameter{child.attribute("name").as_string(), std::nullopt};
      if (pugi::xml_attribute value = child.attribute("value")) parameter.value = value.value();
      script.expectParameters.push_back(std::move(parameter));
    } else if (kind == "rpc") {
      auto step = parseRpc(child);
      if (!step) return step.fault();
      script.steps.push_back(std::move(*step));
    } else if (kind == "http-error") {
      Step step = Step::httpError(500);
      if (Status s = readInt(child, "status", 100, 599, step.httpStatus); !s) return s.fault();
      if (Status s = readInt(child, "delay-ms", 0, 600000, step.delayMs); !s) return s.fault();
      script.steps.push_back(std::move(step));
    } else if (kind == "close-connection") {
      script.steps.push_back(Step::closeConnection());
    } else {
      return bad(child, "unknown element in <session>");
    }
  }
  return script;
}

}  // namespace

bool SessionScript::failsOnPurpose() const {
  if (informHttpStatus != 0 || closeOnInform || (informFault != 0 && informFault != 8005)) {
    return true;
  }
  for (const Step& step : steps) {
    if (step.action != Step::Action::kRequest) return true;
  }
  return informFault == 8005;
}

Scenario::Scenario() : forcedParameters(defaultForcedInformParameters()) {}

const SessionScript& Scenario::script(std::size_t sessionIndex) const {
  return sessionIndex < sessions.size() ? sessions[sessionIndex] : defaultSession;
}

Result<Scenario> parseScenario(std::string_view xml) {
  pugi::xml_document document;
  const pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return Fault(FaultCode::kInvalidArguments, std::string("scenario: XML not well formed: ") +
                                                   parsed.description() + " at offset " +
                                                   std::to_string(parsed.offset));
  }
  pugi::xml_node root = document.document_element();
  if (std::string_view(root.name()) != "scenario") {
    return Fault(FaultCode::kInvalidArguments, "scenario: root element must be <scenario>");
  }
  Scenario scenario;
  if (Status s = readBool(root, "check-conformance", scenario.checkConformance); !s) {
    return s.fault();
  }
  if (pugi::xml_attribute forced = root.attribute("forced-parameters")) {
    const std::string text = forced.value();
    if (text == "none") {
      scenario.forcedParameters.clear();
    } else if (text != "default") {
      scenario.forcedParameters.clear();
      std::size_t start = 0;
      while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) scenario.forcedParameters.push_back(text.substr(start, end - start));
        start = end + 1;
      }
    }
  }
  for (pugi::xml_node child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view kind = child.name();
    if (kind != "session" && kind != "default-session") {
      return bad(child, "unknown element in <scenario>");
    }
    auto script = parseSession(child);
    if (!script) return script.fault();
    if (kind == "session") {
      scenario.sessions.push_back(std::move(*script));
    } else {
      scenario.defaultSession = std::move(*script);
    }
  }
  return scenario;
}

Result<Scenario> loadScenarioFile(const std::string& path) {
  auto text = readFile(path, 4 * 1024 * 1024);
  if (!text) return text.fault();
  auto scenario = parseScenario(*text);
  if (!scenario) return Fault(scenario.fault().code, path + ": " + scenario.fault().message);
  return scenario;
}

}  // namespace tr69::testacs
