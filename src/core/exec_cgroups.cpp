#include "core/exec_cgroups.hpp"

#include <algorithm>

#include "linux/cgroup/cgroup_path.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

// base joined with path as runc's path.Join does (lexically), refused when
// the result is not base or below it: a ".." that comes back stays allowed.
std::string join_below(const std::string& base, const std::string& path, const std::string& arg) {
    std::string joined = sys::cgroup::clean_rooted(base + "/" + path);
    if (joined != base && !joined.starts_with(base + "/")) {
        throw_error("--cgroup {}: {} is not a sub cgroup path of the container's cgroup", util::quote(arg),
                    util::quote(path));
    }
    return joined;
}

bool hierarchy_has(const std::string& hierarchy, const std::string& controller) {
    auto names = util::split(hierarchy, ',');
    return std::find(names.begin(), names.end(), controller) != names.end();
}

[[noreturn]] void malformed(const std::string& arg) {
    throw_error("--cgroup {}: expected [CONTROLLER[,CONTROLLER...]:]PATH", util::quote(arg));
}

// CONTROLLER[,CONTROLLER...]:PATH, for the v1 hierarchies with those controllers.
void add_for_controllers(std::map<std::string, std::string>& out, const std::map<std::string, std::string>& base,
                         const std::string& arg, std::size_t colon) {
    std::string path = arg.substr(colon + 1);
    if (path.find(':') != std::string::npos) malformed(arg);
    for (const auto& controller : util::split(arg.substr(0, colon), ',')) {
        if (controller.empty()) malformed(arg);
        auto it = std::find_if(base.begin(), base.end(),
                               [&](const auto& entry) { return hierarchy_has(entry.first, controller); });
        if (it == base.end()) {
            throw_error("--cgroup {}: the container has no cgroup v1 hierarchy with controller {}", util::quote(arg),
                        util::quote(controller));
        }
        std::string dir = join_below(it->second, path, arg);
        // Co-mounted controllers (cpu,cpuacct) share a directory.
        auto [entry, added] = out.emplace(it->first, dir);
        if (!added && entry->second != dir) {
            throw_error("--cgroup {}: hierarchy {} is given two paths", util::quote(arg), util::quote(it->first));
        }
    }
}

}  // namespace

std::map<std::string, std::string> exec_cgroup_dirs(const std::map<std::string, std::string>& container_dirs,
                                                     const std::vector<std::string>& args) {
    if (args.empty()) return container_dirs;
    if (container_dirs.empty()) throw_error("--cgroup: the container has no cgroups");
    std::map<std::string, std::string> chosen;
    for (const auto& arg : args) {
        auto colon = arg.find(':');
        if (colon != std::string::npos) {
            add_for_controllers(chosen, container_dirs, arg, colon);
            continue;
        }
        if (args.size() != 1) {
            throw_error("--cgroup {}: a path without CONTROLLER: is for every hierarchy and must be the only --cgroup",
                        util::quote(arg));
        }
        for (const auto& [hierarchy, dir] : container_dirs) chosen[hierarchy] = join_below(dir, arg, arg);
    }
    // The hierarchies no argument names: the container's own cgroup.
    chosen.insert(container_dirs.begin(), container_dirs.end());
    return chosen;
}

}  // namespace hull::core
