// Starting the container init: clone3 with the namespace flags and
// CLONE_PIDFD (and CLONE_INTO_CGROUP when given a cgroup v2 fd), falling back
// to clone(2) on kernels without clone3.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>

#include "linux/child_process.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys {

// Runs child in a new process (a copy of this one, as fork) and returns its
// pid and pidfd in the parent. The child never returns into the caller's
// frames: child's return value (or 255 on any escaped exception) is its exit
// status via _exit.
ChildProcess clone_child(std::uint64_t namespace_flags, int cgroup_fd, const std::function<int()>& child);

// As clone_child, but the new namespaces belong to the user namespace
// userns_fd, which the child is in (runc's nsexec order: join the user
// namespace, then create the rest). A process cannot setns into a user
// namespace and keep the namespaces it was cloned with: they would stay the
// host's, and it would lose its privilege over them. So a short-lived helper
// joins the user namespace and clones the child with CLONE_PARENT: the child
// is still this process's own (waitpid, SIGCHLD, a pidfd without a race).
ChildProcess clone_child_in_user_namespace(int userns_fd, std::uint64_t namespace_flags, int cgroup_fd,
                                            const std::function<int()>& child);

}  // namespace hull::sys
