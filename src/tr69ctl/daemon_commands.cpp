// The subcommands that talk to a running tr69d over its control socket (tr69d/control.h).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "tr69/tr69d/control.h"

namespace tr69::ctl {
namespace {

int request(const Context& context, const daemon::ControlFields& fields, std::ostream& out,
            std::ostream& err) {
  auto reply = daemon::controlRequest(context.socket, fields);
  if (!reply) {
    if (context.json) {
      out << "{\"error\":{\"code\":" << reply.fault().number()
          << ",\"message\":" << jsonString(reply.fault().message) << "}}\n";
    }
    err << "tr69ctl: " << reply.fault().message << "\n";
    return 1;
  }
  printPairs(*reply, context.json, out);
  return 0;
}

daemon::ControlFields withArgs(std::string command, std::span<const std::string_view> args) {
  daemon::ControlFields fields{std::move(command)};
  for (auto a : args)
    fields.emplace_back(a);
  return fields;
}

}  // namespace

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

void printPairs(const std::vector<std::pair<std::string, std::string>>& pairs, bool json,
                std::ostream& out) {
  if (json) {
    out << "{";
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      out << (i ? "," : "") << jsonString(pairs[i].first) << ":" << jsonString(pairs[i].second);
    }
    out << "}\n";
    return;
  }
  std::size_t width = 0;
  for (const auto& [key, value] : pairs)
    width = std::max(width, key.size());
  for (const auto& [key, value] : pairs) {
    out << key << ":" << std::string(width - key.size() + 1, ' ') << value << "\n";
  }
}

int statusCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
                  std::ostream& err) {
  if (!args.empty()) {
    err << "tr69ctl status: takes no arguments\n";
    return 2;
  }
  return request(context, {"status"}, out, err);
}

int getCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
               std::ostream& err) {
  if (args.empty()) {
    err << "tr69ctl get: give one or more parameter names or partial paths\n";
    return 2;
  }
  return request(context, withArgs("get", args), out, err);
}

int setCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
               std::ostream& err) {
  if (args.empty() || args.size() % 2 != 0) {
    err << "tr69ctl set: give NAME VALUE pairs\n";
    return 2;
  }
  return request(context, withArgs("set", args), out, err);
}

int informCommand(const Context& context, std::span<const std::string_view> args, std::ostream& out,
                  std::ostream& err) {
  if (!args.empty()) {
    err << "tr69ctl inform: takes no arguments\n";
    return 2;
  }
  return request(context, {"inform"}, out, err);
}

}  // namespace tr69::ctl
