// Processes by pidfd, so a signal never reaches a process that merely
// reused a container's pid.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "util/unique_fd.hpp"

namespace hull::sys {

class Pidfd {
public:
    // nullopt when the process does not exist (ESRCH).
    static std::optional<Pidfd> open(pid_t pid);
    explicit Pidfd(UniqueFd fd, pid_t pid = -1) : fd_(std::move(fd)), pid_(pid) {}

    int fd() const noexcept { return fd_.get(); }
    pid_t pid() const noexcept { return pid_; }
    // pidfd_send_signal(2); throws for anything but success, ESRCH (the
    // process has been reaped) included. A zombie accepts signals.
    void send_signal(int signal) const;
    // Waits until the process exits (the pidfd polls readable); false on
    // timeout. A negative timeout waits forever.
    bool wait_exit(int timeout_ms) const;

private:
    UniqueFd fd_;
    pid_t pid_;
};

// Field 22 (starttime, clock ticks since boot) of a /proc/PID/stat line;
// nullopt if the line is malformed. Exposed for tests.
std::optional<std::uint64_t> parse_stat_start_time(std::string_view stat_line);
// Field 22 of /proc/PID/stat; nullopt if the process is gone.
std::optional<std::uint64_t> process_start_time(pid_t pid);
// The process exists, is not a zombie, and started at start_time.
bool process_alive(pid_t pid, std::uint64_t start_time);

}  // namespace hull::sys
