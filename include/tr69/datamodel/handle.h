// Typed handles to parameters and objects of the generated model. The generated header
// tr69/datamodel/dm.h declares one constant per parameter, e.g.
//   dm::ManagementServer::PeriodicInformInterval   ParamHandle<std::uint32_t, 0>
//   dm::Services::VoiceService::VoiceProfile::SIP::ProxyServer   ParamHandle<std::string, 2>
// and one `kObject` per object namespace. Depth is the number of instance numbers a use site must
// give ({VoiceService, VoiceProfile} above), so a wrong count or a misspelt name does not compile.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tr69::datamodel {

using InstanceNumber = std::uint32_t;

template <class T, std::size_t Depth>
struct ParamHandle {
  using ValueType = T;
  static constexpr std::size_t kDepth = Depth;
  std::uint32_t index;  // in Model::params
};

template <std::size_t Depth>
struct ObjectHandle {
  static constexpr std::size_t kDepth = Depth;
  std::uint32_t index;  // in Model::objects
};

template <std::size_t Depth>
using Instances = std::array<InstanceNumber, Depth>;

}  // namespace tr69::datamodel
