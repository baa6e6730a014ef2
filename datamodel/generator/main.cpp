// tr69-dmgen: turns datamodel/aastra-tr069.xml into C++ (descriptor tables + typed handles).
//   tr69-dmgen MODEL.xml TABLES.cpp HANDLES.h
// Errors go to stderr as "file:line: message"; the exit status is 1 on any error, and no output
// file is written then.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "emit.h"
#include "model_reader.h"

namespace {

bool writeIfChanged(const std::filesystem::path& path, const std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (old == content) return true;
  }
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: tr69-dmgen MODEL.xml TABLES.cpp HANDLES.h\n";
    return 2;
  }
  std::vector<std::string> errors;
  auto model = tr69::dmgen::readModel(argv[1], errors);
  if (!model) {
    for (const auto& e : errors)
      std::cerr << e << "\n";
    return 1;
  }
  if (!writeIfChanged(argv[2], tr69::dmgen::emitTables(*model)) ||
      !writeIfChanged(argv[3], tr69::dmgen::emitHandles(*model))) {
    std::cerr << argv[0] << ": cannot write output\n";
    return 1;
  }
  return 0;
}
