// Internal: a linear pre-scan of an XML document that refuses what gSOAP should never see.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tr69::cwmp {

enum class XmlGuardVerdict { kOk, kDoctype, kTooDeep, kMismatchedTag };

// Refuses a document type declaration anywhere (SOAP forbids DTDs; this stops entity expansion
// attacks such as billion laughs), element nesting deeper than maxDepth, and an end tag that
// does not match its start tag (gSOAP does not check end tag names). Comments, CDATA,
// processing instructions and quoted attribute values are skipped correctly; anything else that
// is malformed is left for the parser to reject.
XmlGuardVerdict scanXml(std::string_view document, unsigned maxDepth);

}  // namespace tr69::cwmp
