// The file server behind Download and Upload tests: GET serves files from a directory, PUT (and
// POST) stores uploads in memory so tests can compare bytes; optional Basic/Digest
// authentication and per-file failure behaviours (404, 500, slow, truncated).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "acs/http_auth.h"
#include "acs/http_server.h"
#include "acs/transcript.h"

namespace tr69::testacs {

struct FileServerOptions {
  HttpServerOptions http;
  std::string rootDirectory;    // files served by GET /<name>
  std::string uploadDirectory;  // when set, uploads are also written to <dir>/<name>
  AuthMode auth = AuthMode::kNone;
  std::string username = "files";
  std::string password = "files-secret";
  std::shared_ptr<Transcript> transcript;  // optional: note every request here
};

struct FileBehaviour {
  enum class Kind { kNormal, kNotFound, kServerError, kTruncated };
  Kind kind = Kind::kNormal;
  int delayMs = 0;  // slow answer
  // Throttled body: `chunkBytes` at a time, `chunkDelayMs` before each block (0: at once).
  int chunkDelayMs = 0;
  std::size_t chunkBytes = 1024;
};

class FileServer {
 public:
  FileServer() = default;
  ~FileServer() { stop(); }

  Status start(FileServerOptions options);
  void stop() { server_.stop(); }
  std::uint16_t port() const { return server_.port(); }
  // URL of `name` ("http://127.0.0.1:<port>/<name>").
  std::string url(const std::string& name) const;

  // Adds an in-memory file (served before the directory is consulted).
  void addFile(const std::string& name, std::string content);
  void setBehaviour(const std::string& name, FileBehaviour behaviour);

  std::optional<std::string> upload(const std::string& name) const;
  std::size_t requestCount(const std::string& name) const;
  // When the first request for `name` arrived (steady clock); nullopt before any.
  std::optional<std::chrono::steady_clock::time_point> firstRequestAt(
      const std::string& name) const;
  bool waitForUpload(const std::string& name, std::chrono::milliseconds timeout) const;

 private:
  HttpResponse handle(const HttpRequest& request);

  HttpServer server_;
  FileServerOptions options_;
  std::unique_ptr<HttpAuthenticator> auth_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::string, std::string> files_;
  std::map<std::string, FileBehaviour> behaviours_;
  std::map<std::string, std::string> uploads_;
  std::map<std::string, std::size_t> requests_;
  std::map<std::string, std::chrono::steady_clock::time_point> firstRequests_;
};

}  // namespace tr69::testacs
