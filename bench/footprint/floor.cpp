// The footprint floor: a program that initialises the same libraries as tr69d (libcurl,
// OpenSSL, libmicrohttpd, pugixml, the gSOAP runtime) and then idles. tr69d's own memory is
// judged against this, since most of a small daemon's RSS is its shared libraries.
#include <curl/curl.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <pugixml.hpp>

#include "soapH.h"

SOAP_NMAC struct Namespace namespaces[] = {{nullptr, nullptr, nullptr, nullptr}};

// The one operation of the empty interface; never called.
int floor__Nothing(soap*, int in, int& out) {
  out = in;
  return SOAP_OK;
}

namespace {
volatile std::sig_atomic_t stop = 0;
void onSignal(int) {
  stop = 1;
}
}  // namespace

int main() {
  std::signal(SIGTERM, onSignal);
  std::signal(SIGINT, onSignal);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM* multi = curl_multi_init();
  CURL* easy = curl_easy_init();
  unsigned char seed[16];
  RAND_bytes(seed, sizeof seed);
  MHD_Daemon* mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_NO_LISTEN_SOCKET, 0, nullptr, nullptr,
                                     nullptr, nullptr, MHD_OPTION_END);
  pugi::xml_document doc;
  doc.load_string("<state/>");
  soap* ctx = soap_new();
  std::printf("ready %d\n", static_cast<int>(getpid()));
  std::fflush(stdout);
  while (!stop)
    pause();
  soap_free(ctx);
  if (mhd) MHD_stop_daemon(mhd);
  curl_easy_cleanup(easy);
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  return 0;
}
