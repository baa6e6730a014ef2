#include "tr69/transfer/transfer_manager.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <initializer_list>
#include <system_error>
#include <utility>

#include "curl_transfer.h"
#include "tr69/base/datetime.h"
#include "tr69/base/file_util.h"
#include "tr69/config/config_file.h"
#include "tr69/transfer/fault_mapping.h"
#include "tr69/transport/acs_connection.h"
#include "tr69/transport/curl_multi_driver.h"

namespace tr69::transfer {
namespace {

constexpr const char* kStateFileName = "transfers.xml";
constexpr const char* kTransfersDirName = "transfers";
constexpr const char* kFirmwareFileName = "firmware.img";
// An attempt that failed inside a time window is tried again after this pause.
constexpr std::int64_t kWindowRetryPauseSeconds = 10;
// MaxRetries -1 ("the CPE decides").
constexpr int kDefaultWindowRetries = 3;
// A transfer interrupted by this many restarts fails instead of starting again.
constexpr int kMaxStarts = 2;

Fault invalid(std::string message) {
  return Fault(FaultCode::kInvalidArguments, std::move(message));
}

Status checkLength(const std::string& value, std::size_t max, const char* name) {
  if (value.size() > max) {
    return invalid(std::string(name) + " longer than " + std::to_string(max) + " characters");
  }
  return {};
}

bool isDownloadKind(TransferKind kind) {
  return kind != TransferKind::kUpload;
}

// The argument checks every transfer RPC starts with; fileTypeChecked is the kind's own check.
Status checkArguments(const std::string& commandKey, const Status& fileTypeChecked,
                      const std::string& url,
                      std::initializer_list<const std::string*> otherArguments) {
  if (Status s = checkLength(commandKey, 32, "CommandKey"); !s) return s;
  if (!fileTypeChecked) return fileTypeChecked;
  if (Status s = checkTransferUrl(url); !s) return s;
  for (const std::string* argument : otherArguments) {
    if (Status s = checkLength(*argument, 256, "argument"); !s) return s;
  }
  return {};
}

// What a Download, Upload or ScheduleDownload request and its queued job have in common.
template <class Request>
Job jobFor(TransferKind kind, const Request& request) {
  Job job;
  job.kind = kind;
  job.commandKey = request.commandKey;
  job.fileType = request.fileType;
  job.url = request.url;
  job.username = request.username;
  job.password = request.password;
  if constexpr (requires { request.targetFileName; }) {
    job.fileSize = request.fileSize;
    job.targetFileName = request.targetFileName;
  }
  return job;
}

}  // namespace

TransferManager::TransferManager(EventLoop& loop, const Logger& logger, DeviceActions& device,
                                 TransferOptions options, Events events)
    : loop_(loop),
      logger_(logger),
      device_(device),
      options_(std::move(options)),
      events_(std::move(events)),
      driver_(std::make_unique<transport::CurlMultiDriver>(loop)) {
  if (!options_.wallClock) options_.wallClock = [] { return std::chrono::system_clock::now(); };
  transfer_ = std::make_unique<CurlTransfer>(*driver_, logger_);
  load();
}

TransferManager::~TransferManager() {
  // The easy handle must leave the driver before the driver goes.
  transfer_.reset();
  driver_.reset();
  if (wakeTimer_) loop_.cancelTimer(*wakeTimer_);
  if (windowTimer_) loop_.cancelTimer(*windowTimer_);
}

std::int64_t TransferManager::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(options_.wallClock().time_since_epoch())
      .count();
}

std::int64_t TransferManager::nowSecondsRoundedUp() const {
  const auto sinceEpoch = options_.wallClock().time_since_epoch();
  const auto whole = std::chrono::duration_cast<std::chrono::seconds>(sinceEpoch);
  return whole.count() + (sinceEpoch > whole ? 1 : 0);
}

std::string TransferManager::nowText() const {
  return formatUtc(options_.wallClock());
}

