// SOAP 1.1 envelopes for the test ACS, read and written with pugixml (independent of the agent's
// gSOAP codec). Elements are matched by namespace URI and local name, never by prefix.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tr69/base/fault.h"

namespace tr69::testacs {

inline constexpr std::string_view kSoapEnvNs = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view kSoapEncNs = "http://schemas.xmlsoap.org/soap/encoding/";
inline constexpr std::string_view kXsdNs = "http://www.w3.org/2001/XMLSchema";
inline constexpr std::string_view kXsiNs = "http://www.w3.org/2001/XMLSchema-instance";
inline constexpr std::string_view kCwmp10Ns = "urn:dslforum-org:cwmp-1-0";
inline constexpr std::string_view kCwmp11Ns = "urn:dslforum-org:cwmp-1-1";
inline constexpr std::string_view kCwmp12Ns = "urn:dslforum-org:cwmp-1-2";
// Not a real namespace (1.3 and 1.4 reuse cwmp-1-2), but one ACS maps it to 1.4; tolerated on
// input.
inline constexpr std::string_view kCwmp13Ns = "urn:dslforum-org:cwmp-1-3";

// True for the three standard cwmp namespaces (and the tolerated stray cwmp-1-3).
bool isCwmpNamespace(std::string_view uri);

// Local part of a qualified name ("cwmp:Inform" -> "Inform").
std::string_view localName(std::string_view qualifiedName);
// Namespace URI of an element, resolved through the xmlns declarations of its ancestors; "" when
// the element has no prefix and no default namespace applies.
std::string namespaceOf(pugi::xml_node element);
// Namespace URI of an attribute of `owner` (unprefixed attributes have none).
std::string attributeNamespace(pugi::xml_node owner, pugi::xml_attribute attribute);
// Attribute of `element` with this namespace URI and local name.
pugi::xml_attribute findAttribute(pugi::xml_node element, std::string_view ns,
                                  std::string_view local);
// First child element with this local name (any namespace).
pugi::xml_node childByLocalName(pugi::xml_node parent, std::string_view local);
// Child elements only (skips text, comments, processing instructions).
std::vector<pugi::xml_node> elementChildren(pugi::xml_node parent);
// Text of the first child with this local name; nullopt when that child is missing.
std::optional<std::string> childText(pugi::xml_node parent, std::string_view local);

// A parsed SOAP envelope. The document is shared so that copies stay cheap and valid.
struct Envelope {
  std::shared_ptr<pugi::xml_document> document;
  pugi::xml_node envelope;
  pugi::xml_node header;  // empty when missing
  pugi::xml_node body;
  int topLevelElementCount = 0;  // more than one means more than one envelope in the message
  int bodyElementCount = 0;
  pugi::xml_node method;   // first element child of Body (the RPC, a response or soap:Fault)
  std::string methodName;  // its local name ("Inform", "GetParameterValuesResponse", "Fault")
  std::string methodNamespace;
  std::string cwmpNamespace;  // namespace of cwmp:ID, else of the method when it is a cwmp one
  std::optional<std::string> id;
  bool idMustUnderstand = false;
  std::optional<std::string> holdRequests;  // raw text of cwmp:HoldRequests
  bool isFault() const { return methodName == "Fault" && methodNamespace == kSoapEnvNs; }
};

// Parses one HTTP body as a SOAP envelope. Fails (kInvalidArguments) on malformed XML, a root
// that is not soap:Envelope, or a missing Body.
Result<Envelope> parseEnvelope(std::string_view xml);

// SOAP header fields the ACS writes.
struct HeaderFields {
  std::string id;                    // cwmp:ID (mustUnderstand=1); omitted when empty
  std::optional<bool> holdRequests;  // cwmp:HoldRequests (mustUnderstand=1)
  std::string useCwmpVersion;        // cwmp:UseCWMPVersion; omitted when empty
};

// Writes an envelope in namespace `cwmpNs` with prefixes soap-env, soap-enc, xsd, xsi, cwmp;
// `fillBody` appends the RPC element to the Body node.
std::string writeEnvelope(std::string_view cwmpNs, const HeaderFields& header,
                          const std::function<void(pugi::xml_node body)>& fillBody);

// Appends <name>text</name> (unqualified, as the cwmp schema requires for arguments).
pugi::xml_node appendTextChild(pugi::xml_node parent, const char* name, std::string_view text);

// Indented rendering of an XML document for transcripts; the input unchanged when not XML.
std::string prettyXml(std::string_view xml);

}  // namespace tr69::testacs
