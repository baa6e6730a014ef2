// Must NOT compile: a handle of depth 2 used with one instance number.
#include "tr69/datamodel/dm.h"

int main() {
  tr69::datamodel::Instances<
      decltype(tr69::dm::Services::VoiceService::VoiceProfile::SIP::ProxyServer)::kDepth>
      instances = {1, 2, 3};
  return static_cast<int>(instances[0]);
}