std::filesystem::path TransferManager::transfersDir() const {
  return options_.stateDir / kTransfersDirName;
}
std::filesystem::path TransferManager::stateFile() const {
  return options_.stateDir / kStateFileName;
}
std::filesystem::path TransferManager::firmwarePath() const {
  return transfersDir() / kFirmwareFileName;
}

// ---------------------------------------------------------------------------------------------
// Persistence and recovery

void TransferManager::load() {
  std::error_code error;
  std::filesystem::create_directories(transfersDir(), error);
  if (error)
    logger_.error("transfers: cannot create ", transfersDir().string(), ": ", error.message());

  bool changed = false;
  std::vector<StoredResult> recovered;
  if (std::filesystem::exists(stateFile(), error)) {
    auto content = readFile(stateFile(), kMaxStateFileBytes);
    Result<ParsedState> parsed =
        content ? parseState(*content) : Result<ParsedState>(content.fault());
    if (parsed) {
      state_ = std::move(parsed->state);
      if (parsed->skippedEntries != 0) {
        logger_.warning("transfers: ", stateFile().string(), ": skipped ", parsed->skippedEntries,
                        " damaged entries");
        changed = true;
      }
    } else {
      const auto quarantine = options_.stateDir / (std::string(kStateFileName) + ".corrupt");
      std::filesystem::rename(stateFile(), quarantine, error);
      logger_.error("transfers: ", stateFile().string(), ": ", parsed.fault().message,
                    "; moved aside to ", quarantine.string(), ", starting with an empty queue");
    }
  }

  for (auto it = state_.jobs.begin(); it != state_.jobs.end();) {
    if (!it->running) {
      ++it;
      continue;
    }
    changed = true;
    if (it->starts < kMaxStarts) {
      logger_.warning("transfers: ", transferKindName(it->kind), " '", it->commandKey,
                      "' was interrupted by a restart; starting it again");
      it->running = false;
      ++it;
      continue;
    }
    StoredResult stored;
    stored.result.id = it->id;
    stored.result.commandKey = it->commandKey;
    stored.result.kind = it->kind;
    stored.result.faultCode = it->kind == TransferKind::kUpload
                                  ? FaultCode::kUploadFailure
                                  : FaultCode::kCompleteDownloadFailure;
    stored.result.faultString =
        "transfer interrupted by restarts " + std::to_string(it->starts) + " times";
    stored.result.startTime = it->startTime.empty() ? std::string(kUnknownTime) : it->startTime;
    stored.result.completeTime = nowText();
    logger_.error("transfers: ", transferKindName(it->kind), " '", it->commandKey,
                  "' fails: ", stored.result.faultString);
    recovered.push_back(std::move(stored));
    it = state_.jobs.erase(it);
  }

  bool offerFirmware = false;
  for (StoredResult& stored : state_.results) {
    if (stored.phase == ResultPhase::kFirmwareInstalling) {
      // The install command ran (it normally reboots the device): report the download.
      logger_.info("transfers: firmware '", stored.result.commandKey,
                   "' was being installed before this start; reporting success");
      stored.phase = ResultPhase::kPending;
      std::filesystem::remove(stored.image, error);
      stored.image.clear();
      recovered.push_back(stored);
      changed = true;
    } else if (stored.phase == ResultPhase::kFirmwareReady) {
      if (std::filesystem::exists(stored.image, error)) {
        offerFirmware = true;
      } else {
        stored.phase = ResultPhase::kPending;
        stored.result.faultCode = FaultCode::kTransferFailure;
        stored.result.faultString = "firmware image lost before it was installed";
        stored.image.clear();
        recovered.push_back(stored);
        changed = true;
      }
    }
  }
  for (StoredResult& stored : recovered) {
    if (std::none_of(state_.results.begin(), state_.results.end(),
                     [&](const StoredResult& r) { return r.result.id == stored.result.id; })) {
      state_.results.push_back(stored);
    }
  }
  removePartialFiles();
  if (changed) persist();

  std::weak_ptr<int> alive = alive_;
  for (const StoredResult& stored : recovered) {
    loop_.post([this, alive, result = stored.result] {
      if (alive.lock() && events_.onResult) events_.onResult(result);
    });
  }
  if (offerFirmware) {
    loop_.post([this, alive] {
      if (alive.lock() && events_.onFirmwareReady) events_.onFirmwareReady();
    });
  }
  loop_.post([this, alive] {
    if (alive.lock()) schedule();
  });
}

