// A child process this one started and is the parent of: it owns the
// duty to reap it. Unless waited for or released, it is killed (SIGKILL)
// and reaped when the object goes, so a step that throws between fork and
// wait (a hook's handling, a failed create) never leaves a process or a
// zombie behind.
#pragma once

#include <sys/types.h>

#include "util/unique_fd.hpp"

namespace hull::sys {

class ChildProcess {
public:
    ChildProcess() = default;
    // pidfd may be invalid (a child made by plain fork); signals then go by pid,
    // which is safe while the child is unreaped: its pid cannot be reused.
    ChildProcess(pid_t pid, UniqueFd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess() { kill_and_reap(); }

    pid_t pid() const noexcept { return pid_; }
    int pidfd() const noexcept { return pidfd_.get(); }
    explicit operator bool() const noexcept { return pid_ > 0; }

    // Waits for the exit (EINTR retried) and returns waitpid's status; the
    // child is reaped and this object empty afterwards.
    int wait();
    // SIGKILL, then wait; nothing for an empty object.
    void kill_and_reap() noexcept;
    // Gives the duty away (a container's init outlives the create that made
    // it); returns the pidfd, which stays valid for whoever takes it.
    UniqueFd release() noexcept;

private:
    pid_t pid_ = -1;
    UniqueFd pidfd_;
};

}  // namespace hull::sys
