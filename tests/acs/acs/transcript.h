// A readable record of everything the test peers saw and sent: HTTP exchanges with direction,
// connection id, the headers of interest and pretty-printed SOAP bodies; STUN and UDP traffic.
#pragma once

#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "acs/http_server.h"

namespace tr69::testacs {

class Transcript {
 public:
  Transcript() = default;
  // Also appends every entry to `path` as it is recorded (flushed).
  explicit Transcript(const std::string& path);

  void note(const std::string& text);
  void request(const HttpRequest& request);
  void response(std::uint64_t connectionId, const HttpResponse& response);

  std::string text() const;
  std::size_t size() const;

 private:
  void append(std::string entry);

  mutable std::mutex mutex_;
  std::vector<std::string> entries_;
  std::ofstream file_;
};

}  // namespace tr69::testacs