void TransferManager::persist() {
  Status written = writeFileAtomic(stateFile(), serializeState(state_), 0600);
  if (!written) logger_.error("transfers: cannot save state: ", written.fault().message);
}

void TransferManager::removePartialFiles() {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(transfersDir(), error)) {
    const bool kept = std::any_of(
        state_.results.begin(), state_.results.end(),
        [&](const StoredResult& r) { return !r.image.empty() && entry.path() == r.image; });
    if (kept) continue;
    logger_.info("transfers: removing leftover ", entry.path().filename().string());
    std::filesystem::remove_all(entry.path(), error);
  }
}

// ---------------------------------------------------------------------------------------------
// RPCs

Status TransferManager::checkFileSize(const std::string& fileType, std::uint32_t fileSize) const {
  const std::uint64_t bound =
      fileType == kFirmwareImage ? options_.maxFirmwareBytes : options_.maxConfigBytes;
  if (fileSize <= bound) return {};
  return Fault(FaultCode::kResourcesExceeded, "FileSize " + std::to_string(fileSize) +
                                                  " exceeds this phone's limit of " +
                                                  std::to_string(bound) + " bytes");
}

Result<Accepted> TransferManager::enqueueAfterDelay(Job job, std::uint32_t delaySeconds) {
  job.acceptedAt = nowSeconds();
  // Rounded up so that at least DelaySeconds pass (times are stored in whole seconds).
  job.dueAt = delaySeconds == 0 ? job.acceptedAt : nowSecondsRoundedUp() + delaySeconds;
  return enqueue(std::move(job));
}

Result<Accepted> TransferManager::download(const DownloadRequest& request) {
  if (Status s =
          checkArguments(request.commandKey, checkDownloadFileType(request.fileType), request.url,
                         {&request.username, &request.password, &request.targetFileName,
                          &request.successUrl, &request.failureUrl});
      !s) {
    return s.fault();
  }
  if (Status s = checkFileSize(request.fileType, request.fileSize); !s) return s.fault();
  return enqueueAfterDelay(jobFor(TransferKind::kDownload, request), request.delaySeconds);
}

Result<Accepted> TransferManager::upload(const UploadRequest& request) {
  if (Status s = checkArguments(request.commandKey, checkUploadFileType(request.fileType),
                                request.url, {&request.username, &request.password});
      !s) {
    return s.fault();
  }
  return enqueueAfterDelay(jobFor(TransferKind::kUpload, request), request.delaySeconds);
}

Status TransferManager::scheduleDownload(const ScheduleDownloadRequest& request) {
  if (Status s =
          checkArguments(request.commandKey, checkDownloadFileType(request.fileType), request.url,
                         {&request.username, &request.password, &request.targetFileName});
      !s) {
    return s;
  }
  if (Status s = checkFileSize(request.fileType, request.fileSize); !s) return s;
  if (request.timeWindows.empty() || request.timeWindows.size() > 2) {
    return invalid("TimeWindowList must hold one or two windows");
  }
  Job job = jobFor(TransferKind::kScheduleDownload, request);

  job.acceptedAt = nowSeconds();
  job.dueAt = job.acceptedAt;
  std::uint32_t previousEnd = 0;
  for (const TimeWindow& window : request.timeWindows) {
    if (window.windowEnd <= window.windowStart) return invalid("WindowEnd must follow WindowStart");
    if (!job.windows.empty() && window.windowStart < previousEnd) {
      return invalid("time windows overlap or are out of order");
    }
    const bool knownMode =
        window.windowMode == kWindowAtAnyTime || window.windowMode == kWindowImmediately ||
        window.windowMode == kWindowWhenIdle || window.windowMode == kWindowConfirmationNeeded ||
        window.windowMode.starts_with("X ");
    if (!knownMode) return invalid("unknown WindowMode");
    if (Status s = checkLength(window.userMessage, 256, "UserMessage"); !s) return s;
    if (window.maxRetries < -1) return invalid("MaxRetries below -1");
    previousEnd = window.windowEnd;
    const std::int64_t base = window.windowStart == 0 ? job.acceptedAt : nowSecondsRoundedUp();
    job.windows.push_back({base + window.windowStart, nowSecondsRoundedUp() + window.windowEnd,
                           window.windowMode, window.userMessage, window.maxRetries});
  }
  Result<Accepted> accepted = enqueue(std::move(job));
  if (!accepted) return accepted.fault();
  return {};
}

