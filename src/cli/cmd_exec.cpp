// exec: runc's flags in, core::exec_in_container out. As runc, every
// failure after the arguments parse exits 255 ("exec failed: ..."), so a
// caller can tell it from the process's own status.
#include "cli/commands.hpp"
#include "core/exec.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::cli {
namespace {

constexpr int kExecFailed = 255;

std::optional<bool> optional_flag(const ParsedArgs& args, std::string_view name) {
    if (!args.has(name)) return std::nullopt;
    return args.flag(name);
}

core::ExecOptions exec_options(const ParsedArgs& args) {
    const auto& positionals = args.positionals();
    bool from_file = args.has("process");
    if (positionals.empty() || (!from_file && positionals.size() < 2)) {
        throw_error("exec: expected a container id and a command (or --process FILE)");
    }
    core::ExecOptions o;
    o.id = positionals[0];
    auto& r = o.request;
    r.process_file = args.get("process");
    r.args.assign(positionals.begin() + 1, positionals.end());
    r.cwd = args.get("cwd");
    r.env = args.all("env");
    r.user = args.get("user");
    r.additional_gids = args.all("additional-gids");
    r.caps = args.all("cap");
    r.apparmor = args.get("apparmor");
    r.process_label = args.get("process-label");
    r.tty = optional_flag(args, "tty");
    r.no_new_privs = optional_flag(args, "no-new-privs");
    o.console_socket = args.get("console-socket");
    o.pid_file = args.get("pid-file");
    o.sub_cgroups = args.all("cgroup");
    o.detach = args.flag("detach");
    o.ignore_paused = args.flag("ignore-paused");
    o.preserve_fds = preserve_fds(args, "exec");
    return o;
}

}  // namespace

int run_exec(const Context& ctx, const ParsedArgs& args) {
    core::ExecOptions options = exec_options(args);
    try {
        return core::exec_in_container(core::StateRoot(ctx.global.root), options, ctx.log);
    } catch (Error& e) {
        e.add_context("exec failed").set_exit_status(kExecFailed);
        throw;
    }
}

}  // namespace hull::cli
