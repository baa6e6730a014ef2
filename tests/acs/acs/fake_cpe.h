// A scripted CPE side on libcurl for the tests of the test ACS itself: it posts hand-written SOAP
// (conforming or deliberately broken) over one keep-alive connection with a cookie jar, so every
// check of the ACS can be exercised without the agent.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "acs/rpc.h"

typedef void CURL;

namespace tr69::testacs {

struct InformSpec {
  std::string cwmpNamespace = std::string(kCwmp12Ns);
  std::string envelopePrefix = "soap-env";  // the SOAP prefix (tests vary it)
  std::string id = "cpe-1";
  std::string manufacturer = "Aastra";
  std::string oui = "00085D";
  std::string productClass = "6757i";
  std::string serialNumber = "00085D0A0B0C";
  std::vector<EventStruct> events = {{"1 BOOT", ""}};
  std::string maxEnvelopes = "1";
  std::string currentTime = "2026-01-01T12:00:00+01:00";
  std::string retryCount = "0";
  std::vector<ParameterValue> parameters;  // defaults to the forced-inform set
  bool omitParameterTypes = false;
};

std::string informXml(const InformSpec& spec);
// A CPE response envelope: `<cwmp:{method}>{innerXml}</cwmp:{method}>` with cwmp:ID `id`.
std::string cpeResponseXml(const std::string& ns, const std::string& id, const std::string& method,
                           const std::string& innerXml = "");
// A CPE SOAP fault with the given FaultCode.
std::string cpeFaultXml(const std::string& ns, const std::string& id, unsigned code,
                        const std::string& extraDetailXml = "");
std::string transferCompleteXml(const std::string& ns, const std::string& id,
                                const std::string& commandKey, unsigned faultCode,
                                const std::string& faultString = "");

class FakeCpe {
 public:
  struct Reply {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names, last value
    std::string error;                           // libcurl error text; empty on success
    std::string effectiveUrl;
  };

  FakeCpe();
  ~FakeCpe();
  FakeCpe(const FakeCpe&) = delete;
  FakeCpe& operator=(const FakeCpe&) = delete;

  void setCredentials(const std::string& username, const std::string& password);
  void setCookies(bool enabled);          // default on (CURLOPT_COOKIEFILE "")
  void setFollowRedirects(bool enabled);  // default on, POST kept on 301/302/303
  void setTls(const std::string& caFile, const std::string& clientCert = "",
              const std::string& clientKey = "");
  // Header overrides for deliberately broken POSTs; nullopt = leave the header out.
  void setContentType(std::optional<std::string> value) { contentType_ = std::move(value); }
  void setSoapAction(std::optional<std::string> value) { soapAction_ = std::move(value); }
  // The next request opens a new TCP connection.
  void forceNewConnection() { freshConnect_ = true; }
  // Drops cookies and the connection, like a new process.
  void reset();

  // POSTs `body` (empty: an empty POST without Content-Type and SOAPAction).
  Reply post(const std::string& url, const std::string& body, long timeoutSeconds = 20);

 private:
  void configure();

  CURL* curl_ = nullptr;
  bool cookies_ = true;
  bool follow_ = true;
  bool freshConnect_ = false;
  std::string username_, password_, caFile_, clientCert_, clientKey_;
  std::optional<std::string> contentType_ = "text/xml; charset=\"utf-8\"";
  std::optional<std::string> soapAction_ = "";
};

}  // namespace tr69::testacs