Result<Accepted> TransferManager::enqueue(Job job) {
  if (state_.jobs.size() >= kMaxQueuedTransfers) {
    return Fault(FaultCode::kResourcesExceeded,
                 "transfer queue full (" + std::to_string(kMaxQueuedTransfers) + " transfers)");
  }
  job.id = state_.nextId++;
  logger_.info("transfers: queued ", transferKindName(job.kind), " '", job.commandKey, "' (",
               job.fileType, ") ", transport::redactUrl(job.url), " due in ",
               std::max<std::int64_t>(0, job.dueAt - nowSeconds()), " s");
  state_.jobs.push_back(std::move(job));
  persist();
  std::weak_ptr<int> alive = alive_;
  loop_.post([this, alive] {
    if (alive.lock()) schedule();
  });
  return Accepted{1, std::string(kUnknownTime), std::string(kUnknownTime)};
}

Status TransferManager::cancel(const std::string& commandKey) {
  bool found = false;
  for (const Job& job : state_.jobs)
    found = found || job.commandKey == commandKey;
  if (!found) {
    for (const StoredResult& stored : state_.results) {
      if (stored.result.commandKey == commandKey) {
        return Fault(FaultCode::kCancelNotPermitted,
                     "the transfer has finished or waits for its firmware install");
      }
    }
    return invalid("no transfer with this CommandKey");
  }
  for (auto it = state_.jobs.begin(); it != state_.jobs.end();) {
    if (it->commandKey != commandKey) {
      ++it;
      continue;
    }
    if (it->id == runningJob_) {
      transfer_->abort();
      runningJob_ = 0;
      if (windowTimer_) loop_.cancelTimer(*windowTimer_);
      windowTimer_.reset();
      std::error_code error;
      std::filesystem::remove(transfersDir() / ("job-" + std::to_string(it->id) + ".part"), error);
    }
    logger_.info("transfers: cancelled ", transferKindName(it->kind), " '", commandKey, "'");
    it = state_.jobs.erase(it);
  }
  persist();
  schedule();
  return {};
}

std::vector<QueuedTransfer> TransferManager::queued() const {
  std::vector<QueuedTransfer> out;
  for (const AllQueuedTransfer& entry : allQueued())
    out.push_back({entry.commandKey, entry.state});
  return out;
}

std::vector<AllQueuedTransfer> TransferManager::allQueued() const {
  std::vector<AllQueuedTransfer> out;
  for (const StoredResult& stored : state_.results) {
    if (stored.phase == ResultPhase::kPending) continue;
    out.push_back({stored.result.commandKey, QueueState::kInProgress, true,
                   std::string(kFirmwareImage), 0, ""});
  }
  for (const Job& job : state_.jobs) {
    out.push_back({job.commandKey,
                   job.id == runningJob_ ? QueueState::kInProgress : QueueState::kNotYetStarted,
                   isDownloadKind(job.kind), job.fileType, job.fileSize, job.targetFileName});
  }
  if (out.size() > 16) out.resize(16);
  return out;
}

std::vector<TransferResult> TransferManager::pendingResults() const {
  std::vector<TransferResult> out;
  for (const StoredResult& stored : state_.results) {
    if (stored.phase == ResultPhase::kPending) out.push_back(stored.result);
  }
  return out;
}

