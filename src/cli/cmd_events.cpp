// events: runc's JSON lines, stats and oom (core/events.cpp).
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/container.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::cli {

int run_events(const Context& ctx, const ParsedArgs& args) {
    expect_args(args, 1, "events", "a container id");
    core::EventsOptions options;
    options.stats_only = args.flag("stats");
    std::string interval = args.get("interval", "5s");
    auto parsed = util::parse_duration(interval);
    if (!parsed || parsed->count() <= 0) {
        throw_error("events: --interval: expected a positive duration such as 5s or 500ms, got {}", util::quote(interval));
    }
    options.interval = std::chrono::duration_cast<std::chrono::milliseconds>(*parsed);
    if (options.interval.count() == 0) options.interval = std::chrono::milliseconds(1);
    core::watch_events(core::StateRoot(ctx.global.root), args.positionals()[0], options, [](const std::string& line) {
        // One line per event, flushed: consumers read it as a stream.
        fmt::print("{}\n", line);
        std::fflush(stdout);
    });
    return 0;
}

}  // namespace hull::cli
