// Helpers for the connreq tests: bounded loop driving, a libcurl client run off the loop thread,
// hand-made HTTP digest headers and a recording sink.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tr69/base/crypto.h"
#include "tr69/base/event_loop.h"
#include "tr69/connreq/connection_request.h"

namespace tr69::connreq::testing {

// Runs the loop until `done()` or `limit` elapsed; returns done().
template <class Pred>
bool runUntil(EventLoop& loop, Pred done,
              std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) {
    loop.runOnce(std::chrono::milliseconds(5));
  }
  return done();
}

// Runs `work` on another thread while this one drives the loop (the server lives on the loop,
// the blocking client must not).
template <class F>
auto whileLooping(EventLoop& loop, F work) {
  auto future = std::async(std::launch::async, std::move(work));
  runUntil(
      loop, [&] { return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready; },
      std::chrono::seconds(60));
  return future.get();
}

struct HttpReply {
  long status = 0;
  std::string wwwAuthenticate;  // the last WWW-Authenticate header seen
  CURLcode code = CURLE_OK;
};

struct HttpOptions {
  std::string method = "GET";
  std::string username;
  std::string password;
  bool digest = false;
  std::vector<std::string> headers;
  std::string body;
};

inline std::size_t captureHeader(char* data, std::size_t size, std::size_t count, void* user) {
  std::string line(data, size * count);
  if (line.size() > 17 && strncasecmp(line.c_str(), "WWW-Authenticate:", 17) == 0) {
    *static_cast<std::string*>(user) = line.substr(17);
  }
  return size * count;
}

inline std::size_t discardBody(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

inline void setupEasy(CURL* curl, const std::string& url, const HttpOptions& options,
                      HttpReply& reply, curl_slist*& headers) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &captureHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.wwwAuthenticate);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &discardBody);
  if (options.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, options.body.c_str());
  } else if (options.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, options.method.c_str());
  } else if (!options.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, options.body.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "GET");
  }
  if (options.digest) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
    curl_easy_setopt(curl, CURLOPT_USERNAME, options.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options.password.c_str());
  }
  for (const auto& h : options.headers)
    headers = curl_slist_append(headers, h.c_str());
  if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
}

inline HttpReply httpRequest(const std::string& url, const HttpOptions& options = {}) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  setupEasy(curl, url, options, reply, headers);
  reply.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

// `count` concurrent requests (curl multi, one thread); returns every final status.
inline std::vector<long> httpFlood(const std::string& url, const HttpOptions& options, int count) {
  CURLM* multi = curl_multi_init();
  std::vector<CURL*> handles;
  std::vector<HttpReply> replies(static_cast<std::size_t>(count));
  std::vector<curl_slist*> headers(static_cast<std::size_t>(count), nullptr);
  for (int i = 0; i < count; ++i) {
    CURL* curl = curl_easy_init();
    setupEasy(curl, url, options, replies[static_cast<std::size_t>(i)],
              headers[static_cast<std::size_t>(i)]);
    curl_multi_add_handle(multi, curl);
    handles.push_back(curl);
  }
  int running = 1;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (running > 0 && std::chrono::steady_clock::now() < end) {
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE && msg->data.result != CURLE_OK)
        fprintf(stderr, "flood: %s\n", curl_easy_strerror(msg->data.result));
    }
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  std::vector<long> statuses;
  for (std::size_t i = 0; i < handles.size(); ++i) {
    long status = 0;
    curl_easy_getinfo(handles[i], CURLINFO_RESPONSE_CODE, &status);
    statuses.push_back(status);
    curl_multi_remove_handle(multi, handles[i]);
    curl_easy_cleanup(handles[i]);
    curl_slist_free_all(headers[i]);
  }
  curl_multi_cleanup(multi);
  return statuses;
}

// Value of `name="..."` (or name=token) inside a WWW-Authenticate header.
inline std::string authParam(const std::string& header, const std::string& name) {
  const auto at = header.find(name + "=");
  if (at == std::string::npos) return {};
  auto start = at + name.size() + 1;
  if (start < header.size() && header[start] == '"') {
    const auto end = header.find('"', start + 1);
    return header.substr(start + 1, end - start - 1);
  }
  const auto end = header.find_first_of(",\r\n ", start);
  return header.substr(start, end - start);
}

inline std::string md5Hex(const std::string& text) {
  return toHex(md5(text));
}

// An Authorization header computed by hand (RFC 2617, qop=auth, MD5).
inline std::string digestHeader(const std::string& user, const std::string& password,
                                const std::string& realm, const std::string& nonce,
                                const std::string& opaque, const std::string& uri, unsigned nc,
                                const std::string& method = "GET") {
  char ncText[9];
  std::snprintf(ncText, sizeof(ncText), "%08x", nc);
  const std::string cnonce = "0a4f113b";
  const std::string ha1 = md5Hex(user + ":" + realm + ":" + password);
  const std::string ha2 = md5Hex(method + ":" + uri);
  const std::string response =
      md5Hex(ha1 + ":" + nonce + ":" + ncText + ":" + cnonce + ":auth:" + ha2);
  return "Authorization: Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" +
         nonce + "\", uri=\"" + uri + "\", qop=auth, nc=" + ncText + ", cnonce=\"" + cnonce +
         "\", response=\"" + response + "\", opaque=\"" + opaque + "\", algorithm=MD5";
}

class RecordingSink : public ConnectionRequestSink {
 public:
  void onConnectionRequest(ConnectionRequestSource source) override {
    calls.push_back(source);
    if (onCall) onCall(source);
  }
  std::vector<ConnectionRequestSource> calls;
  std::function<void(ConnectionRequestSource)> onCall;
};

}  // namespace tr69::connreq::testing