bool TransferManager::acknowledge(const std::string& commandKey) {
  for (auto it = state_.results.begin(); it != state_.results.end(); ++it) {
    if (it->phase == ResultPhase::kPending && it->result.commandKey == commandKey) {
      state_.results.erase(it);
      persist();
      return true;
    }
  }
  return false;
}

bool TransferManager::acknowledgeResult(std::uint64_t resultId) {
  auto it = std::find_if(state_.results.begin(), state_.results.end(), [&](const StoredResult& r) {
    return r.phase == ResultPhase::kPending && r.result.id == resultId;
  });
  if (it == state_.results.end()) return false;
  state_.results.erase(it);
  persist();
  return true;
}

bool TransferManager::firmwareReady() const {
  return std::any_of(state_.results.begin(), state_.results.end(),
                     [](const StoredResult& r) { return r.phase == ResultPhase::kFirmwareReady; });
}

bool TransferManager::idle() const {
  return runningJob_ == 0;
}

Status TransferManager::installPendingFirmware() {
  auto it = std::find_if(state_.results.begin(), state_.results.end(), [](const StoredResult& r) {
    return r.phase == ResultPhase::kFirmwareReady;
  });
  if (it == state_.results.end()) {
    return Fault(FaultCode::kInternalError, "no firmware image waits for installation");
  }
  const std::uint64_t id = it->result.id;
  const std::filesystem::path image = it->image;
  it->phase = ResultPhase::kFirmwareInstalling;
  it->result.completeTime = nowText();
  persist();
  logger_.info("transfers: installing firmware '", it->result.commandKey, "'");
  const Status installed = device_.installFirmware(image);

  it = std::find_if(state_.results.begin(), state_.results.end(),
                    [id](const StoredResult& r) { return r.result.id == id; });
  if (it == state_.results.end()) return installed;  // factoryReset() ran inside the command
  it->phase = ResultPhase::kPending;
  it->image.clear();
  std::error_code error;
  std::filesystem::remove(image, error);
  if (!installed) {
    it->result.faultCode = FaultCode::kTransferFailure;
    it->result.faultString = "firmware install failed: " + installed.fault().message;
    logger_.error("transfers: ", it->result.faultString);
  }
  const TransferResult result = it->result;
  persist();
  if (events_.onResult) events_.onResult(result);
  if (!installed) {
    schedule();
    return Fault(FaultCode::kTransferFailure, result.faultString);
  }
  return {};
}

void TransferManager::factoryReset() {
  transfer_->abort();
  runningJob_ = 0;
  if (wakeTimer_) loop_.cancelTimer(*wakeTimer_);
  if (windowTimer_) loop_.cancelTimer(*windowTimer_);
  wakeTimer_.reset();
  windowTimer_.reset();
  state_ = TransferState{};
  windowAttempts_.clear();
  lastFaults_.clear();
  removePartialFiles();
  persist();
}

// ---------------------------------------------------------------------------------------------
// Scheduling and execution

Job* TransferManager::findJob(std::uint64_t id) {
  for (Job& job : state_.jobs) {
    if (job.id == id) return &job;
  }
  return nullptr;
}

const StoredWindow* TransferManager::currentWindow(const Job& job) const {
  const std::int64_t now = nowSeconds();
  for (const StoredWindow& window : job.windows) {
    if (window.mode == kWindowConfirmationNeeded) continue;
    if (window.start <= now && now < window.end) return &window;
  }
  return nullptr;
}

std::optional<std::int64_t> TransferManager::nextStartTime(const Job& job) const {
  if (job.kind != TransferKind::kScheduleDownload) return job.dueAt;
  const std::int64_t now = nowSeconds();
  for (const StoredWindow& window : job.windows) {
    if (window.mode == kWindowConfirmationNeeded) continue;
    const std::int64_t start = std::max({window.start, job.dueAt, now});
    if (start < window.end) return start;
  }
  return std::nullopt;
}

