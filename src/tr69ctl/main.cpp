// tr69ctl: local inspection and control of tr69d. Wiring only; commands live in commands.cpp.
#include <iostream>
#include <string_view>
#include <vector>

#include "commands.h"

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  return tr69::ctl::runCtl(args, std::cout, std::cerr);
}
