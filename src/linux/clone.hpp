// Starting the container init: clone3 with the namespace flags and
// CLONE_PIDFD (and CLONE_INTO_CGROUP when given a cgroup v2 fd), falling back
// to clone(2) on kernels without clone3.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>

#include "util/unique_fd.hpp"

namespace hull::sys {

struct ClonedProcess {
    pid_t pid = -1;
    UniqueFd pidfd;
};

// Runs child in a new process (a copy of this one, as fork) and returns its
// pid and pidfd in the parent. The child never returns into the caller's
// frames: child's return value (or 255 on any escaped exception) is its exit
// status via _exit.
ClonedProcess clone_child(std::uint64_t namespace_flags, int cgroup_fd, const std::function<int()>& child);

}  // namespace hull::sys
