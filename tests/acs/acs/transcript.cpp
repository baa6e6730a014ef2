#include "acs/transcript.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "acs/soap.h"

namespace tr69::testacs {

namespace {

std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d.%03d", utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return buffer;
}

bool isHeaderOfInterest(const std::string& lowerName) {
  return lowerName == "authorization" || lowerName == "www-authenticate" || lowerName == "cookie" ||
         lowerName == "set-cookie" || lowerName == "content-type" || lowerName == "soapaction" ||
         lowerName == "content-length" || lowerName == "location" || lowerName == "connection" ||
         lowerName == "transfer-encoding";
}

std::string lower(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string indentBody(const std::string& body) {
  if (body.empty()) return "    (empty body)\n";
  std::string pretty = prettyXml(body);
  std::string out;
  std::size_t start = 0;
  while (start < pretty.size()) {
    std::size_t end = pretty.find('\n', start);
    if (end == std::string::npos) end = pretty.size();
    out += "    " + pretty.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

Transcript::Transcript(const std::string& path) {
  if (!path.empty()) file_.open(path, std::ios::out | std::ios::trunc);
}

void Transcript::format(Entry& entry) {
  if (!entry.hasBody) return;
  entry.text += indentBody(entry.body);
  entry.body.clear();
  entry.body.shrink_to_fit();
  entry.hasBody = false;
}

void Transcript::append(Entry entry) {
  std::lock_guard lock(mutex_);
  if (file_.is_open()) {
    format(entry);
    file_ << entry.text << std::flush;
  }
  entries_.push_back(std::move(entry));
}

void Transcript::note(const std::string& text) {
  append({timestamp() + " -- " + text + "\n", {}, false});
}

void Transcript::request(const HttpRequest& request) {
  std::string entry = timestamp() + " conn " + std::to_string(request.connectionId) +
                      " CPE -> ACS  " + request.method + " " + request.url + "\n";
  for (const auto& [name, value] : request.headers) {
    if (!isHeaderOfInterest(name)) continue;
    // The Authorization header is digest material or base64 credentials: show only its scheme.
    const std::string shown =
        name == "authorization" ? value.substr(0, value.find(' ')) + " ..." : value;
    entry += "  " + name + ": " + shown + "\n";
  }
  append({std::move(entry), request.body, true});
}

void Transcript::response(std::uint64_t connectionId, const HttpResponse& response) {
  std::string entry = timestamp() + " conn " + std::to_string(connectionId) + " ACS -> CPE  ";
  if (response.abortConnection) {
    entry += "(connection closed without an answer)\n";
    append({std::move(entry), {}, false});
    return;
  }
  entry += "HTTP " + std::to_string(response.status);
  if (response.delayMs > 0) entry += " (after " + std::to_string(response.delayMs) + " ms)";
  entry += "\n";
  for (const auto& [name, value] : response.headers) {
    if (isHeaderOfInterest(lower(name))) entry += "  " + lower(name) + ": " + value + "\n";
  }
  if (response.closeConnection) entry += "  connection: close\n";
  append({std::move(entry), response.body, true});
}

std::string Transcript::text() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (Entry& entry : entries_) {
    format(entry);
    out += entry.text;
  }
  return out;
}

std::size_t Transcript::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tr69::testacs
