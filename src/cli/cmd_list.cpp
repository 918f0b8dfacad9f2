// list: runc's table (ID PID STATUS BUNDLE CREATED OWNER) or JSON array.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/container.hpp"
#include "core/state_json.hpp"
#include "oci/json.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::cli {
namespace {

// Read from /etc/passwd directly: getpwuid would pull NSS modules into a
// static hull (and runc, in Go, reads the file too).
std::string owner_name(std::uint32_t uid) {
    try {
        std::string passwd = util::read_file("/etc/passwd", 4 << 20);
        for (const auto& line : util::split(passwd, '\n')) {
            auto fields = util::split(line, ':');
            if (fields.size() > 2 && util::parse_u64(fields[2]) == uid) return fields[0];
        }
    } catch (const Error&) {
    }
    return fmt::format("#{}", uid);
}

pid_t shown_pid(const core::ContainerSummary& c) {
    return c.status == core::Status::stopped ? 0 : c.record.init_pid;
}

std::string list_json(const std::vector<core::ContainerSummary>& containers) {
    oci::json::Writer w;
    w.begin_array();
    for (const auto& c : containers) {
        oci::write_state(w, core::to_oci_state(c.record, c.status, owner_name(c.record.owner)));
    }
    w.end_array();
    return w.str();
}

}  // namespace

int run_list(const Context& ctx, const ParsedArgs& args) {
    if (!args.positionals().empty()) throw_error("list: expected no arguments");
    std::string format = args.get("format", "table");
    if (format != "table" && format != "json") throw_error("list: invalid --format {}: expected table or json", format);
    auto containers = core::list_containers(core::StateRoot(ctx.global.root));
    if (args.flag("quiet")) {
        for (const auto& c : containers) fmt::print("{}\n", c.record.id);
        return 0;
    }
    if (format == "json") {
        fmt::print("{}\n", list_json(containers));
        return 0;
    }
    std::string out = fmt::format("{:<12}{:<10}{:<10}{:<40}{:<32}{}\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
    for (const auto& c : containers) {
        out += fmt::format("{:<12}{:<10}{:<10}{:<40}{:<32}{}\n", c.record.id, shown_pid(c), core::status_name(c.status),
                           c.record.bundle, c.record.created, owner_name(c.record.owner));
    }
    fmt::print("{}", out);
    return 0;
}

}  // namespace hull::cli
