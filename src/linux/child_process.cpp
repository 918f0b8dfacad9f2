#include "linux/child_process.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "util/error.hpp"

namespace hull::sys {

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), pidfd_(std::move(other.pidfd_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        kill_and_reap();
        pid_ = std::exchange(other.pid_, -1);
        pidfd_ = std::move(other.pidfd_);
    }
    return *this;
}

int ChildProcess::wait() {
    if (pid_ <= 0) throw_error("wait for a child process: there is none");
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
        if (errno != EINTR) throw_errno(errno, "wait for process {}", pid_);
    }
    pid_ = -1;
    pidfd_.reset();
    return status;
}

void ChildProcess::kill_and_reap() noexcept {
    if (pid_ <= 0) return;
    if (pidfd_.valid()) {
        ::syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
    } else {
        ::kill(pid_, SIGKILL);
    }
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    pidfd_.reset();
}

UniqueFd ChildProcess::release() noexcept {
    pid_ = -1;
    return std::move(pidfd_);
}

}  // namespace hull::sys
