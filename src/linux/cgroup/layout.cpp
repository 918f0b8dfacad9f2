#include "linux/cgroup/layout.hpp"

#include <algorithm>

#include "linux/mountinfo.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

// v1 superblock options name the controllers among generic ones (rw, ...).
std::vector<std::string> v1_controllers(const std::string& super_options) {
    static constexpr std::string_view generic[] = {"rw", "ro", "relatime", "noatime", "nosuid", "nodev",
                                                   "noexec", "clone_children", "noprefix", "xattr"};
    std::vector<std::string> out;
    for (auto& opt : util::split(super_options, ',')) {
        if (opt.starts_with("release_agent=")) continue;
        if (std::find(std::begin(generic), std::end(generic), opt) != std::end(generic)) continue;
        out.push_back(opt);
    }
    return out;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
}

// /proc/self/cgroup: "ID:controllers:path", "0::path" for v2.
std::string own_path(std::string_view proc_cgroup, const Hierarchy& h) {
    for (auto& line : util::split(proc_cgroup, '\n')) {
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        std::string controllers = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        if (h.v2 ? (line.substr(0, first) == "0" && controllers.empty()) : controllers == h.name) return path;
    }
    return "/";
}

}  // namespace

const Hierarchy* HostCgroups::v1_with(std::string_view controller) const {
    for (const auto& h : hierarchies) {
        if (!h.v2 && std::find(h.controllers.begin(), h.controllers.end(), controller) != h.controllers.end()) {
            return &h;
        }
    }
    return nullptr;
}

const Hierarchy* HostCgroups::v2() const {
    for (const auto& h : hierarchies) {
        if (h.v2) return &h;
    }
    return nullptr;
}

bool HostCgroups::has_controller(std::string_view controller) const {
    if (v1_with(controller) != nullptr) return true;
    const Hierarchy* unified = v2();
    return unified != nullptr &&
           std::find(unified->controllers.begin(), unified->controllers.end(), controller) != unified->controllers.end();
}

HostCgroups parse_host_cgroups(std::string_view mountinfo, std::string_view proc_cgroup) {
    HostCgroups host;
    std::optional<Hierarchy> unified;
    for (const auto& mount : parse_mountinfo(mountinfo)) {
        if (mount.fs_type == "cgroup") {
            Hierarchy h{"", mount.mount_point, v1_controllers(mount.super_options), "", false};
            h.name = join(h.controllers);
            // A hierarchy mounted twice (bind mounts) counts once.
            bool seen = std::any_of(host.hierarchies.begin(), host.hierarchies.end(),
                                    [&](const Hierarchy& o) { return o.name == h.name; });
            if (!seen && !h.controllers.empty()) host.hierarchies.push_back(std::move(h));
        } else if (mount.fs_type == "cgroup2" && !unified) {
            unified = Hierarchy{"", mount.mount_point, {}, "", true};
        }
    }
    bool has_v1 = !host.hierarchies.empty();
    if (unified) host.hierarchies.push_back(std::move(*unified));
    for (auto& h : host.hierarchies) h.own_path = own_path(proc_cgroup, h);
    host.layout = !has_v1 ? Layout::unified : unified ? Layout::hybrid : Layout::legacy;
    return host;
}

HostCgroups detect_host_cgroups() {
    HostCgroups host = parse_host_cgroups(util::read_file("/proc/self/mountinfo", 4 << 20),
                                          util::read_file("/proc/self/cgroup", 1 << 20));
    if (host.hierarchies.empty()) throw_error("no cgroup filesystem is mounted (see /proc/self/mountinfo)");
    for (auto& h : host.hierarchies) {
        if (!h.v2) continue;
        try {
            std::string text = util::read_file(h.mount_point + "/cgroup.controllers", 4096);
            for (auto& c : util::split(text, ' ')) {
                while (!c.empty() && (c.back() == '\n')) c.pop_back();
                if (!c.empty()) h.controllers.push_back(c);
            }
        } catch (const Error&) {
            // An old v2 mount without cgroup.controllers offers nothing.
        }
    }
    return host;
}

}  // namespace hull::sys::cgroup
