// Test helpers: golden files and namespace-agnostic XML inspection with pugixml (independent of
// the gSOAP codec under test).
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace tr69::cwmp::test {

std::string dataPath(std::string_view name);  // tests/data/cwmp/<name>
std::string readData(std::string_view name);  // fails the test when missing
void writeData(std::string_view name, const std::string& content);

// Golden files are indented for reading; compact() removes whitespace between tags and at the
// end, which gives back the codec's exact bytes.
std::string compact(std::string_view xml);
// The opposite: one element per line, two spaces per level (for writing golden files).
std::string indent(std::string_view xml);

// Namespace URI of an element or of a prefixed attribute, resolved through xmlns declarations.
std::string namespaceOf(pugi::xml_node node);
std::string localName(std::string_view qualified);

// First child element with this local name (any prefix); empty node when absent.
pugi::xml_node child(pugi::xml_node parent, std::string_view local);
std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view local);
// Value of the attribute with this local name and namespace URI.
std::string attribute(pugi::xml_node node, std::string_view local, std::string_view uri);

inline constexpr std::string_view kSoapEnv = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view kSoapEnc = "http://schemas.xmlsoap.org/soap/encoding/";
inline constexpr std::string_view kXsi = "http://www.w3.org/2001/XMLSchema-instance";

// A parsed envelope: document plus its Header and the single Body element.
struct Envelope {
  pugi::xml_document doc;
  pugi::xml_node header;
  pugi::xml_node body;  // the element inside soap:Body
  bool ok = false;
};
void parseEnvelope(const std::string& xml, Envelope& out);

}  // namespace tr69::cwmp::test
