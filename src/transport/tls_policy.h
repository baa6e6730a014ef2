// TLS options for the ACS connection; the one place where the TLS choices are made.
#pragma once

#include <curl/curl.h>

#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/transport/acs_connection.h"

namespace tr69::transport {

// Checks the configured files and applies the TLS options to `easy`.
Status applyTlsPolicy(CURL* easy, const TlsSettings& tls, const Logger& logger);

}  // namespace tr69::transport
