// tr69ctl subcommands. Each one is a function taking its arguments and the output streams and
// returning the exit status, so main() only dispatches and tests can call them directly.
#pragma once

#include <ostream>
#include <span>
#include <string_view>

namespace tr69::ctl {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
};

// The table of subcommands (add new ones here).
std::span<const Command> commands();

// Dispatches argv[1..]; prints usage for --help / -h / no arguments.
int runCtl(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// `tr69ctl model`: the listing of the generated data model (tr69/datamodel/listing.h).
int modelCommand(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace tr69::ctl
