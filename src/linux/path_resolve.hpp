// Paths inside a container's rootfs, resolved by the kernel with openat2
// (RESOLVE_IN_ROOT): "..", absolute symlinks and symlinks climbing out all
// stay inside the root, so a rootfs cannot aim a mount at the host
// (CVE-2021-30465 was a mount target swapped for a symlink mid-walk).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "util/unique_fd.hpp"

namespace hull::sys {

// openat2(root_fd, path, flags | O_CLOEXEC, RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS). Throws `resolve "/a/b" in rootfs: <errno>`.
UniqueFd open_in_root(int root_fd, std::string_view path, int flags);
// Creates every missing directory of path, one component at a time, each
// resolved inside the root; returns an O_PATH fd of the final directory.
// A dangling symlink on the way is followed by creating its target, inside
// the root (as runc does); a symlink loop fails with ELOOP.
UniqueFd mkdir_all_in_root(int root_fd, std::string_view path, mode_t mode);
// For a file bind mount's target: the parents as above (0755), then the file
// (created empty with O_EXCL|O_NOFOLLOW if missing; a dangling symlink's
// target is created instead, inside the root); returns an O_PATH fd.
UniqueFd create_file_in_root(int root_fd, std::string_view path, mode_t mode);
// openat2(dir_fd, path, flags | O_CLOEXEC, RESOLVE_BENEATH | RESOLVE_NO_XDEV
// | RESOLVE_NO_SYMLINKS): a file below dir_fd on the same mount, reached
// without a symlink. For procfs files the runtime writes: a mount over one
// (or over a directory on the way) fails with EXDEV instead of taking the
// write elsewhere (CVE-2025-52881).
UniqueFd open_beneath_same_mount(int dir_fd, std::string_view path, int flags);
// Throws unless fd is on a procfs (statfs(2) PROC_SUPER_MAGIC); what names it.
void require_procfs(int fd, std::string_view what);
// "/proc/self/fd/N": where mount(2) should aim to hit the resolved object.
std::string fd_path(int fd);

}  // namespace hull::sys
