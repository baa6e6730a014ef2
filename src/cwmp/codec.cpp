#include "tr69/cwmp/codec.h"

#include "soap_context.h"

namespace tr69::cwmp {

Codec::Codec(DecodeLimits limits) : limits_(limits), impl_(std::make_unique<Impl>(limits_)) {}

Codec::~Codec() = default;

}  // namespace tr69::cwmp
