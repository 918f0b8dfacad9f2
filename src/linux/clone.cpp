#include "linux/clone.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
    // With CLONE_PARENT the child signals the caller's parent as the caller
    // would, and clone3 refuses an exit_signal of its own (EINVAL).
    args.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
    args.cgroup = cgroup_fd >= 0 ? static_cast<std::uint64_t>(cgroup_fd) : 0;
    return static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
}

pid_t clone_fork(std::uint64_t flags, int* pidfd) {
    // Raw clone with a null stack behaves as fork in the child.
    return static_cast<pid_t>(
        ::syscall(SYS_clone, static_cast<unsigned long>(flags | CLONE_PIDFD | SIGCHLD), nullptr, pidfd, nullptr, 0));
}

// What the user namespace helper tells its parent: the child's pid, or the
// errno of the step that failed.
struct HelperReport {
    enum Step : std::int32_t { join_user, clone };
    std::int32_t pid = 0;
    std::int32_t err = 0;
    std::int32_t step = join_user;
};

// The child inherits the report pipe's write end; it goes with the other
// inherited fds the init closes, and the parent reads a fixed size, not EOF.
HelperReport join_user_and_clone(int userns_fd, std::uint64_t flags, int cgroup_fd,
                                 const std::function<int()>& child) {
    if (::setns(userns_fd, CLONE_NEWUSER) < 0) return {0, errno, HelperReport::join_user};
    int pidfd = -1;  // the helper's; the parent opens its own
    pid_t pid = clone3_fork(flags | CLONE_PARENT, cgroup_fd, &pidfd);
    if (pid < 0 && errno == ENOSYS && cgroup_fd < 0) pid = clone_fork(flags | CLONE_PARENT, &pidfd);
    if (pid == 0) run_child(child);
    if (pid < 0) return {0, errno, HelperReport::clone};
    return {pid, 0, HelperReport::clone};
}

HelperReport read_report(int fd) {
    HelperReport report;
    ssize_t n;
    while ((n = ::read(fd, &report, sizeof report)) < 0 && errno == EINTR) {
    }
    if (n != static_cast<ssize_t>(sizeof report)) throw_error("the user namespace helper exited without a report");
    return report;
}

}  // namespace

ChildProcess clone_child_in_user_namespace(int userns_fd, std::uint64_t namespace_flags, int cgroup_fd,
                                            const std::function<int()>& child) {
    int fds[2];
    check(::pipe2(fds, O_CLOEXEC), "pipe for the user namespace helper");
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    ChildProcess helper = clone_child(0, -1, [&] {
        read_end.reset();
        HelperReport report = join_user_and_clone(userns_fd, namespace_flags, cgroup_fd, child);
        [[maybe_unused]] ssize_t n = ::write(write_end.get(), &report, sizeof report);
        return 0;
    });
    write_end.reset();
    HelperReport report = read_report(read_end.get());  // on a throw, helper's destructor reaps it
    helper.wait();
    if (report.err != 0 && report.step == HelperReport::join_user) throw_errno(report.err, "join the user namespace");
    if (report.err != 0) {
        throw_errno(report.err, "clone the container init in the joined user namespace (namespace flags {:#x})",
                    namespace_flags);
    }
    // The child is ours (CLONE_PARENT) and unreaped: its pid cannot be reused meanwhile.
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, report.pid, 0));
    if (pidfd < 0) throw_errno(errno, "pidfd_open the container init {}", report.pid);
    return ChildProcess(report.pid, UniqueFd(pidfd));
}

ChildProcess clone_child(std::uint64_t namespace_flags, int cgroup_fd, const std::function<int()>& child) {
    int pidfd = -1;
    pid_t pid = clone3_fork(namespace_flags, cgroup_fd, &pidfd);
    if (pid < 0 && errno == ENOSYS && cgroup_fd < 0) pid = clone_fork(namespace_flags, &pidfd);
    if (pid < 0) throw_errno(errno, "clone the container init (namespace flags {:#x})", namespace_flags);
    if (pid == 0) run_child(child);
    return ChildProcess(pid, UniqueFd(pidfd));
}

}  // namespace hull::sys
