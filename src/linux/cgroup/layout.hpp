// The host's cgroup layout, read from /proc/self/mountinfo and
// /proc/self/cgroup: legacy (v1 only), hybrid (v1 controllers plus a v2
// hierarchy, e.g. /sys/fs/cgroup/unified) or unified (v2 only).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hull::sys::cgroup {

enum class Layout { legacy, hybrid, unified };

struct Hierarchy {
    std::string name;                      // "cpu,cpuacct", "name=systemd"; "" for v2
    std::string mount_point;               // /sys/fs/cgroup/cpu,cpuacct
    std::vector<std::string> controllers;  // v1: from the mount options; v2: cgroup.controllers
    std::string own_path;                  // this process's cgroup in the hierarchy, "/..."
    bool v2 = false;
};

struct HostCgroups {
    Layout layout = Layout::legacy;
    std::vector<Hierarchy> hierarchies;  // v1 ones first, the v2 one (if any) last

    // The v1 hierarchy that has this controller ("memory", "name=systemd").
    const Hierarchy* v1_with(std::string_view controller) const;
    const Hierarchy* v2() const;
    // Whether any hierarchy (v1 mount, or v2's cgroup.controllers) offers it.
    bool has_controller(std::string_view controller) const;
};

// Pure: from the text of /proc/self/mountinfo and /proc/self/cgroup. v2
// controllers are left empty (the caller reads cgroup.controllers).
HostCgroups parse_host_cgroups(std::string_view mountinfo, std::string_view proc_cgroup);
// This host, for this process.
HostCgroups detect_host_cgroups();

}  // namespace hull::sys::cgroup
