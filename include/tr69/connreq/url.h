// ConnectionRequestURL and UDPConnectionRequestAddress text, and the tracker that tells the
// upper layer when the phone's address change changed the URL (to re-report it).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace tr69::connreq {

// "host" for IPv4 / names, "[addr]" for an IPv6 literal (already bracketed input is kept).
std::string formatHostForUrl(std::string_view host);

// "/path" with exactly one leading '/'; "" -> "/".
std::string normalizeConnectionRequestPath(std::string_view path);

// http://host:port/path (TR-069 §3.2.2; IPv6 literal in brackets). An empty host gives "".
std::string buildConnectionRequestUrl(std::string_view host, std::uint16_t port,
                                      std::string_view path);

// UDPConnectionRequestAddress: "host:port", or "host" when the port is 80 (TR-111).
std::string formatUdpConnectionRequestAddress(std::string_view host, std::uint16_t port);

// Recomputes the ConnectionRequestURL whenever the phone's address, the port or the path
// changes and calls `onChanged(url)` only when the text really changed. The first value set
// also counts as a change (the URL goes from "" to something).
class ConnectionRequestUrlTracker {
 public:
  using Callback = std::function<void(const std::string& url)>;
  explicit ConnectionRequestUrlTracker(Callback onChanged);

  void setAddress(std::string_view host);  // the phone/live layer calls this on every change
  void setPort(std::uint16_t port);
  void setPath(std::string_view path);
  const std::string& url() const { return url_; }

 private:
  void update();

  Callback onChanged_;
  std::string host_;
  std::uint16_t port_ = 0;
  std::string path_ = "/";
  std::string url_;
};

}  // namespace tr69::connreq
