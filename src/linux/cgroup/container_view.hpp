// The container's own view of its cgroups at the spec's "cgroup" mount
// (usually /sys/fs/cgroup), as runc builds it:
//  - unified host: cgroup2 mounted directly when the container has a
//    cgroup namespace (which roots it at the container's cgroup), else a
//    bind of the container's cgroup directory;
//  - v1 and hybrid hosts: a tmpfs with one directory per hierarchy, each a
//    cgroup mount (own namespace) or a bind of the container's directory,
//    symlinks for co-mounted controllers (cpu -> cpu,cpuacct), and
//    "unified" for the v2 hierarchy of a hybrid host.
// The host's other cgroups are never visible.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace hull::sys::cgroup {

struct ContainerView {
    std::map<std::string, std::string> paths;  // SavedCgroups::paths; empty = no cgroups of its own
    bool own_namespace = false;
};

// root_fd: the rootfs; destination: the mount's destination inside it,
// already created and resolved to target (a /proc/self/fd path). flags:
// the mount's MS_* flags (MS_RDONLY makes every part read-only).
// mount_label: linux.mountLabel for the v1 tmpfs (runc labels it), "" for none.
void mount_container_view(int root_fd, const std::string& destination, const std::string& target,
                          unsigned long flags, const ContainerView& view, std::string_view mount_label);

}  // namespace hull::sys::cgroup
