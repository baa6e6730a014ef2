#include "commands.h"

#include <array>

#include "tr69/datamodel/listing.h"

namespace tr69::ctl {
namespace {

constexpr std::array kCommands = {
    Command{"model", "print every object and parameter of the data model (path, type, access)",
            &modelCommand},
};

void usage(std::ostream& out) {
  out << "usage: tr69ctl <command> [arguments]\n\ncommands:\n";
  for (const auto& command : kCommands) {
    out << "  " << command.name << std::string(12 - command.name.size(), ' ') << command.summary
        << "\n";
  }
}

}  // namespace

std::span<const Command> commands() {
  return kCommands;
}

int modelCommand(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (!args.empty()) {
    err << "tr69ctl model: takes no arguments\n";
    return 2;
  }
  out << datamodel::modelListing(datamodel::aastraModel());
  return 0;
}

int runCtl(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    usage(err);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(out);
    return 0;
  }
  for (const auto& command : kCommands) {
    if (command.name == args[0]) return command.run(args.subspan(1), out, err);
  }
  err << "tr69ctl: unknown command '" << args[0] << "' (see tr69ctl --help)\n";
  return 2;
}

}  // namespace tr69::ctl
