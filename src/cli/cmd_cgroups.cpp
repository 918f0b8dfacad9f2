// pause, resume, update and ps: the commands that act on a container's cgroups.
#include <unistd.h>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/update_flags.hpp"
#include "core/container.hpp"
#include "core/ps_table.hpp"
#include "oci/json.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::cli {
namespace {

oci::Resources read_resources(const std::string& path) {
    std::string text = path == "-" ? util::read_fd(STDIN_FILENO, 4 << 20, "stdin")
                                   : util::read_file(path, 4 << 20);
    std::string name = path == "-" ? "--resources -" : "--resources " + path;
    return with_context(name, [&] {
        oci::json::Value doc = oci::json::parse(text);
        return oci::parse_resources(oci::json::Reader(doc, ""));
    });
}

}  // namespace

int run_pause(const Context& ctx, const ParsedArgs& args) {
    expect_args(args, 1, "pause", "a container id");
    core::pause_container(core::StateRoot(ctx.global.root), args.positionals()[0]);
    return 0;
}

int run_resume(const Context& ctx, const ParsedArgs& args) {
    expect_args(args, 1, "resume", "a container id");
    core::resume_container(core::StateRoot(ctx.global.root), args.positionals()[0]);
    return 0;
}

int run_update(const Context& ctx, const ParsedArgs& args) {
    expect_args(args, 1, "update", "a container id");
    oci::Resources changes = args.has("resources") ? read_resources(args.get("resources")) : oci::Resources{};
    apply_update_flags(args, changes);
    core::update_container(core::StateRoot(ctx.global.root), args.positionals()[0], changes);
    return 0;
}

int run_ps(const Context& ctx, const ParsedArgs& args) {
    const auto& pos = args.positionals();
    if (pos.empty()) throw_error("ps: expected a container id");
    std::string format = args.get("format", "table");
    if (format != "table" && format != "json") throw_error("ps: invalid --format {}: expected table or json", format);
    auto pids = core::container_pids(core::StateRoot(ctx.global.root), pos[0]);
    if (format == "json") {
        // containerd parses a JSON array of host pids (docs/engines.md "The calls").
        oci::json::Writer w;
        w.begin_array();
        for (pid_t pid : pids) w.integer(pid);
        w.end_array();
        fmt::print("{}\n", w.str());
        return 0;
    }
    fmt::print("{}", core::ps_table(pids, std::vector<std::string>(pos.begin() + 1, pos.end())));
    return 0;
}

}  // namespace hull::cli
