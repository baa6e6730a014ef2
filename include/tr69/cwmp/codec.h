// The CWMP SOAP codec: ACS message bytes -> AcsMessage, and CPE messages -> envelope bytes.
// gSOAP does the XML work in memory (no sockets); none of its types leave src/cwmp.
//
// Decoding matches elements by namespace URI, never by prefix: any prefix, default namespaces,
// cwmp-1-0/-1-1/-1-2 (and the non-standard -1-3, read as 1.2), arrays with or without (or with a
// wrong) soap-enc:arrayType, xsi:type present or absent, CDATA, entities, UTF-8.
// Input over DecodeLimits is refused before or while parsing, never buffered without bound, and a
// document type declaration (DTD, the billion-laughs vector) is refused outright.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "tr69/cwmp/messages.h"

namespace tr69::cwmp {

struct DecodeLimits {
  std::size_t maxEnvelopeBytes = 1024 * 1024;  // larger bodies get fault 9004 unparsed
  unsigned maxDepth = 64;                      // XML element nesting
  std::size_t maxArrayItems = 10000;           // items of one SOAP array
};

// The SOAP header fields the CPE understands.
struct SoapHeader {
  std::optional<std::string> id;              // cwmp:ID, echoed in the reply
  bool holdRequests = false;                  // cwmp:HoldRequests
  std::optional<std::string> useCwmpVersion;  // cwmp:UseCWMPVersion (1.4), e.g. "1.4"
  bool operator==(const SoapHeader&) const = default;
};

// The HTTP body was empty (or only whitespace): the ACS has no more requests.
struct EmptyBody {
  bool operator==(const EmptyBody&) const = default;
};

// A message the CPE cannot process. reply says how to answer it if it was meant as a request.
struct BadMessage {
  enum class Kind {
    kNotSoap,         // not XML, or not a SOAP 1.1 envelope
    kMalformed,       // broken XML, wrong types, missing or invalid arguments
    kTooLarge,        // over a DecodeLimits bound
    kMustUnderstand,  // a mustUnderstand="1" header the CPE does not know
    kUnknownMethod,   // a well-formed request for a method the CPE does not have (9000)
  };
  Kind kind = Kind::kMalformed;
  CwmpFault fault;     // the CWMP fault to answer with (not used for kMustUnderstand)
  std::string detail;  // for the log; never contains parameter values
  bool operator==(const BadMessage&) const = default;
};

using AcsMessageBody = std::variant<EmptyBody, AcsRequest, AcsResponse, AcsFault, BadMessage>;

struct AcsMessage {
  // The cwmp namespace the ACS used; absent when the message had no cwmp element.
  std::optional<CwmpVersion> version;
  SoapHeader header;
  AcsMessageBody body;
};

// What goes into the header of an envelope the CPE sends.
struct EnvelopeInfo {
  CwmpVersion version = CwmpVersion::k1_2;
  std::optional<std::string> id;  // cwmp:ID (mustUnderstand="1"); omitted when absent
};

// One gSOAP context, reused for every message; not thread-safe (one per session/thread).
class Codec {
 public:
  explicit Codec(DecodeLimits limits = {});
  ~Codec();
  Codec(const Codec&) = delete;
  Codec& operator=(const Codec&) = delete;

  const DecodeLimits& limits() const { return limits_; }

  AcsMessage decodeAcsMessage(std::string_view body);

  std::string encodeResponse(const CpeResponse& response, const EnvelopeInfo& info);
  std::string encodeRequest(const CpeRequest& request, const EnvelopeInfo& info);
  // SOAP Fault with faultcode Client/Server (isClientFault), faultstring "CWMP fault" and a
  // cwmp:Fault detail (with SetParameterValuesFault entries when the fault has any).
  std::string encodeFault(const CwmpFault& fault, const EnvelopeInfo& info);
  // The reply to a BadMessage: a SOAP MustUnderstand fault, or the BadMessage's CWMP fault.
  std::string encodeBadMessageReply(const BadMessage& bad, const EnvelopeInfo& info);

  class Impl;

 private:
  DecodeLimits limits_;
  std::unique_ptr<Impl> impl_;
};

// Convenience for one message with its own codec.
AcsMessage decodeAcsMessage(std::string_view body, const DecodeLimits& limits = {});

}  // namespace tr69::cwmp