void TransferManager::schedule() {
  if (wakeTimer_) loop_.cancelTimer(*wakeTimer_);
  wakeTimer_.reset();
  if (runningJob_ != 0) return;
  // A firmware image waiting for its install holds the queue: the device reboots next.
  const bool firmwarePending =
      std::any_of(state_.results.begin(), state_.results.end(),
                  [](const StoredResult& r) { return r.phase != ResultPhase::kPending; });
  if (firmwarePending) return;

  // Scheduled downloads whose windows are all gone end now.
  for (std::size_t i = 0; i < state_.jobs.size();) {
    if (nextStartTime(state_.jobs[i])) {
      ++i;
      continue;
    }
    const std::uint64_t id = state_.jobs[i].id;
    auto last = lastFaults_.find(id);
    Fault fault = last != lastFaults_.end()
                      ? last->second
                      : Fault(FaultCode::kTimeWindowFailure,
                              "unable to complete the download within the time windows");
    completeJob(id, fault);
    return;  // completeJob schedules again
  }
  std::optional<std::size_t> best;
  std::int64_t bestStart = 0;
  for (std::size_t i = 0; i < state_.jobs.size(); ++i) {
    const std::int64_t start = *nextStartTime(state_.jobs[i]);
    if (!best || start < bestStart) {
      best = i;
      bestStart = start;
    }
  }
  if (!best) return;
  const std::int64_t wait = bestStart - nowSeconds();
  if (wait <= 0) {
    startJob(*best);
    return;
  }
  std::weak_ptr<int> alive = alive_;
  wakeTimer_ = loop_.addTimer(std::chrono::seconds(wait), [this, alive] {
    if (!alive.lock()) return;
    wakeTimer_.reset();
    schedule();
  });
}

std::string TransferManager::uploadFileName(const Job& job) const {
  std::string mac;
  for (char c : device_.deviceMac()) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      mac += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  if (job.fileType == kUploadConfigFile) return mac + "_local.cfg";
  const std::time_t now = std::chrono::system_clock::to_time_t(options_.wallClock());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &utc);
  return mac + "_" + stamp + "_crash.log";
}

void TransferManager::startJob(std::size_t index) {
  Job& job = state_.jobs[index];
  const std::uint64_t id = job.id;
  ++job.starts;
  job.running = true;
  if (job.startTime.empty()) job.startTime = nowText();
  runningJob_ = id;
  persist();

  CurlTransferSpec spec;
  spec.url = job.url;
  spec.username = job.username;
  spec.password = job.password;
  spec.minFreeBytes = options_.minFreeBytes;
  if (options_.trustedCertificates) spec.caFile = options_.trustedCertificates();
  spec.connectTimeout = options_.connectTimeout;
  spec.stallTimeout = options_.stallTimeout;
  spec.progressInterval = options_.progressInterval;
  spec.logName = std::string(transferKindName(job.kind)) + " '" + job.commandKey + "'";
  if (job.kind == TransferKind::kUpload) {
    spec.direction = Direction::kUpload;
    Result<std::string> content =
        job.fileType == kUploadConfigFile ? device_.configBackup() : device_.logFile();
    if (!content) {
      runningJob_ = 0;
      completeJob(id, toTransferCompleteFault(content.fault(), FaultCode::kUploadFailure));
      return;
    }
    spec.uploadBody = std::move(*content);
    if (!spec.url.empty() && spec.url.back() == '/') spec.url += uploadFileName(job);
  } else {
    spec.direction = Direction::kDownload;
    spec.file = transfersDir() / ("job-" + std::to_string(id) + ".part");
    spec.maxBytes =
        job.fileType == kFirmwareImage ? options_.maxFirmwareBytes : options_.maxConfigBytes;
    spec.expectedSize = job.fileSize;
  }
  logger_.info("transfers: starting ", spec.logName, " (", job.fileType, ") ",
               transport::redactUrl(spec.url), ", attempt ", job.starts);

  if (job.kind == TransferKind::kScheduleDownload) {
    if (const StoredWindow* window = currentWindow(job)) {
      std::weak_ptr<int> alive = alive_;
      windowTimer_ =
          loop_.addTimer(std::chrono::seconds(window->end - nowSeconds()), [this, alive, id] {
            if (!alive.lock()) return;
            windowTimer_.reset();
            onWindowEnd(id);
          });
    }
  }
  Status started = transfer_->start(
      std::move(spec), [this, id](const TransferOutcome& outcome) { onFinished(id, outcome); });
  if (!started) {
    runningJob_ = 0;
    if (windowTimer_) loop_.cancelTimer(*windowTimer_);
    windowTimer_.reset();
    completeJob(id, toTransferCompleteFault(started.fault(), isDownloadKind(job.kind)
                                                                 ? FaultCode::kTransferFailure
                                                                 : FaultCode::kUploadFailure));
  }
}

