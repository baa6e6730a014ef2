#include "xml_test_util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace tr69::cwmp::test {

std::string dataPath(std::string_view name) {
  return std::string(TR69_SOURCE_DIR) + "/tests/data/cwmp/" + std::string(name);
}

std::string readData(std::string_view name) {
  std::ifstream in(dataPath(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing golden file " << dataPath(name);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void writeData(std::string_view name, const std::string& content) {
  std::ofstream out(dataPath(name), std::ios::binary);
  out << content;
}

std::string compact(std::string_view xml) {
  std::string out;
  out.reserve(xml.size());
  std::size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] == '>') {
      out += '>';
      std::size_t j = i + 1;
      while (j < xml.size() &&
             (xml[j] == ' ' || xml[j] == '\n' || xml[j] == '\r' || xml[j] == '\t')) {
        ++j;
      }
      if (j == xml.size() || xml[j] == '<') {
        i = j;
        continue;
      }
      ++i;
      continue;
    }
    out += xml[i++];
  }
  return out;
}

std::string indent(std::string_view xml) {
  std::string in = compact(xml), out;
  int depth = 0;
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t end = in.find('>', i);
    if (in[i] != '<' || end == std::string::npos) {  // text up to the next tag
      std::size_t next = in.find('<', i);
      out += in.substr(i, next - i);
      i = next;
      continue;
    }
    std::string tag = in.substr(i, end - i + 1);
    bool closing = tag.rfind("</", 0) == 0;
    bool selfClosing = tag.size() > 1 && tag[tag.size() - 2] == '/';
    bool declaration = tag.rfind("<?", 0) == 0;
    if (closing) --depth;
    // A closing tag right after text stays on the text's line.
    bool afterText = !out.empty() && out.back() != '\n' && out.back() != '>';
    if (!(closing && afterText)) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += std::string(static_cast<std::size_t>(2 * std::max(depth, 0)), ' ');
    }
    out += tag;
    if (!closing && !selfClosing && !declaration) ++depth;
    i = end + 1;
    // An element whose content is text: keep <a>text</a> on one line.
    if (!closing && !selfClosing && !declaration && i < in.size() && in[i] != '<') continue;
    if (!closing && !selfClosing && !declaration && in.compare(i, 2, "</") == 0) {
      std::size_t close = in.find('>', i);
      out += in.substr(i, close - i + 1);
      --depth;
      i = close + 1;
    }
  }
  if (out.empty() || out.back() != '\n') out += '\n';
  return out;
}

std::string localName(std::string_view qualified) {
  auto colon = qualified.find(':');
  return std::string(colon == std::string_view::npos ? qualified : qualified.substr(colon + 1));
}

namespace {

std::string resolvePrefix(pugi::xml_node node, std::string_view prefix) {
  std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node n = node; n; n = n.parent()) {
    if (pugi::xml_attribute a = n.attribute(attr.c_str())) return a.value();
  }
  return {};
}

std::string prefixOf(std::string_view qualified) {
  auto colon = qualified.find(':');
  return colon == std::string_view::npos ? std::string() : std::string(qualified.substr(0, colon));
}

}  // namespace

std::string namespaceOf(pugi::xml_node node) {
  return resolvePrefix(node, prefixOf(node.name()));
}

pugi::xml_node child(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node c : parent.children()) {
    if (c.type() == pugi::node_element && localName(c.name()) == local) return c;
  }
  return {};
}

std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : parent.children()) {
    if (c.type() == pugi::node_element && localName(c.name()) == local) out.push_back(c);
  }
  return out;
}

std::string attribute(pugi::xml_node node, std::string_view local, std::string_view uri) {
  for (pugi::xml_attribute a : node.attributes()) {
    std::string name = a.name();
    if (localName(name) != local || name.rfind("xmlns", 0) == 0) continue;
    std::string prefix = prefixOf(name);
    if (!prefix.empty() && resolvePrefix(node, prefix) == uri) return a.value();
  }
  return {};
}

void parseEnvelope(const std::string& xml, Envelope& out) {
  out.ok = false;
  if (!out.doc.load_string(xml.c_str())) return;
  pugi::xml_node envelope = out.doc.document_element();
  if (localName(envelope.name()) != "Envelope" || namespaceOf(envelope) != kSoapEnv) return;
  out.header = child(envelope, "Header");
  pugi::xml_node body = child(envelope, "Body");
  for (pugi::xml_node c : body.children()) {
    if (c.type() == pugi::node_element) {
      out.body = c;
      break;
    }
  }
  out.ok = static_cast<bool>(out.body);
}

}  // namespace tr69::cwmp::test
