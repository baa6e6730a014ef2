#include "soap_context.h"

#include <algorithm>
#include <cstring>

#include "tr69/cwmp/lexical.h"

// gSOAP's runtime library refers to this table by name; it is the table a context starts with.
// Every Codec replaces it with the tables below (soap_set_namespaces), so its content is only a
// fallback and is never written by us.
SOAP_NMAC struct Namespace namespaces[] = {
    {"SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", nullptr, nullptr},
    {"SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", nullptr, nullptr},
    {"xsi", "http://www.w3.org/2001/XMLSchema-instance", nullptr, nullptr},
    {"xsd", "http://www.w3.org/2001/XMLSchema", nullptr, nullptr},
    {"cwmp", "urn:dslforum-org:cwmp-1-2", nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr}};

namespace tr69::cwmp {
namespace {

constexpr int kCwmpRow = 4;  // index of "cwmp" in every table below

// Input table.
// * cwmp: the pattern matches cwmp-1-0, -1-1, -1-2 (and a stray -1-3). The row's own URI never
//   occurs, so gSOAP always records the URI it matched in local_namespaces[kCwmpRow].out, which
//   is how the version the ACS used is known.
// * SOAP-ENC is bound to a URI no message uses: gSOAP then ignores soap-enc:arrayType and counts
//   the array items that are really there. Real ACSs omit arrayType or state it wrongly, and a
//   stated size would otherwise be trusted (padding with empty names, or dropping items).
// * soapenc: the real encoding namespace, so that xsi:type="soap-enc:base64" still normalises.
// * xsd/xsi patterns also accept the 1999/2000 schema URIs some old peers send.
const struct Namespace kInputNamespaces[] = {
    {"SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/*/soap-envelope",
     nullptr},
    {"SOAP-ENC", "urn:tr69d:arraytype-not-used", nullptr, nullptr},
    {"xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance",
     nullptr},
    {"xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", nullptr},
    {"cwmp", "urn:tr69d:cwmp-not-seen", "urn:dslforum-org:cwmp-1-*", nullptr},
    {"soapenc", "http://schemas.xmlsoap.org/soap/encoding/", nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr}};

#define TR69_OUTPUT_NAMESPACES(cwmpUri)                                              \
  {                                                                                  \
    {"SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", nullptr, nullptr},     \
        {"SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", nullptr, nullptr}, \
        {"xsi", "http://www.w3.org/2001/XMLSchema-instance", nullptr, nullptr},      \
        {"xsd", "http://www.w3.org/2001/XMLSchema", nullptr, nullptr},               \
        {"cwmp", cwmpUri, nullptr, nullptr}, {                                       \
      nullptr, nullptr, nullptr, nullptr                                             \
    }                                                                                \
  }
const struct Namespace kOutput10[] = TR69_OUTPUT_NAMESPACES("urn:dslforum-org:cwmp-1-0");
const struct Namespace kOutput11[] = TR69_OUTPUT_NAMESPACES("urn:dslforum-org:cwmp-1-1");
const struct Namespace kOutput12[] = TR69_OUTPUT_NAMESPACES("urn:dslforum-org:cwmp-1-2");
#undef TR69_OUTPUT_NAMESPACES

const struct Namespace* outputNamespaces(CwmpVersion version) {
  switch (version) {
    case CwmpVersion::k1_0:
      return kOutput10;
    case CwmpVersion::k1_1:
      return kOutput11;
    case CwmpVersion::k1_2:
      break;
  }
  return kOutput12;
}

constexpr soap_mode kMode = SOAP_ENC_PLAIN | SOAP_C_UTFSTRING | SOAP_XML_TREE;

}  // namespace

Codec::Impl::Impl(const DecodeLimits& limits) : soap_(soap_new2(kMode, kMode)), limits_(limits) {
  soap_->user = this;
  soap_->frecv = &Impl::receive;
  soap_->fsend = &Impl::send;
  soap_->fignore = &Impl::ignore;
  soap_->recv_maxlength = limits.maxEnvelopeBytes;
  soap_->maxlevel = limits.maxDepth;
  soap_->maxoccurs = limits.maxArrayItems;
  soap_->maxlength = static_cast<long>(limits.maxEnvelopeBytes);
}

Codec::Impl::~Impl() {
  release();
  soap_free(soap_);  // soap_done + free
}

void Codec::Impl::release() {
  soap_->header = nullptr;
  soap_->fault = nullptr;
  soap_destroy(soap_);
  soap_end(soap_);
}

std::size_t Codec::Impl::receive(struct soap* soap, char* buffer, std::size_t size) {
  auto* self = static_cast<Impl*>(soap->user);
  std::size_t count = std::min(size, self->input_.size() - self->inputPos_);
  std::memcpy(buffer, self->input_.data() + self->inputPos_, count);
  self->inputPos_ += count;
  return count;
}

int Codec::Impl::send(struct soap* soap, const char* data, std::size_t size) {
  static_cast<Impl*>(soap->user)->output_.append(data, size);
  return SOAP_OK;
}

int Codec::Impl::ignore(struct soap* soap, const char* tag) {
  auto* self = static_cast<Impl*>(soap->user);
  if (soap->mustUnderstand && soap->part == SOAP_IN_HEADER && self->notUnderstood_.empty()) {
    self->notUnderstood_ = tag != nullptr && *tag != '\0' ? tag : "?";
  }
  return SOAP_OK;
}

void Codec::Impl::beginDecode(std::string_view body) {
  release();
  notUnderstood_.clear();
  soap_set_namespaces(soap_, kInputNamespaces);
  input_ = body;
  inputPos_ = 0;
}

std::string_view Codec::Impl::inputCwmpNamespace() const {
  const struct Namespace* row = soap_->local_namespaces;
  if (row == nullptr) return {};
  for (int i = 0; i < kCwmpRow; ++i) {
    if (row[i].id == nullptr) return {};
  }
  return row[kCwmpRow].out != nullptr ? std::string_view(row[kCwmpRow].out) : std::string_view();
}

void Codec::Impl::beginEncode(CwmpVersion version, const std::optional<std::string>& id) {
  release();
  soap_set_namespaces(soap_, outputNamespaces(version));
  output_.clear();
  soap_->version = 1;
  soap_->encodingStyle = nullptr;  // no SOAP-ENV:encodingStyle attribute on the Body
  // Without an ID the envelope gets no Header at all (an empty Header has crashed ACSs).
  soap_->header = nullptr;
  if (id) {
    soap_->header = soap_new_SOAP_ENV__Header(soap_);
    soap_default_SOAP_ENV__Header(soap_, soap_->header);
    soap_->header->cwmp__ID = newString(*id);
  }
}

std::string Codec::Impl::takeOutput() {
  return std::move(output_);
}

std::string* Codec::Impl::newString(std::string_view text) {
  std::string* s = soap_new_std__string(soap_);
  *s = toXmlText(text);
  return s;
}

}  // namespace tr69::cwmp
