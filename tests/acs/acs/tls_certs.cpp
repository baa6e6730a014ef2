#include "acs/tls_certs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "tr69/base/file_util.h"

namespace tr69::testacs {

namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

constexpr long kDay = 24 * 3600;

struct Issued {
  KeyPtr key{nullptr, &EVP_PKEY_free};
  CertPtr cert{nullptr, &X509_free};
};

bool addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

struct CertSpec {
  const char* commonName;
  const char* subjectAltName;  // nullptr: none
  long notBeforeOffset;
  long notAfterOffset;
  bool ca;
  const char* extendedKeyUsage;  // nullptr: none
  long serial;
};

// Issues a certificate; `issuer` null makes it self-signed.
Result<Issued> issue(const CertSpec& spec, const Issued* issuer) {
  Issued out;
  out.key.reset(EVP_EC_gen("P-256"));
  out.cert.reset(X509_new());
  if (!out.key || !out.cert) return Fault(FaultCode::kInternalError, "OpenSSL allocation failed");
  X509* cert = out.cert.get();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), spec.serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), spec.notBeforeOffset);
  X509_gmtime_adj(X509_getm_notAfter(cert), spec.notAfterOffset);
  X509_set_pubkey(cert, out.key.get());
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("tr69d tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.commonName), -1, -1, 0);
  X509* issuerCert = issuer ? issuer->cert.get() : cert;
  X509_set_issuer_name(cert, X509_get_subject_name(issuerCert));
  bool ok = addExtension(cert, issuerCert, NID_basic_constraints,
                         spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
            addExtension(cert, issuerCert, NID_key_usage,
                         spec.ca ? "critical,keyCertSign,cRLSign"
                                 : "critical,digitalSignature,keyAgreement") &&
            addExtension(cert, issuerCert, NID_subject_key_identifier, "hash");
  if (issuer) ok = ok && addExtension(cert, issuerCert, NID_authority_key_identifier, "keyid");
  if (spec.subjectAltName) {
    ok = ok && addExtension(cert, issuerCert, NID_subject_alt_name, spec.subjectAltName);
  }
  if (spec.extendedKeyUsage) {
    ok = ok && addExtension(cert, issuerCert, NID_ext_key_usage, spec.extendedKeyUsage);
  }
  EVP_PKEY* signingKey = issuer ? issuer->key.get() : out.key.get();
  if (!ok || X509_sign(cert, signingKey, EVP_sha256()) == 0) {
    return Fault(FaultCode::kInternalError, std::string("cannot issue ") + spec.commonName);
  }
  return out;
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

PemPair toPem(const Issued& issued) {
  PemPair out;
  BIO* certBio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(certBio, issued.cert.get());
  out.certificate = bioText(certBio);
  BIO_free(certBio);
  BIO* keyBio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(keyBio, issued.key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  out.privateKey = bioText(keyBio);
  BIO_free(keyBio);
  return out;
}

}  // namespace

Result<TestPki> createTestPki() {
  constexpr const char* kLocalNames = "IP:127.0.0.1,IP:::1,DNS:localhost";
  auto ca = issue({"tr69d test CA", nullptr, -kDay, 30 * kDay, true, nullptr, 1}, nullptr);
  if (!ca) return ca.fault();
  auto server = issue({"127.0.0.1", kLocalNames, -kDay, 30 * kDay, false, "serverAuth", 2}, &*ca);
  auto expired = issue({"127.0.0.1", kLocalNames, -3 * kDay, -kDay, false, "serverAuth", 3}, &*ca);
  auto wrong = issue(
      {"wrong-host.invalid", "DNS:wrong-host.invalid", -kDay, 30 * kDay, false, "serverAuth", 4},
      &*ca);
  auto client = issue({"tr69-test-cpe", nullptr, -kDay, 30 * kDay, false, "clientAuth", 5}, &*ca);
  auto untrusted =
      issue({"tr69-untrusted-cpe", nullptr, -kDay, 30 * kDay, false, "clientAuth", 6}, nullptr);
  for (const Result<Issued>* each : {&server, &expired, &wrong, &client, &untrusted}) {
    if (!each->ok()) return each->fault();
  }
  TestPki pki;
  pki.ca = toPem(*ca);
  pki.server = toPem(*server);
  pki.expired = toPem(*expired);
  pki.wrongHost = toPem(*wrong);
  pki.client = toPem(*client);
  pki.untrustedClient = toPem(*untrusted);
  return pki;
}

Status TestPki::writeTo(const std::string& directory) const {
  const std::pair<const char*, const PemPair*> entries[] = {
      {"ca", &ca},           {"server", &server},
      {"expired", &expired}, {"wrong-host", &wrongHost},
      {"client", &client},   {"untrusted-client", &untrustedClient}};
  for (const auto& [name, pair] : entries) {
    if (Status s = writeFileAtomic(directory + "/" + name + ".pem", pair->certificate); !s) {
      return s;
    }
    if (Status s = writeFileAtomic(directory + "/" + name + ".key", pair->privateKey, 0600); !s) {
      return s;
    }
  }
  return {};
}

}  // namespace tr69::testacs
