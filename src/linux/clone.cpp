#include "linux/clone.hpp"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "util/error.hpp"

namespace hull::sys {
namespace {

[[noreturn]] void run_child(const std::function<int()>& child) {
    int status = 255;
    try {
        status = child();
    } catch (...) {
        // The child reports its own errors over the sync socket; anything
        // that escapes must still not unwind into the parent's frames.
    }
    ::_exit(status);
}

pid_t clone3_fork(std::uint64_t flags, int cgroup_fd, int* pidfd) {
    clone_args args{};
    args.flags = flags | CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0);
    args.pidfd = reinterpret_cast<std::uint64_t>(pidfd);
    args.exit_signal = SIGCHLD;
    args.cgroup = cgroup_fd >= 0 ? static_cast<std::uint64_t>(cgroup_fd) : 0;
    return static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
}

pid_t clone_fork(std::uint64_t flags, int* pidfd) {
    // Raw clone with a null stack behaves as fork in the child.
    return static_cast<pid_t>(
        ::syscall(SYS_clone, static_cast<unsigned long>(flags | CLONE_PIDFD | SIGCHLD), nullptr, pidfd, nullptr, 0));
}

}  // namespace

ClonedProcess clone_child(std::uint64_t namespace_flags, int cgroup_fd, const std::function<int()>& child) {
    int pidfd = -1;
    pid_t pid = clone3_fork(namespace_flags, cgroup_fd, &pidfd);
    if (pid < 0 && errno == ENOSYS && cgroup_fd < 0) pid = clone_fork(namespace_flags, &pidfd);
    if (pid < 0) throw_errno(errno, "clone the container init (namespace flags {:#x})", namespace_flags);
    if (pid == 0) run_child(child);
    return ClonedProcess{pid, UniqueFd(pidfd)};
}

}  // namespace hull::sys
