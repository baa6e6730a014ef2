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
  // An entry's text; a SOAP body is pretty-printed only when the transcript is read (or written
  // to its file), which keeps a 350 KB GetParameterValuesResponse cheap for the ACS.
  struct Entry {
    std::string text;
    std::string body;  // not yet in `text`
    bool hasBody = false;
  };
  void append(Entry entry);
  static void format(Entry& entry);

  mutable std::mutex mutex_;
  mutable std::vector<Entry> entries_;
  std::ofstream file_;
};

}  // namespace tr69::testacs
