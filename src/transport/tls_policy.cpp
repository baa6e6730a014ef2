// TLS policy for HTTPS to the ACS (aastra-tr069-guide.md 9; the exact meaning of
// "tr69 server authentication required" is [INFERRED] there, so the choice is made here only):
//
// * verifyServer on  ("server authentication required" = 1): the ACS certificate must chain to the
//   configured trusted certificates (CAINFO; the system store when none is configured) and match
//   the host of the URL (VERIFYPEER=1, VERIFYHOST=2). Failures end the request with a log line.
// * verifyServer off: the connection is encrypted but the ACS is NOT authenticated
//   (VERIFYPEER=0, VERIFYHOST=0): the operator chose encryption without authentication.
//   A warning says so once per session. Trusted certificates are then not consulted.
// * A client certificate and key (PEM) are sent when configured, in both modes.
// * TLS 1.2 is the minimum; HTTP/1.1 is used over TLS too (no ALPN h2), as ACSs expect.
#include "tls_policy.h"

#include <unistd.h>

#include <string>

namespace tr69::transport {
namespace {

Status checkReadable(const std::string& path, const char* what) {
  if (path.empty() || ::access(path.c_str(), R_OK) == 0) return {};
  return Fault(FaultCode::kInvalidArguments, std::string(what) + " not readable: " + path);
}

}  // namespace

Status applyTlsPolicy(CURL* easy, const TlsSettings& tls, const Logger& logger) {
  if (Status s = checkReadable(tls.caFile, "trusted certificates file"); !s) return s;
  if (Status s = checkReadable(tls.clientCertFile, "client certificate file"); !s) return s;
  if (Status s = checkReadable(tls.clientKeyFile, "client private key file"); !s) return s;

  curl_easy_setopt(easy, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (tls.verifyServer) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!tls.caFile.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, tls.caFile.c_str());
  } else {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    logger.warning(
        "TLS: the ACS certificate is not verified (server authentication required is off)");
  }
  const std::string& certFile = tls.clientCertFile.empty() ? tls.clientKeyFile : tls.clientCertFile;
  if (!certFile.empty()) {
    curl_easy_setopt(easy, CURLOPT_SSLCERT, certFile.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
    const std::string& keyFile = tls.clientKeyFile.empty() ? certFile : tls.clientKeyFile;
    curl_easy_setopt(easy, CURLOPT_SSLKEY, keyFile.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
  }
  return {};
}

}  // namespace tr69::transport
