#include "xml_guard.h"

#include <vector>

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

// The element name at pos (just after '<' or '</').
std::string_view nameAt(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (end < text.size() && text[end] != '>' && text[end] != '/' && text[end] != ' ' &&
         text[end] != '\t' && text[end] != '\n' && text[end] != '\r') {
    ++end;
  }
  return text.substr(pos, end - pos);
}

}  // namespace

XmlGuardVerdict scanXml(std::string_view document, unsigned maxDepth) {
  std::vector<std::string_view> open;
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
      std::string_view name = nameAt(document, pos + 2);
      if (open.empty() || open.back() != name) return XmlGuardVerdict::kMismatchedTag;
      open.pop_back();
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
      if (!selfClosing) {
        if (open.size() >= maxDepth) return XmlGuardVerdict::kTooDeep;
        open.push_back(nameAt(document, pos + 1));
      }
      pos = i + 1;
    }
    if (pos == std::string_view::npos) break;
  }
  return XmlGuardVerdict::kOk;
}

}  // namespace tr69::cwmp
