#include "tr69/datamodel/listing.h"

namespace tr69::datamodel {

std::string modelListing(const Model& model) {
  std::string out;
  for (const auto& object : model.objects) {
    out.append(object.path).append("\tobject\t").append(object.addDelete ? "R/W" : "R");
    out.push_back('\n');
    for (auto p : object.parameters) {
      const auto& param = model.params[p];
      out.append(param.path).append("\t").append(typeName(param.type)).append("\t");
      out.append(param.writable ? "R/W" : "R").push_back('\n');
    }
  }
  return out;
}

}  // namespace tr69::datamodel
