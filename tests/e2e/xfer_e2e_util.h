// Helpers shared by the transfer end-to-end suites (xfer_e2e.cpp, xfer_fault_e2e.cpp): the test
// scripts tr69d runs (--firmware-command, --apply-command), Download/Upload/ScheduleDownload
// requests, and look-ups over what the test ACS recorded.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <string>
#include <vector>

#include "acs/rpc.h"
#include "acs/test_acs.h"
#include "tr69/base/file_util.h"

namespace tr69::testacs::xfer {

// A firmware install command for tests: appends its argument to <dir>/fw-args, appends the image
// to <dir>/fw-content, and fails (exit 3) for an image that starts with "CORRUPT" (the install
// command is what judges an image on this phone). With <dir>/fw-kill present it SIGKILLs tr69d
// (pid file) after recording: a device that reboots from inside the install command.
inline std::string writeFirmwareScript(const std::string& dir, const std::string& pidFile) {
  const std::string path = dir + "/firmware-install.sh";
  const std::string text =
      "#!/bin/sh\n"
      "echo \"$1\" >> '" +
      dir +
      "/fw-args'\n"
      "cat \"$1\" >> '" +
      dir +
      "/fw-content'\n"
      "if [ \"$(head -c 7 \"$1\")\" = CORRUPT ]; then exit 3; fi\n"
      "if [ -e '" +
      dir + "/fw-kill' ]; then kill -9 \"$(cat '" + pidFile +
      "')\"; fi\n"
      "exit 0\n";
  (void)writeFileAtomic(path, text, 0755);
  return path;
}

// An apply command that appends its arguments (the touched line numbers) to <dir>/apply-args.
inline std::string writeApplyScript(const std::string& dir) {
  const std::string path = dir + "/apply.sh";
  (void)writeFileAtomic(path, "#!/bin/sh\necho \"$@\" >> '" + dir + "/apply-args'\n", 0755);
  return path;
}

inline std::string fileText(const std::string& path) {
  auto text = readFile(path, 64 * 1024 * 1024);
  return text ? *text : std::string();
}

inline RpcRequest download(const std::string& key, const std::string& fileType,
                           const std::string& url, std::uint32_t fileSize = 0,
                           std::uint32_t delaySeconds = 0, const std::string& username = "",
                           const std::string& password = "") {
  return simpleRequest("Download")
      .with("CommandKey", key)
      .with("FileType", fileType)
      .with("URL", url)
      .with("Username", username)
      .with("Password", password)
      .with("FileSize", std::to_string(fileSize))
      .with("DelaySeconds", std::to_string(delaySeconds));
}

inline RpcRequest upload(const std::string& key, const std::string& fileType,
                         const std::string& url, const std::string& username = "",
                         const std::string& password = "") {
  RpcRequest request =
      simpleRequest("Upload").with("CommandKey", key).with("FileType", fileType).with("URL", url);
  if (!username.empty()) request = request.with("Username", username).with("Password", password);
  return request;
}

// ScheduleDownload with one time window [start, end] seconds after the RPC, "1 At Any Time".
inline RpcRequest scheduleDownload(const std::string& key, const std::string& fileType,
                                   const std::string& url, std::uint32_t windowStart,
                                   std::uint32_t windowEnd) {
  RpcRequest request = simpleRequest("ScheduleDownload");
  request.rawArguments =
      "<CommandKey>" + key + "</CommandKey><FileType>" + fileType + "</FileType><URL>" + url +
      "</URL><Username></Username><Password></Password><FileSize>0</FileSize>"
      "<TargetFileName></TargetFileName>"
      "<TimeWindowList soap-enc:arrayType=\"cwmp:TimeWindowStruct[1]\">"
      "<TimeWindowStruct><WindowStart>" +
      std::to_string(windowStart) + "</WindowStart><WindowEnd>" + std::to_string(windowEnd) +
      "</WindowEnd><WindowMode>1 At Any Time</WindowMode>"
      "<UserMessage></UserMessage><MaxRetries>-1</MaxRetries>"
      "</TimeWindowStruct></TimeWindowList>";
  return request;
}

inline Expectation accepted() {
  Expectation e;
  e.fields = {{"Status", "1"},
              {"StartTime", "0001-01-01T00:00:00Z"},
              {"CompleteTime", "0001-01-01T00:00:00Z"}};
  return e;
}

// Every TransferComplete the ACS acknowledged for `key` (or, with `alsoFaulted`, received), in
// order.
inline std::vector<TransferCompleteMessage> transferCompletes(
    const std::vector<SessionRecord>& sessions, const std::string& key, bool alsoFaulted = false) {
  std::vector<TransferCompleteMessage> out;
  for (const SessionRecord& s : sessions) {
    for (const TransferCompleteMessage& tc :
         alsoFaulted ? s.transferCompletesSeen : s.transferCompletes) {
      if (tc.commandKey == key) out.push_back(tc);
    }
  }
  return out;
}

inline bool waitForTransferComplete(const TestAcs& acs, const std::string& key,
                                    std::chrono::milliseconds timeout, std::size_t count = 1,
                                    bool alsoFaulted = false) {
  return acs.waitUntil(
      [&](const std::vector<SessionRecord>& s) {
        return transferCompletes(s, key, alsoFaulted).size() >= count;
      },
      timeout);
}

// The index of the session whose Inform carried event `code` with `key`, or -1.
inline int sessionWithEvent(const std::vector<SessionRecord>& sessions, const std::string& code,
                            const std::string& key) {
  for (const SessionRecord& s : sessions) {
    if (s.inform.hasEvent(code, key)) return static_cast<int>(s.index);
  }
  return -1;
}

}  // namespace tr69::testacs::xfer
