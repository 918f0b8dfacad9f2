// run: create + start + wait (+ delete), runc's flags.
#include "cli/commands.hpp"
#include "core/run.hpp"

namespace hull::cli {

core::CreateOptions create_options(const Context& ctx, const ParsedArgs& args, std::string_view command);

int run_run(const Context& ctx, const ParsedArgs& args) {
    core::RunOptions options;
    options.create = create_options(ctx, args, "run");
    options.detach = args.flag("detach");
    options.keep = args.flag("keep");
    return core::run_container(core::StateRoot(ctx.global.root), std::move(options), ctx.log);
}

}  // namespace hull::cli
