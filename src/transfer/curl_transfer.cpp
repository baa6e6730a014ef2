#include "curl_transfer.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace tr69::transfer {
namespace {

// Free space is checked again after every this many bytes written.
constexpr std::uint64_t kSpaceCheckEvery = 1024 * 1024;

// Only the protocols the module accepts, for the first request and for redirects.
constexpr const char* kProtocols = "http,https,ftp,tftp";

}  // namespace

CurlTransfer::CurlTransfer(transport::CurlMultiDriver& driver, const Logger& logger)
    : driver_(driver),
      logger_(logger),
      easy_(nullptr, &curl_easy_cleanup),
      headers_(nullptr, &curl_slist_free_all) {}

CurlTransfer::~CurlTransfer() {
  abort();
}

void CurlTransfer::abort() {
  if (easy_) driver_.remove(easy_.get());
  token_.reset();  // a completion already posted by the driver is ignored
  done_ = nullptr;
  fd_.reset();
}

Status CurlTransfer::start(CurlTransferSpec spec, Done done) {
  abort();
  spec_ = std::move(spec);
  bytes_ = 0;
  uploadOffset_ = 0;
  bytesAtLastSpaceCheck_ = 0;
  firstWrite_ = true;
  abortReason_ = AbortReason::kNone;
  abortText_.clear();
  lastProgressQuarter_ = 0;
  lastProgressLog_ = std::chrono::steady_clock::now();
  errorBuffer_[0] = '\0';

  if (spec_.direction == Direction::kDownload) {
    fd_.reset(::open(spec_.file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd_) {
      return Fault(FaultCode::kTransferFailure,
                   "cannot create " + spec_.file.string() + ": " + std::strerror(errno));
    }
  }
  easy_.reset(curl_easy_init());
  if (!easy_) return Fault(FaultCode::kInternalError, "curl_easy_init failed");
  CURL* easy = easy_.get();
  curl_easy_setopt(easy, CURLOPT_URL, spec_.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, kProtocols);
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, kProtocols);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errorBuffer_);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, static_cast<long>(spec_.connectTimeout.count()));
  // A transfer that moves less than 1 byte/s for stallTimeout fails (9017 / 9011).
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(spec_.stallTimeout.count()));
  if (!spec_.username.empty() || !spec_.password.empty()) {
    curl_easy_setopt(easy, CURLOPT_USERNAME, spec_.username.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, spec_.password.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_ANY);
  }
  if (!spec_.caFile.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, spec_.caFile.c_str());
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &CurlTransfer::onProgress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, this);
  if (spec_.direction == Direction::kDownload) {
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CurlTransfer::onWrite);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
  } else {
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &CurlTransfer::onRead);
    curl_easy_setopt(easy, CURLOPT_READDATA, this);
    curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, &CurlTransfer::onSeek);
    curl_easy_setopt(easy, CURLOPT_SEEKDATA, this);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE,
                     static_cast<curl_off_t>(spec_.uploadBody.size()));
    // No "Expect: 100-continue" round trip: file servers that ignore it would stall the PUT.
    headers_.reset(curl_slist_append(nullptr, "Expect:"));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
    // Discard whatever body the server answers a PUT with.
    curl_easy_setopt(
        easy, CURLOPT_WRITEFUNCTION,
        +[](char*, std::size_t size, std::size_t count, void*) { return size * count; });
  }
  done_ = std::move(done);
  token_ = std::make_shared<int>(0);
  std::weak_ptr<int> token = token_;
  Status started = driver_.start(easy, [this, token](CURLcode code) {
    if (token.lock()) finish(code);
  });
  if (!started) {
    done_ = nullptr;
    fd_.reset();
    return started;
  }
  return {};
}

bool CurlTransfer::enoughSpace(std::uint64_t needed) const {
  struct statvfs info {};
  if (::statvfs(spec_.file.parent_path().c_str(), &info) != 0) return true;  // unknown: try
  const std::uint64_t available =
      static_cast<std::uint64_t>(info.f_bavail) * static_cast<std::uint64_t>(info.f_frsize);
  return available >= needed && available - needed >= spec_.minFreeBytes;
}

std::size_t CurlTransfer::onWrite(char* data, std::size_t size, std::size_t count, void* self) {
  return static_cast<CurlTransfer*>(self)->write(data, size * count);
}

