// The command table: every `hull` command, its flags and its entry point.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "cli/args.hpp"
#include "util/log.hpp"

namespace hull::cli {

// Global flags, as runc accepts them before the command name.
struct GlobalOptions {
    std::string root = "/run/hull";
    std::string log_path;
    util::LogFormat log_format = util::LogFormat::text;
    bool debug = false;
    bool systemd_cgroup = false;
    std::string rootless = "auto";      // true | false | auto
    std::string cgroup_manager;         // podman's --cgroup-manager: cgroupfs | systemd | disabled
};

struct Context {
    const GlobalOptions& global;
    const util::Logger& log;
};

using CommandFn = int (*)(const Context&, const ParsedArgs&);

struct Command {
    std::string_view name;
    std::string_view summary;
    std::string_view usage;  // arguments after the command name
    std::span<const FlagSpec> flags;
    Interspersed mode = Interspersed::allowed;
    CommandFn run = nullptr;  // nullptr: not implemented yet (exits 1, never a silent success)
};

std::span<const Command> all_commands();
const Command* find_command(std::string_view name);

// Throws unless the command got exactly `count` positional arguments.
void expect_args(const ParsedArgs& args, std::size_t count, std::string_view command, std::string_view what);
// --preserve-fds N (default 0), as create, run and exec take it.
int preserve_fds(const ParsedArgs& args, std::string_view command);

}  // namespace hull::cli
