// tr69ctl subcommands. Each one is a function taking the global options, its arguments and the
// output streams and returning the exit status, so main() only dispatches and tests can call
// them directly.
#pragma once

#include <filesystem>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tr69::ctl {

// Global options: tr69ctl [--state-dir DIR | --socket FILE] [--identity FILE] [--json] COMMAND
struct Context {
  std::filesystem::path socket = "/var/lib/tr69d/tr69d.sock";
  std::filesystem::path identity = "/etc/tr69d/identity";
  bool json = false;
};

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const Context& context, std::span<const std::string_view> args, std::ostream& out,
             std::ostream& err);
};

// The table of subcommands (add new ones here).
std::span<const Command> commands();

// Parses the global options, dispatches argv[1..]; prints usage for --help / -h / no arguments.
int runCtl(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// `tr69ctl model`: the listing of the generated data model (tr69/datamodel/listing.h).
int modelCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
                 std::ostream& err);
// `status`, `get NAME...`, `set NAME VALUE [NAME VALUE...]`, `inform`: a running tr69d.
int statusCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
                  std::ostream& err);
int getCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
               std::ostream& err);
int setCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
               std::ostream& err);
int informCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
                  std::ostream& err);

// `option125`: the TR-111 DHCP option 125 payload built from the identity file (no daemon needed).
int option125Command(const Context& context, std::span<const std::string_view> args,
                     std::ostream& out, std::ostream& err);

// Writes key/value pairs as aligned "key: value" lines, or as one JSON object.
void printPairs(const std::vector<std::pair<std::string, std::string>>& pairs, bool json,
                std::ostream& out);
std::string jsonString(std::string_view text);

}  // namespace tr69::ctl
