#include "commands.h"

#include <array>

#include "tr69/datamodel/listing.h"

namespace tr69::ctl {
namespace {

constexpr std::array kCommands = {
    Command{"model", "print every object and parameter of the data model (path, type, access)",
            &modelCommand},
    Command{"status", "ACS URL, last session, next inform, pending events and transfers",
            &statusCommand},
    Command{"get", "NAME... : read parameter values from the running daemon", &getCommand},
    Command{"set", "NAME VALUE... : set parameters locally (notified to the ACS as local changes)",
            &setCommand},
    Command{"inform", "open a session with the ACS now", &informCommand},
    Command{"option125", "the TR-111 DHCP option 125 payload for this phone's identity",
            &option125Command},
};

void usage(std::ostream& out) {
  out << "usage: tr69ctl [--state-dir DIR | --socket FILE] [--identity FILE] [--json] <command> "
         "[arguments]\n\ncommands:\n";
  for (const auto& command : kCommands) {
    out << "  " << command.name << std::string(12 - command.name.size(), ' ') << command.summary
        << "\n";
  }
}

}  // namespace

std::span<const Command> commands() {
  return kCommands;
}

int modelCommand(const Context&, std::span<const std::string_view> args, std::ostream& out,
                 std::ostream& err) {
  if (!args.empty()) {
    err << "tr69ctl model: takes no arguments\n";
    return 2;
  }
  out << datamodel::modelListing(datamodel::aastraModel());
  return 0;
}

int runCtl(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  Context context;
  std::size_t i = 0;
  for (; i < args.size() && args[i].rfind("--", 0) == 0; ++i) {
    const std::string_view flag = args[i];
    if (flag == "--help") break;
    if (flag == "--json") {
      context.json = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      err << "tr69ctl: " << flag << " needs a value\n";
      return 2;
    }
    const std::string_view value = args[++i];
    if (flag == "--state-dir") {
      context.socket = std::filesystem::path(value) / "tr69d.sock";
    } else if (flag == "--socket") {
      context.socket = value;
    } else if (flag == "--identity") {
      context.identity = value;
    } else {
      err << "tr69ctl: unknown option '" << flag << "' (see tr69ctl --help)\n";
      return 2;
    }
  }
  args = args.subspan(i);
  if (args.empty()) {
    usage(err);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(out);
    return 0;
  }
  for (const auto& command : kCommands) {
    if (command.name == args[0]) return command.run(context, args.subspan(1), out, err);
  }
  err << "tr69ctl: unknown command '" << args[0] << "' (see tr69ctl --help)\n";
  return 2;
}

}  // namespace tr69::ctl
