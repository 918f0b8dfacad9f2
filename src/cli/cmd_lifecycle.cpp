// create, start, state, kill, delete: flags in, one call into core out.
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/container.hpp"
#include "util/signals.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::cli {
namespace {

// sd_notify(3)'s variable, read here so core takes it as a parameter.
std::string notify_socket() {
    const char* value = std::getenv("NOTIFY_SOCKET");
    return value != nullptr ? value : "";
}

}  // namespace

core::CreateOptions create_options(const Context& ctx, const ParsedArgs& args, std::string_view command) {
    expect_args(args, 1, command, "a container id");
    core::CreateOptions o;
    o.id = args.positionals()[0];
    o.bundle = args.get("bundle", ".");
    o.console_socket = args.get("console-socket");
    o.pid_file = args.get("pid-file");
    o.no_pivot = args.flag("no-pivot");
    o.no_new_keyring = args.flag("no-new-keyring");
    o.preserve_fds = preserve_fds(args, command);
    o.systemd_cgroup = ctx.global.systemd_cgroup;
    o.cgroups_disabled = ctx.global.cgroup_manager == "disabled";
    o.rootless = ctx.global.rootless == "true" || (ctx.global.rootless == "auto" && ::geteuid() != 0);
    o.notify_socket = notify_socket();
    return o;
}

int run_create(const Context& ctx, const ParsedArgs& args) {
    core::StateRoot root(ctx.global.root);
    core::create_container(root, create_options(ctx, args, "create"), ctx.log);
    return 0;
}

int run_start(const Context& ctx, const ParsedArgs& args) {
    expect_args(args, 1, "start", "a container id");
    core::start_container(core::StateRoot(ctx.global.root), args.positionals()[0], ctx.log, notify_socket());
    return 0;
}

int run_state(const Context& ctx, const ParsedArgs& args) {
    expect_args(args, 1, "state", "a container id");
    std::string json = core::container_state_json(core::StateRoot(ctx.global.root), args.positionals()[0]);
    fmt::print("{}\n", json);
    return 0;
}

int run_kill(const Context& ctx, const ParsedArgs& args) {
    const auto& pos = args.positionals();
    if (pos.empty() || pos.size() > 2) {
        throw_error("kill: expected a container id and an optional signal, got {} arguments", pos.size());
    }
    int signal = pos.size() == 2 ? util::parse_signal(pos[1]) : 15;
    core::kill_container(core::StateRoot(ctx.global.root), pos[0], signal, args.flag("all"));
    return 0;
}

int run_delete(const Context& ctx, const ParsedArgs& args) {
    expect_args(args, 1, "delete", "a container id");
    core::delete_container(core::StateRoot(ctx.global.root), args.positionals()[0], args.flag("force"), ctx.log);
    return 0;
}

}  // namespace hull::cli
