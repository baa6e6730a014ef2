// Certificates that tests create at run time (OpenSSL API, EC P-256): a CA, a valid server
// certificate for 127.0.0.1 / ::1 / localhost, an expired one, one for a wrong host, and a client
// certificate, all signed by the CA.
#pragma once

#include <string>

#include "tr69/base/fault.h"

namespace tr69::testacs {

struct PemPair {
  std::string certificate;
  std::string privateKey;
};

struct TestPki {
  PemPair ca;
  PemPair server;           // SAN IP:127.0.0.1, IP:::1, DNS:localhost; valid now
  PemPair expired;          // same names, expired yesterday
  PemPair wrongHost;        // SAN DNS:wrong-host.invalid only
  PemPair client;           // clientAuth, CN tr69-test-cpe
  PemPair untrustedClient;  // self-signed client certificate (not from the CA)

  // Writes every PEM into `directory` (ca.pem, server.pem, server.key, expired.pem, ...).
  Status writeTo(const std::string& directory) const;
};

Result<TestPki> createTestPki();

}  // namespace tr69::testacs