void TransferManager::onWindowEnd(std::uint64_t jobId) {
  if (runningJob_ != jobId) return;
  transfer_->abort();
  runningJob_ = 0;
  std::error_code error;
  std::filesystem::remove(transfersDir() / ("job-" + std::to_string(jobId) + ".part"), error);
  Job* job = findJob(jobId);
  if (job == nullptr) return;
  logger_.warning("transfers: scheduleDownload '", job->commandKey,
                  "' did not finish within its time window");
  const Fault fault(FaultCode::kTimeWindowFailure,
                    "unable to complete the download within the time windows");
  if (retryOrFail(*job, fault)) {
    persist();
    schedule();
    return;
  }
  completeJob(jobId, fault);
}

bool TransferManager::retryOrFail(Job& job, const Fault& fault) {
  if (job.kind != TransferKind::kScheduleDownload) return false;
  job.running = false;
  lastFaults_[job.id] = fault;
  const std::int64_t now = nowSeconds();
  const StoredWindow* window = currentWindow(job);
  if (window != nullptr && fault.code != FaultCode::kTimeWindowFailure) {
    int& attempts = windowAttempts_[job.id];
    ++attempts;
    const int allowed = 1 + (window->maxRetries >= 0 ? window->maxRetries : kDefaultWindowRetries);
    if (attempts < allowed && now + kWindowRetryPauseSeconds < window->end) {
      job.dueAt = now + kWindowRetryPauseSeconds;
      logger_.info("transfers: scheduleDownload '", job.commandKey, "' failed (", fault.message,
                   "); retry ", attempts, " of ", allowed - 1, " in this window");
      return true;
    }
  }
  // Leave the current window: the next one (if any) starts a fresh count.
  windowAttempts_.erase(job.id);
  if (window != nullptr) job.dueAt = window->end;
  return nextStartTime(job).has_value();
}

void TransferManager::onFinished(std::uint64_t jobId, const TransferOutcome& outcome) {
  runningJob_ = 0;
  if (windowTimer_) loop_.cancelTimer(*windowTimer_);
  windowTimer_.reset();
  Job* job = findJob(jobId);
  if (job == nullptr) return;
  const std::filesystem::path part = transfersDir() / ("job-" + std::to_string(jobId) + ".part");
  const Direction direction = isDownloadKind(job->kind) ? Direction::kDownload : Direction::kUpload;
  Fault fault = mapOutcome(outcome, direction);
  bool firmwareReady = false;
  if (fault.code == FaultCode::kNone && direction == Direction::kDownload) {
    fault = finishDownload(*job, outcome.bytes, firmwareReady);
  }
  std::error_code error;
  std::filesystem::remove(part, error);
  if (firmwareReady) return;
  if (fault.code != FaultCode::kNone) {
    logger_.error("transfers: ", transferKindName(job->kind), " '", job->commandKey,
                  "' failed: ", fault.number(), " ", fault.message);
    if (retryOrFail(*job, fault)) {
      persist();
      schedule();
      return;
    }
  } else {
    logger_.info("transfers: ", transferKindName(job->kind), " '", job->commandKey, "' completed (",
                 outcome.bytes, " bytes)");
  }
  completeJob(jobId, fault);
}

