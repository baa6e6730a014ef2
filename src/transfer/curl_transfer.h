// One running file transfer on a libcurl easy handle driven by transport::CurlMultiDriver:
// downloads stream into a file (never into memory), uploads send a string. Internal to the module.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "tr69/base/log.h"
#include "tr69/base/unique_fd.h"
#include "tr69/transfer/fault_mapping.h"
#include "tr69/transport/curl_multi_driver.h"

namespace tr69::transfer {

struct CurlTransferSpec {
  Direction direction = Direction::kDownload;
  std::string url;
  std::string username;
  std::string password;
  std::filesystem::path file;      // download destination (created 0600, truncated)
  std::string uploadBody;          // upload content
  std::uint64_t maxBytes = 0;      // download bound
  std::uint32_t expectedSize = 0;  // FileSize, 0 = unknown
  std::uint64_t minFreeBytes = 0;  // free space that must remain in the file's directory
  std::string caFile;              // empty: system trust store
  std::chrono::seconds connectTimeout{30};
  std::chrono::seconds stallTimeout{60};
  std::chrono::seconds progressInterval{10};
  std::string logName;  // "download 'key'" (no URL credentials)
};

class CurlTransfer {
 public:
  using Done = std::function<void(const TransferOutcome&)>;

  CurlTransfer(transport::CurlMultiDriver& driver, const Logger& logger);
  // Aborts a running transfer (no callback) and closes the file.
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  // Starts the transfer; `done` runs once on the loop unless abort() or the destructor comes
  // first. A fault means nothing started (the file could not be created, curl refused).
  Status start(CurlTransferSpec spec, Done done);
  void abort();

 private:
  static std::size_t onWrite(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t onRead(char* data, std::size_t size, std::size_t count, void* self);
  static int onSeek(void* self, curl_off_t offset, int origin);
  static int onProgress(void* self, curl_off_t downTotal, curl_off_t downNow, curl_off_t upTotal,
                        curl_off_t upNow);
  std::size_t write(const char* data, std::size_t size);
  bool enoughSpace(std::uint64_t needed) const;
  void finish(CURLcode code);

  transport::CurlMultiDriver& driver_;
  const Logger& logger_;
  std::unique_ptr<CURL, void (*)(CURL*)> easy_;
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers_;
  CurlTransferSpec spec_;
  Done done_;
  UniqueFd fd_;
  std::uint64_t bytes_ = 0;
  std::uint64_t uploadOffset_ = 0;
  std::uint64_t bytesAtLastSpaceCheck_ = 0;
  bool firstWrite_ = true;
  AbortReason abortReason_ = AbortReason::kNone;
  std::string abortText_;
  std::chrono::steady_clock::time_point lastProgressLog_;
  int lastProgressQuarter_ = 0;
  char errorBuffer_[CURL_ERROR_SIZE] = {};
  std::shared_ptr<int> token_;  // identifies the current transfer's completion
};

}  // namespace tr69::transfer
