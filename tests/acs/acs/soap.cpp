#include "acs/soap.h"

#include <sstream>

namespace tr69::testacs {

bool isCwmpNamespace(std::string_view uri) {
  return uri == kCwmp10Ns || uri == kCwmp11Ns || uri == kCwmp12Ns || uri == kCwmp13Ns;
}

std::string_view localName(std::string_view qualifiedName) {
  const auto colon = qualifiedName.find(':');
  return colon == std::string_view::npos ? qualifiedName : qualifiedName.substr(colon + 1);
}

namespace {

std::string_view prefixOf(std::string_view qualifiedName) {
  const auto colon = qualifiedName.find(':');
  return colon == std::string_view::npos ? std::string_view{} : qualifiedName.substr(0, colon);
}

// Looks up the URI bound to `prefix` ("" = default namespace) from `element` upwards.
std::string resolvePrefix(pugi::xml_node element, std::string_view prefix) {
  constexpr std::string_view kXmlns = "xmlns";
  auto declares = [&](std::string_view name) {
    if (!name.starts_with(kXmlns)) return false;
    name.remove_prefix(kXmlns.size());
    if (prefix.empty()) return name.empty();
    return name.size() == prefix.size() + 1 && name.front() == ':' && name.substr(1) == prefix;
  };
  for (pugi::xml_node node = element; node && node.type() == pugi::node_element;
       node = node.parent()) {
    for (pugi::xml_attribute attribute : node.attributes()) {
      if (declares(attribute.name())) return attribute.value();
    }
  }
  if (prefix == "xml") return "http://www.w3.org/XML/1998/namespace";
  return {};
}

}  // namespace

std::string namespaceOf(pugi::xml_node element) {
  return resolvePrefix(element, prefixOf(element.name()));
}

std::string attributeNamespace(pugi::xml_node owner, pugi::xml_attribute attribute) {
  const std::string_view prefix = prefixOf(attribute.name());
  if (prefix.empty() || prefix == "xmlns") return {};
  return resolvePrefix(owner, prefix);
}

pugi::xml_attribute findAttribute(pugi::xml_node element, std::string_view ns,
                                  std::string_view local) {
  for (pugi::xml_attribute attribute : element.attributes()) {
    if (localName(attribute.name()) == local && attributeNamespace(element, attribute) == ns) {
      return attribute;
    }
  }
  return {};
}

pugi::xml_node childByLocalName(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node child : parent.children()) {
    if (child.type() == pugi::node_element && localName(child.name()) == local) return child;
  }
  return {};
}

std::vector<pugi::xml_node> elementChildren(pugi::xml_node parent) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child : parent.children()) {
    if (child.type() == pugi::node_element) out.push_back(child);
  }
  return out;
}

std::optional<std::string> childText(pugi::xml_node parent, std::string_view local) {
  pugi::xml_node child = childByLocalName(parent, local);
  if (!child) return std::nullopt;
  return std::string(child.text().get());
}

