// The ACS side of connection requests: an HTTP GET with Digest (as ACSs send it, answering a
// challenge with the stored ConnectionRequestUsername/Password), and TR-111 UDP connection
// requests (cwmp.md §6.4) sent to a loopback port.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tr69/base/fault.h"

namespace tr69::testacs {

struct HttpConnectionRequestResult {
  long status = 0;            // 0 when no HTTP answer arrived
  std::string error;          // libcurl error text
  std::string challenge;      // WWW-Authenticate of the last 401 (if any)
  std::size_t bodyBytes = 0;  // the CPE must answer with an empty body
};

// GET `url` with Digest credentials (Basic too when `allowBasic`); bounded by `timeoutSeconds`.
HttpConnectionRequestResult sendHttpConnectionRequest(const std::string& url,
                                                      const std::string& username,
                                                      const std::string& password,
                                                      bool allowBasic = false,
                                                      long timeoutSeconds = 10);

struct UdpConnectionRequest {
  std::string authority;  // host:port as in UDPConnectionRequestAddress (port left out if 80)
  std::uint64_t timestamp = 0;
  std::uint64_t id = 0;
  std::string username;
  std::string cnonce;
  std::string password;  // ConnectionRequestPassword, the HMAC key (never sent)
};

// sig = hex(HMAC-SHA1(password, ts || id || un || cn)), lower case.
std::string udpConnectionRequestSignature(const UdpConnectionRequest& request);
// "GET http://<authority>?ts=..&id=..&un=..&cn=..&sig=.. HTTP/1.1\r\nHost: <authority>\r\n\r\n"
std::string buildUdpConnectionRequest(const UdpConnectionRequest& request);

struct ParsedUdpConnectionRequest {
  std::string authority, ts, id, un, cn, sig;
};
// Reads back a UDP connection request (for tests of the builder); nullopt when malformed.
std::optional<ParsedUdpConnectionRequest> parseUdpConnectionRequest(const std::string& datagram);

// Sends `message` `copies` times from one ephemeral port to 127.0.0.1 or ::1 : `port`.
Status sendUdpDatagrams(const std::string& host, std::uint16_t port, const std::string& message,
                        int copies = 3);

}  // namespace tr69::testacs
