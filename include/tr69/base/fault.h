// Errors as values: a CWMP fault code with a human-readable message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tr69 {

// CPE fault codes of TR-069 (cwmp-1-2.xsd). 9800-9899 are vendor codes; none are used yet.
enum class FaultCode : std::uint32_t {
  kNone = 0,
  kMethodNotSupported = 9000,
  kRequestDenied = 9001,
  kInternalError = 9002,
  kInvalidArguments = 9003,
  kResourcesExceeded = 9004,
  kInvalidParameterName = 9005,
  kInvalidParameterType = 9006,
  kInvalidParameterValue = 9007,
  kNonWritableParameter = 9008,
  kNotificationRejected = 9009,
  kTransferFailure = 9010,  // "Download failure" in CWMP 1.0
  kUploadFailure = 9011,
  kTransferServerAuthFailure = 9012,
  kUnsupportedTransferProtocol = 9013,
  kMulticastJoinFailure = 9014,
  kContactFileServerFailure = 9015,
  kAccessFileFailure = 9016,
  kCompleteDownloadFailure = 9017,
  kFileCorrupted = 9018,
  kFileAuthenticationFailure = 9019,
  kTimeWindowFailure = 9020,
  kCancelNotPermitted = 9021,
};

// The standard's short description of a code ("Invalid parameter name", ...).
std::string_view faultCodeText(FaultCode code);

// True when the fault is the sender's (ACS's) fault: SOAP faultcode "Client"; otherwise "Server".
bool isClientFault(FaultCode code);

struct Fault {
  FaultCode code = FaultCode::kInternalError;
  std::string message;

  Fault() = default;
  Fault(FaultCode c, std::string m) : code(c), message(std::move(m)) {}
  std::uint32_t number() const { return static_cast<std::uint32_t>(code); }
  bool operator==(const Fault&) const = default;
};

// Result<T>: a value or a Fault. Result<void>: success or a Fault.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Fault fault) : v_(std::move(fault)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

  const Fault& fault() const { return std::get<1>(v_); }

 private:
  std::variant<T, Fault> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Fault fault)
      : fault_(std::move(fault)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Fault& fault() const { return fault_; }

 private:
  Fault fault_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace tr69
