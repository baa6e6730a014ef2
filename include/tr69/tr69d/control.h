// The local control channel between tr69ctl and a running tr69d: a Unix stream socket with
// owner-only permissions (0600) in the state directory.
//
// Wire format, one request per connection:
//   request:  fields separated by TAB, ended by LF            e.g.
//   "get\tDevice.DeviceInfo.UpTime\n" response: "ok\n" or "error\t<code>\t<message>\n", then zero
//   or more "key\tvalue\n" lines,
//             then an empty line. TAB, LF, CR and backslash inside fields are escaped as \t \n \r
//             \\.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tr69/base/event_loop.h"
#include "tr69/base/fault.h"
#include "tr69/base/log.h"
#include "tr69/base/unique_fd.h"

namespace tr69::daemon {

using ControlFields = std::vector<std::string>;
using ControlReply = std::vector<std::pair<std::string, std::string>>;
using ControlHandler = std::function<Result<ControlReply>(const ControlFields& request)>;

std::string escapeControlField(const std::string& field);
std::string unescapeControlField(const std::string& field);

class ControlServer {
 public:
  // Binds `path` (an old socket file there is replaced), chmod 0600, and serves on `loop`.
  static Result<std::unique_ptr<ControlServer>> start(EventLoop& loop, const Logger& log,
                                                      const std::filesystem::path& path,
                                                      ControlHandler handler);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  struct Client {
    UniqueFd fd;
    std::string in;
    std::string out;
  };
  ControlServer(EventLoop& loop, const Logger& log, std::filesystem::path path, UniqueFd fd,
                ControlHandler handler);
  void accept();
  void onClient(int fd, std::uint32_t events);
  void drop(int fd);

  EventLoop& loop_;
  const Logger& log_;
  std::filesystem::path path_;
  UniqueFd listen_;
  ControlHandler handler_;
  std::map<int, Client> clients_;
};

// Sends one request and waits (bounded) for the reply. A reply "error" becomes a Fault with the
// daemon's code and message; no daemon listening is kRequestDenied "tr69d is not running".
Result<ControlReply> controlRequest(const std::filesystem::path& path, const ControlFields& request,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace tr69::daemon
