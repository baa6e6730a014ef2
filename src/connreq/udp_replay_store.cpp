#include "tr69/connreq/udp_replay_store.h"

#include <charconv>
#include <string>
#include <string_view>

#include "tr69/base/file_util.h"

namespace tr69::connreq {

// Format: two lines "ts: <decimal>" and "id: <text>".
Result<UdpReplayState> UdpReplayStore::load() const {
  std::error_code ec;
  if (!std::filesystem::exists(file_, ec)) return UdpReplayState{};
  auto content = readFile(file_, 4096);
  if (!content) return content.fault();
  UdpReplayState state;
  bool haveTs = false;
  bool haveId = false;
  std::string_view rest = *content;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (line.starts_with("ts: ")) {
      const auto digits = line.substr(4);
      const auto [ptr, err] =
          std::from_chars(digits.data(), digits.data() + digits.size(), state.lastTimestamp);
      haveTs = err == std::errc() && ptr == digits.data() + digits.size();
    } else if (line.starts_with("id: ")) {
      state.lastId = std::string(line.substr(4));
      haveId = !state.lastId.empty();
    }
  }
  if (!haveTs || !haveId) {
    return Fault(FaultCode::kInternalError,
                 "corrupt UDP connection-request state: " + file_.string());
  }
  state.any = true;
  return state;
}

Status UdpReplayStore::save(const UdpReplayState& state) const {
  if (!state.any) return {};
  return writeFileAtomic(
      file_, "ts: " + std::to_string(state.lastTimestamp) + "\nid: " + state.lastId + "\n", 0600);
}

}  // namespace tr69::connreq
