#include "acs/file_server.h"

#include "tr69/base/file_util.h"

namespace tr69::testacs {

Status FileServer::start(FileServerOptions options) {
  options_ = std::move(options);
  auth_ = std::make_unique<HttpAuthenticator>(options_.auth, "tr69-test-files", options_.username,
                                              options_.password);
  return server_.start(options_.http,
                       [this](const HttpRequest& request) { return handle(request); });
}

std::string FileServer::url(const std::string& name) const {
  return server_.baseUrl() + "/" + name;
}

void FileServer::addFile(const std::string& name, std::string content) {
  std::lock_guard lock(mutex_);
  files_[name] = std::move(content);
}

void FileServer::setBehaviour(const std::string& name, FileBehaviour behaviour) {
  std::lock_guard lock(mutex_);
  behaviours_[name] = behaviour;
}

std::optional<std::string> FileServer::upload(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = uploads_.find(name);
  if (it == uploads_.end()) return std::nullopt;
  return it->second;
}

std::size_t FileServer::requestCount(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = requests_.find(name);
  return it == requests_.end() ? 0 : it->second;
}

std::optional<std::chrono::steady_clock::time_point> FileServer::firstRequestAt(
    const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = firstRequests_.find(name);
  if (it == firstRequests_.end()) return std::nullopt;
  return it->second;
}

bool FileServer::waitForUpload(const std::string& name, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return uploads_.count(name) != 0; });
}

HttpResponse FileServer::handle(const HttpRequest& request) {
  HttpResponse response;
  std::string name = request.url.substr(0, request.url.find('?'));
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  if (name.empty() || name.find("..") != std::string::npos || name.front() == '/') {
    response.status = 400;
    return response;
  }
  if (options_.auth != AuthMode::kNone) {
    const std::string reason =
        auth_->verify(request.header("authorization").value_or(""), request.method, request.body);
    if (!reason.empty()) {
      response.status = 401;
      response.with("WWW-Authenticate", auth_->challenge());
      return response;
    }
  }
  if (options_.transcript) {
    options_.transcript->note("file server: " + request.method + " /" + name + " (" +
                              std::to_string(request.body.size()) + " bytes)");
  }
  std::lock_guard lock(mutex_);
  if (++requests_[name] == 1) firstRequests_[name] = std::chrono::steady_clock::now();
  const FileBehaviour behaviour = behaviours_.count(name) ? behaviours_[name] : FileBehaviour{};
  response.delayMs = behaviour.delayMs;
  response.chunkDelayMs = behaviour.chunkDelayMs;
  response.chunkBytes = behaviour.chunkBytes;
  if (behaviour.kind == FileBehaviour::Kind::kNotFound) {
    response.status = 404;
    return response;
  }
  if (behaviour.kind == FileBehaviour::Kind::kServerError) {
    response.status = 500;
    return response;
  }
  if (request.method == "PUT" || request.method == "POST") {
    uploads_[name] = request.body;
    if (!options_.uploadDirectory.empty() && name.find('/') == std::string::npos && name != "." &&
        name != "..") {
      (void)writeFileAtomic(options_.uploadDirectory + "/" + name, request.body);
    }
    changed_.notify_all();
    response.status = 201;
    return response;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    response.status = 405;
    return response;
  }
  if (auto it = files_.find(name); it != files_.end()) {
    response.body = it->second;
  } else if (!options_.rootDirectory.empty()) {
    auto content = readFile(options_.rootDirectory + "/" + name, 256 * 1024 * 1024);
    if (!content) {
      response.status = 404;
      return response;
    }
    response.body = std::move(*content);
  } else {
    response.status = 404;
    return response;
  }
  response.with("Content-Type", "application/octet-stream");
  if (behaviour.kind == FileBehaviour::Kind::kTruncated) {
    response.truncateAfter = response.body.size() / 2;
  }
  return response;
}

}  // namespace tr69::testacs
