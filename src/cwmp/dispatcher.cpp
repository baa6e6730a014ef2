#include "tr69/cwmp/dispatcher.h"

#include <type_traits>
#include <utility>

namespace tr69::cwmp {
namespace {

// Result<T> -> variant<CpeResponse, CwmpFault>.
template <class T>
std::variant<CpeResponse, CwmpFault> toAnswer(Result<T> result) {
  if (!result.ok()) return CwmpFault(result.fault());
  return CpeResponse(std::move(result).value());
}

std::variant<CpeResponse, CwmpFault> toAnswer(SetParameterValuesResult result) {
  if (auto* response = std::get_if<SetParameterValuesResponse>(&result)) {
    return CpeResponse(*response);
  }
  CwmpFault fault = std::get<CwmpFault>(std::move(result));
  // TR-069: a fault that names parameters has the top-level code 9003.
  if (!fault.parameterFaults.empty()) fault.code = FaultCode::kInvalidArguments;
  return fault;
}

CwmpFault notSupported(RpcMethod method) {
  return CwmpFault(FaultCode::kMethodNotSupported,
                   "Method not supported: " + std::string(methodName(method)));
}

}  // namespace

std::variant<CpeResponse, CwmpFault> Dispatcher::answer(const AcsRequest& request) {
  RpcMethod method = methodOf(request);
  if (!handler_.implements(method)) return notSupported(method);
  RpcHandler& h = handler_;
  return std::visit(
      [&h](const auto& r) -> std::variant<CpeResponse, CwmpFault> {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, GetRPCMethods>) return toAnswer(h.getRPCMethods(r));
        if constexpr (std::is_same_v<T, GetParameterNames>) return toAnswer(h.getParameterNames(r));
        if constexpr (std::is_same_v<T, GetParameterValues>) {
          return toAnswer(h.getParameterValues(r));
        }
        if constexpr (std::is_same_v<T, SetParameterValues>) {
          return toAnswer(h.setParameterValues(r));
        }
        if constexpr (std::is_same_v<T, GetParameterAttributes>) {
          return toAnswer(h.getParameterAttributes(r));
        }
        if constexpr (std::is_same_v<T, SetParameterAttributes>) {
          return toAnswer(h.setParameterAttributes(r));
        }
        if constexpr (std::is_same_v<T, AddObject>) return toAnswer(h.addObject(r));
        if constexpr (std::is_same_v<T, DeleteObject>) return toAnswer(h.deleteObject(r));
        if constexpr (std::is_same_v<T, Reboot>) return toAnswer(h.reboot(r));
        if constexpr (std::is_same_v<T, FactoryReset>) return toAnswer(h.factoryReset(r));
        if constexpr (std::is_same_v<T, Download>) return toAnswer(h.download(r));
        if constexpr (std::is_same_v<T, Upload>) return toAnswer(h.upload(r));
        if constexpr (std::is_same_v<T, ScheduleInform>) return toAnswer(h.scheduleInform(r));
        if constexpr (std::is_same_v<T, GetQueuedTransfers>) {
          return toAnswer(h.getQueuedTransfers(r));
        }
        if constexpr (std::is_same_v<T, GetAllQueuedTransfers>) {
          return toAnswer(h.getAllQueuedTransfers(r));
        }
        if constexpr (std::is_same_v<T, ScheduleDownload>) return toAnswer(h.scheduleDownload(r));
        if constexpr (std::is_same_v<T, CancelTransfer>) return toAnswer(h.cancelTransfer(r));
      },
      request);
}

ServeResult Dispatcher::serve(std::string_view body) {
  ServeResult result{codec_.decodeAcsMessage(body), std::nullopt};
  EnvelopeInfo info{result.message.version.value_or(fallbackVersion_), result.message.header.id};
  if (const auto* request = std::get_if<AcsRequest>(&result.message.body)) {
    auto answered = answer(*request);
    if (const auto* response = std::get_if<CpeResponse>(&answered)) {
      result.reply = codec_.encodeResponse(*response, info);
    } else {
      result.reply = codec_.encodeFault(std::get<CwmpFault>(answered), info);
    }
  } else if (const auto* bad = std::get_if<BadMessage>(&result.message.body)) {
    result.reply = codec_.encodeBadMessageReply(*bad, info);
  }
  return result;
}

bool isParameterMethod(RpcMethod method) {
  return method >= RpcMethod::kGetParameterNames && method <= RpcMethod::kDeleteObject;
}

bool isActionMethod(RpcMethod method) {
  return method >= RpcMethod::kReboot && method <= RpcMethod::kCancelTransfer;
}

bool RpcHandler::implements(RpcMethod method) const {
  if (method == RpcMethod::kGetRPCMethods || isParameterMethod(method)) return true;
  return isActionMethod(method) && implementsAction(method);
}

Result<GetRPCMethodsResponse> RpcHandler::getRPCMethods(const GetRPCMethods&) {
  GetRPCMethodsResponse response;
  for (int i = 0; i < kRpcMethodCount; ++i) {
    auto method = static_cast<RpcMethod>(i);
    if (implements(method)) response.methods.emplace_back(methodName(method));
  }
  return response;
}

}  // namespace tr69::cwmp
