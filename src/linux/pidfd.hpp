// Processes by pidfd, so a signal never reaches a process that merely
// reused a container's pid.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "util/unique_fd.hpp"

namespace hull::sys {

class Pidfd {
public:
    // nullopt when the process does not exist (ESRCH).
    static std::optional<Pidfd> open(pid_t pid);
    explicit Pidfd(UniqueFd fd) : fd_(std::move(fd)) {}

    int fd() const noexcept { return fd_.get(); }
    // Throws for anything but success; ESRCH (already gone) included.
    void send_signal(int signal) const;
    // Waits until the process exits; false on timeout.
    bool wait_exit(int timeout_ms) const;

private:
    UniqueFd fd_;
};

// Field 22 of /proc/PID/stat (clock ticks since boot); nullopt if gone.
std::optional<std::uint64_t> process_start_time(pid_t pid);
// The process exists, is not a zombie, and started at start_time.
bool process_alive(pid_t pid, std::uint64_t start_time);

}  // namespace hull::sys
