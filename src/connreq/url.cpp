#include "tr69/connreq/url.h"

#include <utility>

namespace tr69::connreq {

std::string formatHostForUrl(std::string_view host) {
  if (host.find(':') != std::string_view::npos && !host.starts_with('[')) {
    std::string out(1, '[');
    out.append(host);
    out.push_back(']');
    return out;
  }
  return std::string(host);
}

std::string normalizeConnectionRequestPath(std::string_view path) {
  while (path.starts_with('/'))
    path.remove_prefix(1);
  std::string out(1, '/');
  out.append(path);
  return out;
}

std::string buildConnectionRequestUrl(std::string_view host, std::uint16_t port,
                                      std::string_view path) {
  if (host.empty() || port == 0) return {};
  return "http://" + formatHostForUrl(host) + ":" + std::to_string(port) +
         normalizeConnectionRequestPath(path);
}

std::string formatUdpConnectionRequestAddress(std::string_view host, std::uint16_t port) {
  if (host.empty()) return {};
  std::string out = formatHostForUrl(host);
  if (port != 80) {
    out.push_back(':');
    out.append(std::to_string(port));
  }
  return out;
}

ConnectionRequestUrlTracker::ConnectionRequestUrlTracker(Callback onChanged)
    : onChanged_(std::move(onChanged)) {}

void ConnectionRequestUrlTracker::setAddress(std::string_view host) {
  host_ = std::string(host);
  update();
}

void ConnectionRequestUrlTracker::setPort(std::uint16_t port) {
  port_ = port;
  update();
}

void ConnectionRequestUrlTracker::setPath(std::string_view path) {
  path_ = normalizeConnectionRequestPath(path);
  update();
}

void ConnectionRequestUrlTracker::update() {
  std::string url = buildConnectionRequestUrl(host_, port_, path_);
  if (url == url_) return;
  url_ = std::move(url);
  if (onChanged_) onChanged_(url_);
}

}  // namespace tr69::connreq
