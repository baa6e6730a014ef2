#include "acs/rpc.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace tr69::testacs {

namespace {

// Schema order of each method's scalar and array arguments, with the value written when a test
// leaves an argument out. "@names", "@values" and "@attributes" stand for the arrays.
struct ArgumentSpec {
  const char* name;
  const char* neutral;
};

const std::map<std::string, std::vector<ArgumentSpec>, std::less<>>& argumentOrder() {
  static const std::map<std::string, std::vector<ArgumentSpec>, std::less<>> kOrder = {
      {"GetRPCMethods", {}},
      {"GetParameterNames", {{"ParameterPath", ""}, {"NextLevel", "false"}}},
      {"GetParameterValues", {{"@names", ""}}},
      {"SetParameterValues", {{"@values", ""}, {"ParameterKey", ""}}},
      {"GetParameterAttributes", {{"@names", ""}}},
      {"SetParameterAttributes", {{"@attributes", ""}}},
      {"AddObject", {{"ObjectName", ""}, {"ParameterKey", ""}}},
      {"DeleteObject", {{"ObjectName", ""}, {"ParameterKey", ""}}},
      {"Reboot", {{"CommandKey", ""}}},
      {"FactoryReset", {}},
      {"Download",
       {{"CommandKey", ""},
        {"FileType", "1 Firmware Upgrade Image"},
        {"URL", ""},
        {"Username", ""},
        {"Password", ""},
        {"FileSize", "0"},
        {"TargetFileName", ""},
        {"DelaySeconds", "0"},
        {"SuccessURL", ""},
        {"FailureURL", ""}}},
      {"Upload",
       {{"CommandKey", ""},
        {"FileType", "1 Vendor Configuration File"},
        {"URL", ""},
        {"Username", ""},
        {"Password", ""},
        {"DelaySeconds", "0"}}},
      {"ScheduleInform", {{"DelaySeconds", "0"}, {"CommandKey", ""}}},
      {"GetQueuedTransfers", {}},
      {"GetAllQueuedTransfers", {}},
      {"CancelTransfer", {{"CommandKey", ""}}},
  };
  return kOrder;
}

std::string arrayType(const char* type, std::size_t count) {
  return std::string(type) + "[" + std::to_string(count) + "]";
}

void appendStringArray(pugi::xml_node method, const char* name,
                       const std::vector<std::string>& items) {
  pugi::xml_node array = method.append_child(name);
  array.append_attribute("soap-enc:arrayType") = arrayType("xsd:string", items.size()).c_str();
  for (const std::string& item : items)
    appendTextChild(array, "string", item);
}

void appendValues(pugi::xml_node method, const std::vector<ParameterValue>& values) {
  pugi::xml_node list = method.append_child("ParameterList");
  list.append_attribute("soap-enc:arrayType") =
      arrayType("cwmp:ParameterValueStruct", values.size()).c_str();
  for (const ParameterValue& value : values) {
    pugi::xml_node entry = list.append_child("ParameterValueStruct");
    appendTextChild(entry, "Name", value.name);
    pugi::xml_node v = appendTextChild(entry, "Value", value.value);
    if (!value.type.empty()) v.append_attribute("xsi:type") = value.type.c_str();
  }
}

void appendAttributes(pugi::xml_node method, const std::vector<AttributeChange>& attributes) {
  pugi::xml_node list = method.append_child("ParameterList");
  list.append_attribute("soap-enc:arrayType") =
      arrayType("cwmp:SetParameterAttributesStruct", attributes.size()).c_str();
  for (const AttributeChange& change : attributes) {
    pugi::xml_node entry = list.append_child("SetParameterAttributesStruct");
    appendTextChild(entry, "Name", change.name);
    appendTextChild(entry, "NotificationChange", change.notificationChange ? "true" : "false");
    appendTextChild(entry, "Notification", std::to_string(change.notification));
    appendTextChild(entry, "AccessListChange", change.accessListChange ? "true" : "false");
    appendStringArray(entry, "AccessList", change.accessList);
  }
}

std::uint32_t toUint(std::string_view text) {
  std::uint32_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() ? value : 0;
}

std::string xsiType(pugi::xml_node value) {
  for (pugi::xml_attribute attribute : value.attributes()) {
    if (localName(attribute.name()) == "type" && attributeNamespace(value, attribute) == kXsiNs) {
      return attribute.value();
    }
  }
  return {};
}

std::vector<ParameterValue> parseValueList(pugi::xml_node list) {
  std::vector<ParameterValue> out;
  for (pugi::xml_node entry : elementChildren(list)) {
    pugi::xml_node value = childByLocalName(entry, "Value");
    out.push_back({childText(entry, "Name").value_or(""), value.text().get(), xsiType(value)});
  }
  return out;
}

}  // namespace

std::string RpcRequest::arg(const std::string& name) const {
  for (const auto& [key, value] : args) {
    if (key == name) return value;
  }
  return {};
}

RpcRequest getParameterValues(std::vector<std::string> names) {
  RpcRequest request;
  request.method = "GetParameterValues";
  request.names = std::move(names);
  return request;
}

