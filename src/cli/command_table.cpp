#include "cli/command.hpp"

#include <array>

#include "cli/commands.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::cli {
namespace {

constexpr std::array kCommands = {
    Command{"checkpoint", "checkpoint a running container", "CONTAINER", {}},
    Command{"create", "create a container", "CONTAINER", kCreateFlags, Interspersed::allowed, run_create},
    Command{"delete", "delete any resources held by the container", "CONTAINER", kDeleteFlags, Interspersed::allowed,
            run_delete},
    Command{"events", "display container events such as OOM notifications, cpu, memory and IO usage statistics",
            "CONTAINER", kEventsFlags, Interspersed::allowed, run_events},
    Command{"exec", "execute new process inside the container", "CONTAINER COMMAND [ARGS...]", kExecFlags,
            Interspersed::stop_at_first_positional, run_exec},
    Command{"features", "show the enabled features", "", kFeaturesFlags, Interspersed::allowed, run_features},
    Command{"kill", "kill sends the specified signal (default: SIGTERM) to the container's init process",
            "CONTAINER [SIGNAL]", kKillFlags, Interspersed::allowed, run_kill},
    Command{"list", "lists containers started by hull with the given root", "", kListFlags, Interspersed::allowed,
            run_list},
    Command{"pause", "pause suspends all processes inside the container", "CONTAINER", kPauseFlags,
            Interspersed::allowed, run_pause},
    Command{"ps", "ps displays the processes running inside a container", "CONTAINER [ps options]", kPsFlags,
            Interspersed::stop_at_first_positional, run_ps},
    Command{"restore", "restore a container from a previous checkpoint", "CONTAINER", {}},
    Command{"resume", "resumes all processes that have been previously paused", "CONTAINER", kPauseFlags,
            Interspersed::allowed, run_resume},
    Command{"run", "create and run a container", "CONTAINER", kRunFlags, Interspersed::allowed, run_run},
    Command{"spec", "create a new specification file", "", kSpecFlags, Interspersed::allowed, run_spec},
    Command{"start", "executes the user defined process in a created container", "CONTAINER", kStartFlags,
            Interspersed::allowed, run_start},
    Command{"state", "output the state of a container", "CONTAINER", kStateFlags, Interspersed::allowed, run_state},
    Command{"update", "update container resource constraints", "CONTAINER", kUpdateFlags, Interspersed::allowed,
            run_update},
};

}  // namespace

std::span<const Command> all_commands() { return kCommands; }

const Command* find_command(std::string_view name) {
    for (const auto& command : kCommands) {
        if (command.name == name) return &command;
    }
    return nullptr;
}

void expect_args(const ParsedArgs& args, std::size_t count, std::string_view command, std::string_view what) {
    if (args.positionals().size() != count) {
        throw_error("{}: expected {} argument{} ({}), got {}", command, count, count == 1 ? "" : "s", what,
                    args.positionals().size());
    }
}

int preserve_fds(const ParsedArgs& args, std::string_view command) {
    std::string fds = args.get("preserve-fds", "0");
    auto n = util::parse_u64(fds);
    if (!n || *n > 65536) throw_error("{}: --preserve-fds: expected a number of fds, got {}", command, util::quote(fds));
    return static_cast<int>(*n);
}

}  // namespace hull::cli