std::size_t CurlTransfer::write(const char* data, std::size_t size) {
  CURL* easy = easy_.get();
  const char* scheme = nullptr;
  curl_easy_getinfo(easy, CURLINFO_SCHEME, &scheme);
  const bool http =
      scheme != nullptr && (std::strcmp(scheme, "HTTP") == 0 || std::strcmp(scheme, "HTTPS") == 0 ||
                            std::strcmp(scheme, "http") == 0 || std::strcmp(scheme, "https") == 0);
  if (http) {
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) return size;  // an error page is not the file
  }
  if (firstWrite_) {
    firstWrite_ = false;
    curl_off_t announced = -1;
    curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
    if (announced >= 0) {
      const auto length = static_cast<std::uint64_t>(announced);
      if (spec_.expectedSize != 0 && length != spec_.expectedSize) {
        abortReason_ = AbortReason::kSizeMismatch;
        abortText_ = "server announces " + std::to_string(length) + " bytes, FileSize is " +
                     std::to_string(spec_.expectedSize);
        return 0;
      }
      if (length > spec_.maxBytes) {
        abortReason_ = AbortReason::kTooLarge;
        return 0;
      }
      if (!enoughSpace(length)) {
        abortReason_ = AbortReason::kDiskFull;
        return 0;
      }
    } else if (!enoughSpace(spec_.expectedSize)) {
      abortReason_ = AbortReason::kDiskFull;
      return 0;
    }
  }
  if (spec_.expectedSize != 0 && bytes_ + size > spec_.expectedSize) {
    abortReason_ = AbortReason::kSizeMismatch;
    abortText_ = "more than FileSize " + std::to_string(spec_.expectedSize) + " bytes";
    return 0;
  }
  if (bytes_ + size > spec_.maxBytes) {
    abortReason_ = AbortReason::kTooLarge;
    return 0;
  }
  if (bytes_ - bytesAtLastSpaceCheck_ >= kSpaceCheckEvery) {
    bytesAtLastSpaceCheck_ = bytes_;
    if (!enoughSpace(size)) {
      abortReason_ = AbortReason::kDiskFull;
      return 0;
    }
  }
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd_.get(), data + written, size - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      abortReason_ =
          (errno == ENOSPC || errno == EDQUOT) ? AbortReason::kDiskFull : AbortReason::kWriteError;
      abortText_ = std::strerror(errno);
      return 0;
    }
    written += static_cast<std::size_t>(n);
  }
  bytes_ += size;
  return size;
}

std::size_t CurlTransfer::onRead(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  const std::string& body = transfer->spec_.uploadBody;
  const std::size_t left =
      body.size() - std::min<std::size_t>(transfer->uploadOffset_, body.size());
  const std::size_t n = std::min(left, size * count);
  std::memcpy(data, body.data() + transfer->uploadOffset_, n);
  transfer->uploadOffset_ += n;
  transfer->bytes_ = transfer->uploadOffset_;
  return n;
}

int CurlTransfer::onSeek(void* self, curl_off_t offset, int origin) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  if (origin != SEEK_SET || offset < 0 ||
      static_cast<std::uint64_t>(offset) > transfer->spec_.uploadBody.size()) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  transfer->uploadOffset_ = static_cast<std::uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

int CurlTransfer::onProgress(void* self, curl_off_t downTotal, curl_off_t downNow,
                             curl_off_t upTotal, curl_off_t upNow) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  const bool down = transfer->spec_.direction == Direction::kDownload;
  const curl_off_t total = down ? downTotal : upTotal;
  const curl_off_t now = down ? downNow : upNow;
  const auto clockNow = std::chrono::steady_clock::now();
  int quarter = 0;
  if (total > 0) quarter = static_cast<int>(std::min<curl_off_t>(4, now * 4 / total));
  const bool timeDue = clockNow - transfer->lastProgressLog_ >= transfer->spec_.progressInterval;
  if (now > 0 && (quarter > transfer->lastProgressQuarter_ || timeDue)) {
    transfer->lastProgressQuarter_ = std::max(quarter, transfer->lastProgressQuarter_);
    transfer->lastProgressLog_ = clockNow;
    if (total > 0) {
      transfer->logger_.info(transfer->spec_.logName, ": ", now, " of ", total, " bytes (",
                             now * 100 / total, "%)");
    } else {
      transfer->logger_.info(transfer->spec_.logName, ": ", now, " bytes");
    }
  }
  return 0;
}

void CurlTransfer::finish(CURLcode code) {
  TransferOutcome outcome;
  outcome.code = code;
  outcome.bytes = bytes_;
  outcome.abortReason = code == CURLE_OK ? AbortReason::kNone : abortReason_;
  outcome.errorText = abortReason_ != AbortReason::kNone ? abortText_ : errorBuffer_;
  CURL* easy = easy_.get();
  const char* scheme = nullptr;
  curl_easy_getinfo(easy, CURLINFO_SCHEME, &scheme);
  outcome.isHttp = scheme != nullptr &&
                   (std::strncmp(scheme, "HTTP", 4) == 0 || std::strncmp(scheme, "http", 4) == 0);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &outcome.responseCode);
  if (fd_ && ::fsync(fd_.get()) != 0 && outcome.code == CURLE_OK) {
    outcome.code = CURLE_WRITE_ERROR;
    outcome.abortReason = errno == ENOSPC ? AbortReason::kDiskFull : AbortReason::kWriteError;
    outcome.errorText = std::strerror(errno);
  }
  fd_.reset();
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(outcome);
}

}  // namespace tr69::transfer
