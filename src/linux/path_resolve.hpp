// Paths inside a container's rootfs, resolved by the kernel with openat2
// (RESOLVE_IN_ROOT): "..", absolute symlinks and symlinks climbing out all
// stay inside the root, so a rootfs cannot aim a mount at the host.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "util/unique_fd.hpp"

namespace hull::sys {

// openat2(root_fd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS).
UniqueFd open_in_root(int root_fd, std::string_view path, int flags);
// Creates every missing directory of path, one component at a time, each
// resolved inside the root; returns an O_PATH fd of the final directory.
UniqueFd mkdir_all_in_root(int root_fd, std::string_view path, mode_t mode);
// For a file bind mount's target: the parents as above, then the file
// (created empty if missing); returns an O_PATH fd.
UniqueFd create_file_in_root(int root_fd, std::string_view path, mode_t mode);
// "/proc/self/fd/N": where mount(2) should aim to hit the resolved object.
std::string fd_path(int fd);

}  // namespace hull::sys
