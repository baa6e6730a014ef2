// The model listing that `tr69ctl model` prints: one line per object and parameter, in model
// order, tab-separated: full path (with {i}), type ("object" for objects; list parameters are
// "string"), access ("R", or "R/W" for writable parameters and for tables that allow
// AddObject/DeleteObject).
#pragma once

#include <string>

#include "tr69/datamodel/descriptor.h"

namespace tr69::datamodel {

std::string modelListing(const Model& model);

}  // namespace tr69::datamodel
