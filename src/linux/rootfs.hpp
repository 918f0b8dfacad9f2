// The container's filesystem view, built in the child inside its new mount
// namespace (config.md "Root", "Mounts"; config-linux.md "Devices",
// "Masked Paths", "Readonly Paths", "Rootfs Mount Propagation").
//
// Every destination is resolved inside the rootfs with openat2
// (RESOLVE_IN_ROOT) and mounted on /proc/self/fd/N of the resolved fd, so a
// symlink in the rootfs never makes a mount land on the host.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "linux/bind_sources.hpp"
#include "linux/cgroup/container_view.hpp"
#include "linux/mount_tree.hpp"
#include "oci/runtime/spec.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys {

struct RootfsContext {
    std::string rootfs;       // absolute host path of root.path
    bool in_user_namespace;   // mknod is not allowed: bind devices from the host
    cgroup::ContainerView cgroups;  // what a "cgroup" mount shows
    // Trees the host prepared (mount_tree.hpp): idmapped binds in place of
    // their spec mounts, and hull's own extra mounts after the spec's.
    std::span<const DetachedMount> detached = {};
    // Bind sources the host opened in this mount namespace (bind_sources.hpp),
    // mounted from instead of their paths.
    std::span<const BindSource> bind_sources = {};
};

// What prepare_rootfs leaves for finish_rootfs: read-only tmpfs mounts
// that stay writable until the rootfs is complete.
struct PreparedRootfs {
    std::vector<UniqueFd> readonly_later;
};

// Before pivot_root: propagation, the rootfs bind, every mount, /dev, devices.
// Only in a mount namespace of the container's own.
PreparedRootfs prepare_rootfs(const oci::Spec& spec, const RootfsContext& ctx);
// Sysctls, then masked and read-only paths, resolved inside the rootfs
// (still before pivot).
void apply_path_protections(const oci::Spec& spec, const RootfsContext& ctx);
// How the init makes the rootfs its root: pivot_root in its own mount
// namespace; with --no-pivot, MS_MOVE onto / and chroot, once every host
// procfs and sysfs mount is hidden; without a mount namespace of its own
// (the caller's is shared), chroot alone, so nothing is mounted there.
enum class RootEntry { pivot_root, move_and_chroot, chroot_only };
void enter_rootfs(const std::string& rootfs, RootEntry how);
// After pivot: shared or unbindable rootfsPropagation on "/", the deferred
// read-only tmpfs mounts, root.readonly.
void finish_rootfs(const oci::Spec& spec, PreparedRootfs& prepared);

}  // namespace hull::sys
