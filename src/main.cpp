// hull: global flags, dispatch to a command, and the one place errors are
// printed (stderr, plus one --log line, as runc does).
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "build_config.hpp"
#include "commit.hpp"
#include "cli/command.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace {

using hull::cli::FlagSpec;

constexpr std::array kGlobalFlags = {
    FlagSpec{"root", "", "DIR", "root directory for storage of container state (default: /run/hull)"},
    FlagSpec{"log", "", "FILE", "set the log file to write hull logs to (default: stderr)"},
    FlagSpec{"log-format", "", "FORMAT", "set the log format ('text' (default) or 'json')"},
    FlagSpec{"debug", "", "", "enable debug logging"},
    FlagSpec{"systemd-cgroup", "", "", "use the systemd cgroup driver (cgroupsPath as slice:prefix:name)"},
    FlagSpec{"rootless", "", "VALUE", "ignore cgroup permission errors ('true', 'false', or 'auto')"},
    FlagSpec{"cgroup-manager", "", "MANAGER", "cgroup manager: cgroupfs, systemd or disabled (podman)"},
    FlagSpec{"help", "h", "", "show help"},
    FlagSpec{"version", "v", "", "print the version"},
};

constexpr std::string_view kSpecVersion = "1.3.0";

void print_version() {
    fmt::print("hull version {}\ncommit: {}\nspec: {}\n", HULL_VERSION, HULL_COMMIT, kSpecVersion);
}

void print_main_help() {
    std::string text = fmt::format(
        "hull - a runc-compatible OCI container runtime\n\n"
        "USAGE:\n   hull [global options] command [command options] [arguments...]\n\n"
        "VERSION:\n   {} (spec {})\n\nCOMMANDS:\n",
        HULL_VERSION, kSpecVersion);
    for (const auto& command : hull::cli::all_commands()) {
        text += fmt::format("   {:<12} {}{}\n", command.name, command.summary,
                            command.run == nullptr ? " (not implemented yet)" : "");
    }
    text += "   help         show a list of commands or one command's help\n\nGLOBAL OPTIONS:\n";
    text += hull::cli::format_flags_help(kGlobalFlags);
    std::fputs(text.c_str(), stdout);
}

void print_command_help(const hull::cli::Command& command) {
    std::string text = fmt::format("NAME:\n   hull {} - {}\n\nUSAGE:\n   hull {} [command options] {}\n", command.name,
                                   command.summary, command.name, command.usage);
    if (!command.flags.empty()) text += "\nOPTIONS:\n" + hull::cli::format_flags_help(command.flags);
    std::fputs(text.c_str(), stdout);
}

hull::util::LogFormat parse_log_format(const std::string& value) {
    if (value == "text") return hull::util::LogFormat::text;
    if (value == "json") return hull::util::LogFormat::json;
    hull::throw_error("invalid --log-format {}: expected text or json", value);
}

hull::cli::GlobalOptions global_options(const hull::cli::ParsedArgs& flags) {
    hull::cli::GlobalOptions g;
    g.root = flags.get("root", g.root);
    if (g.root.empty()) hull::throw_error("--root: expected a directory, got an empty string");
    g.log_path = flags.get("log");
    g.log_format = parse_log_format(flags.get("log-format", "text"));
    g.debug = flags.flag("debug");
    g.systemd_cgroup = flags.flag("systemd-cgroup");
    g.rootless = flags.get("rootless", "auto");
    if (g.rootless != "true" && g.rootless != "false" && g.rootless != "auto") {
        hull::throw_error("invalid --rootless value {}: expected true, false or auto", g.rootless);
    }
    g.cgroup_manager = flags.get("cgroup-manager");
    if (!g.cgroup_manager.empty() && g.cgroup_manager != "cgroupfs" && g.cgroup_manager != "systemd" &&
        g.cgroup_manager != "disabled") {
        hull::throw_error("invalid --cgroup-manager {}: expected cgroupfs, systemd or disabled", g.cgroup_manager);
    }
    if (g.cgroup_manager == "systemd") g.systemd_cgroup = true;
    return g;
}

// Runs the command line; returns the exit status. Errors before the logger
// exists go to stderr only.
int dispatch(const std::vector<std::string>& argv, hull::util::Logger& log) {
    using namespace hull::cli;
    ParsedArgs global = parse_args(kGlobalFlags, argv, Interspersed::stop_at_first_positional, "");
    GlobalOptions options = global_options(global);
    log = hull::util::Logger::open(options.log_path, options.log_format, options.debug);
    if (global.flag("version")) {
        print_version();
        return 0;
    }
    const auto& rest = global.positionals();
    if (global.flag("help") || rest.empty() || rest[0] == "help") {
        const Command* command = rest.size() > 1 ? find_command(rest[1]) : nullptr;
        if (command != nullptr) {
            print_command_help(*command);
        } else {
            print_main_help();
        }
        return rest.empty() && !global.flag("help") ? 1 : 0;
    }
    const Command* command = find_command(rest[0]);
    if (command == nullptr) hull::throw_error("unknown command {}: see 'hull --help'", rest[0]);
    std::vector<std::string> command_args(rest.begin() + 1, rest.end());
    if (!command_args.empty() && (command_args[0] == "--help" || command_args[0] == "-h")) {
        print_command_help(*command);
        return 0;
    }
    if (command->run == nullptr) hull::throw_error("{}: not implemented yet", command->name);
    ParsedArgs args = parse_args(command->flags, command_args, command->mode, command->name);
    log.debug("command {} with {} argument(s)", command->name, args.positionals().size());
    return command->run(Context{options, log}, args);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    hull::util::Logger log;
    try {
        return dispatch(args, log);
    } catch (const hull::Error& e) {
        if (log.to_file()) log.error(e.what());
        std::fprintf(stderr, "hull: %s\n", e.what());
        return e.exit_status();
    } catch (const std::exception& e) {
        if (log.to_file()) log.error(e.what());
        std::fprintf(stderr, "hull: internal error: %s\n", e.what());
    }
    return 1;
}
