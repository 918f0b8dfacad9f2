// Detached mount trees (open_tree(2) OPEN_TREE_CLONE, mount_setattr(2),
// move_mount(2)). The host makes them before the container init is cloned,
// with the host's privileges: an idmapped mount needs CAP_SYS_ADMIN where
// the filesystem was mounted, which a process in a new user namespace never
// has, and a source the container's root could not reach by path (a 0700
// state directory) is opened by the host. The init inherits the fds and
// attaches each tree inside its own mount namespace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/unique_fd.hpp"

namespace hull::sys {

// A tree the host prepared for the container: replaces the mount
// spec.mounts[spec_index], or with kExtraMount is one hull adds itself
// (attached after the spec's mounts, as runc appends its own).
struct DetachedMount {
    static constexpr std::size_t kExtraMount = static_cast<std::size_t>(-1);
    std::size_t spec_index = kExtraMount;
    std::string destination;
    UniqueFd tree;
};

// A copy of the mount at `source` (with the mounts below it if recursive),
// attached nowhere, close-on-exec.
UniqueFd clone_mount_tree(const std::string& source, bool recursive);
// Gives a bind mount its per-mount flags (MS_RDONLY, MS_NOSUID, ...): a bind
// takes none of them, a remount does (mount(2) "MS_REMOUNT | MS_BIND").
// mounted_fd must be the new mount's root, opened after the bind: the fd
// the bind was made on lies beneath it. In a user namespace the flags the
// source mount had are locked (mount_namespaces(7)); a remount that would
// clear them fails with EPERM and is retried keeping them, as runc does.
void remount_bind(int mounted_fd, unsigned long flags);
// mount_setattr(2) on a detached tree: MOUNT_ATTR_* to set and clear.
void set_tree_attributes(int tree_fd, std::uint64_t set, std::uint64_t clear, bool recursive);
// MOUNT_ATTR_IDMAP: ids on the filesystem are shown through userns_fd's
// mapping (on-disk id N appears as the host id the namespace maps N to).
void idmap_mount_tree(int tree_fd, int userns_fd, bool recursive);
// Attaches a detached tree on target_fd (an O_PATH fd, resolved inside the
// rootfs by the caller).
void attach_mount_tree(int tree_fd, int target_fd);
// Whether the kernel has mount_setattr(2) (5.12), and so idmapped mounts;
// each filesystem still decides for itself (tmpfs since 6.3).
bool idmapped_mounts_supported();
// A user namespace with these uid_map/gid_map lines ("0 1000 1\n"), held
// only by the returned fd: the short-lived process that created it is gone.
UniqueFd make_user_namespace(std::string_view uid_map, std::string_view gid_map);

}  // namespace hull::sys