Result<Envelope> parseEnvelope(std::string_view xml) {
  Envelope out;
  out.document = std::make_shared<pugi::xml_document>();
  const pugi::xml_parse_result parsed =
      out.document->load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return Fault(FaultCode::kInvalidArguments, std::string("XML not well formed: ") +
                                                   parsed.description() + " at offset " +
                                                   std::to_string(parsed.offset));
  }
  for (pugi::xml_node child : out.document->children()) {
    if (child.type() != pugi::node_element) continue;
    if (++out.topLevelElementCount == 1) out.envelope = child;
  }
  if (!out.envelope || localName(out.envelope.name()) != "Envelope" ||
      namespaceOf(out.envelope) != kSoapEnvNs) {
    return Fault(FaultCode::kInvalidArguments, "root element is not a SOAP 1.1 Envelope");
  }
  for (pugi::xml_node child : elementChildren(out.envelope)) {
    if (namespaceOf(child) != kSoapEnvNs) continue;
    const std::string_view name = localName(child.name());
    if (name == "Header" && !out.header) out.header = child;
    if (name == "Body" && !out.body) out.body = child;
  }
  if (!out.body) return Fault(FaultCode::kInvalidArguments, "SOAP Body missing");
  for (pugi::xml_node child : elementChildren(out.body)) {
    if (++out.bodyElementCount == 1) out.method = child;
  }
  if (out.method) {
    out.methodName = std::string(localName(out.method.name()));
    out.methodNamespace = namespaceOf(out.method);
  }
  for (pugi::xml_node child : elementChildren(out.header)) {
    const std::string ns = namespaceOf(child);
    if (!isCwmpNamespace(ns)) continue;
    const std::string_view name = localName(child.name());
    if (name == "ID") {
      out.id = child.text().get();
      out.cwmpNamespace = ns;
      pugi::xml_attribute mu = findAttribute(child, kSoapEnvNs, "mustUnderstand");
      out.idMustUnderstand = mu && std::string_view(mu.value()) == "1";
    } else if (name == "HoldRequests") {
      out.holdRequests = child.text().get();
    }
  }
  if (out.cwmpNamespace.empty() && isCwmpNamespace(out.methodNamespace)) {
    out.cwmpNamespace = out.methodNamespace;
  }
  if (out.cwmpNamespace.empty() && out.isFault()) {
    pugi::xml_node detail = childByLocalName(out.method, "detail");
    pugi::xml_node cwmpFault = childByLocalName(detail, "Fault");
    if (cwmpFault && isCwmpNamespace(namespaceOf(cwmpFault))) {
      out.cwmpNamespace = namespaceOf(cwmpFault);
    }
  }
  return out;
}

pugi::xml_node appendTextChild(pugi::xml_node parent, const char* name, std::string_view text) {
  pugi::xml_node child = parent.append_child(name);
  child.text().set(std::string(text).c_str());
  return child;
}

std::string writeEnvelope(std::string_view cwmpNs, const HeaderFields& header,
                          const std::function<void(pugi::xml_node body)>& fillBody) {
  pugi::xml_document document;
  pugi::xml_node declaration = document.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node envelope = document.append_child("soap-env:Envelope");
  envelope.append_attribute("xmlns:soap-env") = std::string(kSoapEnvNs).c_str();
  envelope.append_attribute("xmlns:soap-enc") = std::string(kSoapEncNs).c_str();
  envelope.append_attribute("xmlns:xsd") = std::string(kXsdNs).c_str();
  envelope.append_attribute("xmlns:xsi") = std::string(kXsiNs).c_str();
  envelope.append_attribute("xmlns:cwmp") = std::string(cwmpNs).c_str();
  pugi::xml_node head = envelope.append_child("soap-env:Header");
  if (!header.id.empty()) {
    pugi::xml_node id = appendTextChild(head, "cwmp:ID", header.id);
    id.append_attribute("soap-env:mustUnderstand") = "1";
  }
  if (header.holdRequests) {
    pugi::xml_node hold =
        appendTextChild(head, "cwmp:HoldRequests", *header.holdRequests ? "true" : "false");
    hold.append_attribute("soap-env:mustUnderstand") = "1";
  }
  if (!header.useCwmpVersion.empty()) {
    pugi::xml_node use = appendTextChild(head, "cwmp:UseCWMPVersion", header.useCwmpVersion);
    use.append_attribute("soap-env:mustUnderstand") = "1";
  }
  pugi::xml_node body = envelope.append_child("soap-env:Body");
  fillBody(body);
  std::ostringstream out;
  document.save(out, " ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

std::string prettyXml(std::string_view xml) {
  pugi::xml_document document;
  if (!document.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_declaration,
                            pugi::encoding_utf8)) {
    return std::string(xml);
  }
  std::ostringstream out;
  document.save(out, "  ", pugi::format_indent | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

}  // namespace tr69::testacs