Fault TransferManager::finishDownload(Job& job, std::uint64_t bytes, bool& firmwareReady) {
  const std::filesystem::path part = transfersDir() / ("job-" + std::to_string(job.id) + ".part");
  if (job.fileSize != 0 && bytes != job.fileSize) {
    return {FaultCode::kFileCorrupted, "received " + std::to_string(bytes) +
                                           " bytes, FileSize is " + std::to_string(job.fileSize)};
  }
  if (bytes == 0) return {FaultCode::kFileCorrupted, "the file is empty"};

  if (job.fileType == kFirmwareImage) {
    std::error_code error;
    std::filesystem::rename(part, firmwarePath(), error);
    if (error)
      return {FaultCode::kTransferFailure, "cannot keep the firmware image: " + error.message()};
    (void)syncDirectory(transfersDir());
    StoredResult stored;
    stored.result.id = job.id;
    stored.result.commandKey = job.commandKey;
    stored.result.kind = job.kind;
    stored.result.startTime = job.startTime;
    stored.result.completeTime = nowText();
    stored.phase = ResultPhase::kFirmwareReady;
    stored.image = firmwarePath().string();
    const std::uint64_t id = job.id;
    state_.jobs.erase(std::remove_if(state_.jobs.begin(), state_.jobs.end(),
                                     [id](const Job& j) { return j.id == id; }),
                      state_.jobs.end());
    recordResult(std::move(stored), false);
    firmwareReady = true;
    logger_.info("transfers: firmware image ready (", bytes, " bytes); install after the session");
    if (events_.onFirmwareReady) events_.onFirmwareReady();
    return {FaultCode::kNone, ""};
  }

  auto content = readFile(part, options_.maxConfigBytes);
  if (!content) return {FaultCode::kTransferFailure, content.fault().message};
  if (content->find('\0') != std::string::npos) {
    return {FaultCode::kFileCorrupted, "configuration file contains NUL bytes"};
  }
  const config::ConfigFile parsed =
      config::ConfigFile::parse(*content, "downloaded configuration", logger_);
  if (parsed.badLines() != 0) {
    return {FaultCode::kFileCorrupted,
            "configuration file has " + std::to_string(parsed.badLines()) + " invalid lines"};
  }
  if (parsed.entries().empty()) {
    return {FaultCode::kFileCorrupted, "configuration file holds no setting"};
  }
  Status applied = device_.applyConfigFile(*content);
  if (!applied) return toTransferCompleteFault(applied.fault(), FaultCode::kTransferFailure);
  return {FaultCode::kNone, ""};
}

void TransferManager::completeJob(std::uint64_t jobId, const Fault& fault) {
  Job* job = findJob(jobId);
  if (job == nullptr) return;
  StoredResult stored;
  stored.result.id = job->id;
  stored.result.commandKey = job->commandKey;
  stored.result.kind = job->kind;
  stored.result.faultCode = fault.code;
  stored.result.faultString = fault.code == FaultCode::kNone ? "" : fault.message.substr(0, 256);
  stored.result.startTime = job->startTime.empty() ? std::string(kUnknownTime) : job->startTime;
  stored.result.completeTime = nowText();
  windowAttempts_.erase(jobId);
  lastFaults_.erase(jobId);
  state_.jobs.erase(std::remove_if(state_.jobs.begin(), state_.jobs.end(),
                                   [jobId](const Job& j) { return j.id == jobId; }),
                    state_.jobs.end());
  recordResult(std::move(stored), true);
  schedule();
}

void TransferManager::recordResult(StoredResult stored, bool report) {
  std::size_t pending = 0;
  for (const StoredResult& r : state_.results)
    pending += r.phase == ResultPhase::kPending ? 1 : 0;
  if (pending >= kMaxPendingResults) {
    auto oldest = std::find_if(state_.results.begin(), state_.results.end(),
                               [](const auto& r) { return r.phase == ResultPhase::kPending; });
    logger_.warning("transfers: too many undelivered results; dropping the one for '",
                    oldest->result.commandKey, "'");
    state_.results.erase(oldest);
  }
  const TransferResult result = stored.result;
  state_.results.push_back(std::move(stored));
  persist();
  if (report && events_.onResult) events_.onResult(result);
}

}  // namespace tr69::transfer