RpcRequest getParameterNames(std::string path, bool nextLevel) {
  RpcRequest request;
  request.method = "GetParameterNames";
  request.with("ParameterPath", std::move(path)).with("NextLevel", nextLevel ? "true" : "false");
  return request;
}

RpcRequest setParameterValues(std::vector<ParameterValue> values, std::string parameterKey) {
  RpcRequest request;
  request.method = "SetParameterValues";
  request.values = std::move(values);
  request.with("ParameterKey", std::move(parameterKey));
  return request;
}

RpcRequest simpleRequest(std::string method) {
  RpcRequest request;
  request.method = std::move(method);
  return request;
}

std::string writeRequest(std::string_view cwmpNs, const std::string& id,
                         std::optional<bool> holdRequests, const RpcRequest& request) {
  HeaderFields header;
  header.id = id;
  header.holdRequests = holdRequests;
  return writeEnvelope(cwmpNs, header, [&](pugi::xml_node body) {
    pugi::xml_node method = body.append_child(("cwmp:" + request.method).c_str());
    if (request.rawArguments) {
      pugi::xml_document fragment;
      const std::string wrapped = "<w>" + *request.rawArguments + "</w>";
      if (fragment.load_buffer(wrapped.data(), wrapped.size())) {
        for (pugi::xml_node child : fragment.first_child().children())
          method.append_copy(child);
      }
      return;
    }
    std::set<std::string> written;
    const auto& order = argumentOrder();
    if (auto it = order.find(request.method); it != order.end()) {
      for (const ArgumentSpec& spec : it->second) {
        const std::string name = spec.name;
        if (name == "@names") {
          appendStringArray(method, "ParameterNames", request.names);
        } else if (name == "@values") {
          appendValues(method, request.values);
        } else if (name == "@attributes") {
          appendAttributes(method, request.attributes);
        } else {
          const bool given = std::any_of(request.args.begin(), request.args.end(),
                                         [&](const auto& a) { return a.first == name; });
          appendTextChild(method, spec.name, given ? request.arg(name) : spec.neutral);
          written.insert(name);
        }
      }
    }
    for (const auto& [name, value] : request.args) {
      if (!written.count(name)) appendTextChild(method, name.c_str(), value);
    }
  });
}

