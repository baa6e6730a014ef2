#include "xml_guard.h"

namespace tr69::cwmp {
namespace {

bool startsWith(std::string_view text, std::size_t pos, std::string_view prefix) {
  return text.substr(pos, prefix.size()) == prefix;
}

// Position just past `terminator` at or after pos, or npos.
std::size_t skipPast(std::string_view text, std::size_t pos, std::string_view terminator) {
  std::size_t found = text.find(terminator, pos);
  return found == std::string_view::npos ? found : found + terminator.size();
}

}  // namespace

XmlGuardVerdict scanXml(std::string_view document, unsigned maxDepth) {
  unsigned depth = 0;
  std::size_t pos = 0;
  while ((pos = document.find('<', pos)) != std::string_view::npos) {
    if (startsWith(document, pos, "<!--")) {
      pos = skipPast(document, pos + 4, "-->");
    } else if (startsWith(document, pos, "<![CDATA[")) {
      pos = skipPast(document, pos + 9, "]]>");
    } else if (startsWith(document, pos, "<?")) {
      pos = skipPast(document, pos + 2, "?>");
    } else if (startsWith(document, pos, "<!")) {
      return XmlGuardVerdict::kDoctype;  // <!DOCTYPE, <!ENTITY, ...
    } else if (startsWith(document, pos, "</")) {
      if (depth > 0) --depth;
      pos = skipPast(document, pos + 2, ">");
    } else {
      // A start tag: find its end, skipping quoted attribute values that may contain '>'.
      std::size_t i = pos + 1;
      char quote = 0;
      for (; i < document.size(); ++i) {
        char c = document[i];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (i >= document.size()) return XmlGuardVerdict::kOk;  // truncated: the parser says so
      bool selfClosing = document[i - 1] == '/';
      if (!selfClosing && ++depth > maxDepth) return XmlGuardVerdict::kTooDeep;
      pos = i + 1;
    }
    if (pos == std::string_view::npos) break;
  }
  return XmlGuardVerdict::kOk;
}

}  // namespace tr69::cwmp
