// Writes the generated C++: descriptor tables (.cpp) and typed handles (dm.h).
#pragma once

#include <string>

#include "model_reader.h"

namespace tr69::dmgen {

std::string emitTables(const GenModel& model);
std::string emitHandles(const GenModel& model);

}  // namespace tr69::dmgen