const ParameterValue* RpcResponse::value(std::string_view name) const {
  for (const ParameterValue& v : values) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

RpcResponse parseResponse(const Envelope& envelope) {
  RpcResponse out;
  out.method = envelope.methodName;
  pugi::xml_node method = envelope.method;
  if (envelope.isFault()) {
    out.isFault = true;
    out.soapFaultCode = std::string(localName(childText(method, "faultcode").value_or("")));
    pugi::xml_node cwmpFault = childByLocalName(childByLocalName(method, "detail"), "Fault");
    out.faultCode = toUint(childText(cwmpFault, "FaultCode").value_or(""));
    out.faultString = childText(cwmpFault, "FaultString").value_or("");
    for (pugi::xml_node entry : elementChildren(cwmpFault)) {
      if (localName(entry.name()) != "SetParameterValuesFault") continue;
      out.setParameterValuesFaults.push_back({childText(entry, "ParameterName").value_or(""),
                                              toUint(childText(entry, "FaultCode").value_or("")),
                                              childText(entry, "FaultString").value_or("")});
    }
    return out;
  }
  for (pugi::xml_node child : elementChildren(method)) {
    const std::string_view name = localName(child.name());
    if (name == "ParameterList") {
      for (pugi::xml_node entry : elementChildren(child)) {
        const std::string_view kind = localName(entry.name());
        if (kind == "ParameterInfoStruct") {
          const std::string writable = childText(entry, "Writable").value_or("");
          out.parameterNames.emplace_back(childText(entry, "Name").value_or(""),
                                          writable == "1" || writable == "true");
        } else if (kind == "ParameterAttributeStruct") {
          ParameterAttribute attribute;
          attribute.name = childText(entry, "Name").value_or("");
          attribute.notification = childText(entry, "Notification").value_or("");
          for (pugi::xml_node item : elementChildren(childByLocalName(entry, "AccessList"))) {
            attribute.accessList.push_back(item.text().get());
          }
          out.attributes.push_back(std::move(attribute));
        }
      }
      if (out.parameterNames.empty() && out.attributes.empty()) {
        out.values = parseValueList(child);
      }
    } else if (name == "TransferList") {
      for (pugi::xml_node entry : elementChildren(child)) {
        std::map<std::string, std::string> fields;
        for (pugi::xml_node field : elementChildren(entry))
          fields[std::string(localName(field.name()))] = field.text().get();
        out.transferList.push_back(std::move(fields));
      }
    } else if (name == "MethodList") {
      for (pugi::xml_node item : elementChildren(child))
        out.methodList.push_back(item.text().get());
    } else if (elementChildren(child).empty()) {
      out.fields[std::string(name)] = child.text().get();
    }
  }
  return out;
}

bool InformMessage::hasEvent(std::string_view code) const {
  return std::any_of(events.begin(), events.end(),
                     [&](const EventStruct& e) { return e.code == code; });
}

bool InformMessage::hasEvent(std::string_view code, std::string_view commandKey) const {
  return std::any_of(events.begin(), events.end(), [&](const EventStruct& e) {
    return e.code == code && e.commandKey == commandKey;
  });
}

const ParameterValue* InformMessage::parameter(std::string_view name) const {
  for (const ParameterValue& p : parameters) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

InformMessage parseInform(pugi::xml_node inform) {
  InformMessage out;
  pugi::xml_node device = childByLocalName(inform, "DeviceId");
  out.manufacturer = childText(device, "Manufacturer").value_or("");
  out.oui = childText(device, "OUI").value_or("");
  out.productClass = childText(device, "ProductClass").value_or("");
  out.serialNumber = childText(device, "SerialNumber").value_or("");
  for (pugi::xml_node entry : elementChildren(childByLocalName(inform, "Event"))) {
    out.events.push_back(
        {childText(entry, "EventCode").value_or(""), childText(entry, "CommandKey").value_or("")});
  }
  out.maxEnvelopes = childText(inform, "MaxEnvelopes").value_or("");
  out.currentTime = childText(inform, "CurrentTime").value_or("");
  out.retryCount = childText(inform, "RetryCount").value_or("");
  out.parameters = parseValueList(childByLocalName(inform, "ParameterList"));
  return out;
}

TransferCompleteMessage parseTransferComplete(pugi::xml_node element) {
  TransferCompleteMessage out;
  out.commandKey = childText(element, "CommandKey").value_or("");
  pugi::xml_node fault = childByLocalName(element, "FaultStruct");
  out.faultCode = toUint(childText(fault, "FaultCode").value_or(""));
  out.faultString = childText(fault, "FaultString").value_or("");
  out.startTime = childText(element, "StartTime").value_or("");
  out.completeTime = childText(element, "CompleteTime").value_or("");
  return out;
}

std::vector<std::string> checkExpectation(const Expectation& expectation, const RpcRequest& request,
                                          const RpcResponse& response) {
  std::vector<std::string> failures;
  const std::string what = request.method + ": ";
  using Kind = Expectation::Kind;
  if (expectation.kind == Kind::kAnything) return failures;
  if (expectation.kind == Kind::kFault) {
    if (!response.isFault) {
      failures.push_back(what + "expected fault " + std::to_string(expectation.faultCode) +
                         ", got " + response.method);
      return failures;
    }
    if (expectation.faultCode != 0 && response.faultCode != expectation.faultCode) {
      failures.push_back(what + "expected fault " + std::to_string(expectation.faultCode) +
                         ", got fault " + std::to_string(response.faultCode));
    }
    for (const auto& [expectedName, expectedCode] : expectation.setParameterValuesFaults) {
      const std::string& name = expectedName;
      const std::uint32_t code = expectedCode;
      const auto& entries = response.setParameterValuesFaults;
      const bool found = std::any_of(entries.begin(), entries.end(), [&](const auto& e) {
        return e.name == name && e.code == code;
      });
      if (!found) {
        failures.push_back(what + "expected SetParameterValuesFault " + name + " " +
                           std::to_string(code));
      }
    }
    return failures;
  }
  if (response.isFault) {
    failures.push_back(what + "expected success, got fault " + std::to_string(response.faultCode) +
                       " (" + response.faultString + ")");
    return failures;
  }
  if (response.method != request.method + "Response") {
    failures.push_back(what + "expected " + request.method + "Response, got " + response.method);
  }
  auto isPresent = [&](const std::string& name) {
    if (response.value(name)) return true;
    for (const auto& entry : response.parameterNames) {
      if (entry.first == name) return true;
    }
    for (const auto& entry : response.attributes) {
      if (entry.name == name) return true;
    }
    return false;
  };
  for (const ParameterValue& expected : expectation.values) {
    const ParameterValue* actual = response.value(expected.name);
    if (!actual) {
      failures.push_back(what + "value of " + expected.name + " missing");
    } else if (actual->value != expected.value) {
      failures.push_back(what + expected.name + " is '" + actual->value + "', expected '" +
                         expected.value + "'");
    } else if (!expected.type.empty() && actual->type != expected.type) {
      failures.push_back(what + expected.name + " has type '" + actual->type + "', expected '" +
                         expected.type + "'");
    }
  }
  for (const std::string& name : expectation.present) {
    if (!isPresent(name)) failures.push_back(what + name + " missing from the response");
  }
  for (const std::string& name : expectation.absent) {
    if (isPresent(name)) failures.push_back(what + name + " present but should not be");
  }
  if (expectation.count) {
    const std::size_t actual =
        response.values.size() + response.parameterNames.size() + response.attributes.size();
    if (actual != *expectation.count) {
      failures.push_back(what + std::to_string(actual) + " entries, expected " +
                         std::to_string(*expectation.count));
    }
  }
  for (const auto& [name, value] : expectation.fields) {
    auto it = response.fields.find(name);
    if (it == response.fields.end()) {
      failures.push_back(what + name + " missing");
    } else if (it->second != value) {
      failures.push_back(what + name + " is '" + it->second + "', expected '" + value + "'");
    }
  }
  return failures;
}

}  // namespace tr69::testacs
