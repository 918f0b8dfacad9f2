#include "linux/pidfd.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

struct StatFields {
    char state;
    std::uint64_t start_time;
};

// proc(5) /proc/PID/stat: "pid (comm) S ppid ...". comm is chosen by the
// process (prctl PR_SET_NAME) and may hold spaces and ")", so the fields
// are counted from the last ')'.
std::optional<StatFields> parse_stat(std::string_view text) {
    auto close = text.rfind(')');
    if (close == std::string_view::npos || close + 2 >= text.size() || text[close + 1] != ' ') return std::nullopt;
    std::string_view rest = text.substr(close + 2);  // starts at field 3 (state)
    // Field 22 is 19 separators after field 3.
    std::size_t pos = 0;
    for (int field = 3; field < 22; ++field) {
        pos = rest.find(' ', pos);
        if (pos == std::string_view::npos) return std::nullopt;
        ++pos;
    }
    std::size_t end = rest.find_first_of(" \n", pos);
    auto start = util::parse_u64(rest.substr(pos, end == std::string_view::npos ? end : end - pos));
    if (!start || rest[0] == ' ') return std::nullopt;
    return StatFields{rest[0], *start};
}

std::optional<StatFields> read_stat(pid_t pid) {
    if (pid <= 0) return std::nullopt;
    std::string path = fmt::format("/proc/{}/stat", pid);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    // One read: the kernel generates the whole line at once; it is ~300
    // bytes with a 16-byte comm, so 4 KiB always holds it.
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd.get(), buf, sizeof buf)) < 0 && errno == EINTR) {
    }
    if (n <= 0) return std::nullopt;
    return parse_stat(std::string_view(buf, static_cast<std::size_t>(n)));
}

}  // namespace

std::optional<Pidfd> Pidfd::open(pid_t pid) {
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) {
        // EINVAL: the pid now names a thread, not a process: ours is gone.
        if (errno == ESRCH || errno == EINVAL) return std::nullopt;
        throw_errno(errno, "pidfd_open {}", pid);
    }
    return Pidfd(UniqueFd(fd), pid);
}

void Pidfd::send_signal(int signal) const {
    if (::syscall(SYS_pidfd_send_signal, fd_.get(), signal, nullptr, 0) < 0) {
        throw_errno(errno, "send signal {} to pid {}", signal, pid_);
    }
}

bool Pidfd::wait_exit(int timeout_ms) const {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    pollfd p{fd_.get(), POLLIN, 0};
    while (true) {
        int wait_ms = timeout_ms;
        if (timeout_ms >= 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            wait_ms = static_cast<int>(std::max<decltype(left)>(left, 0));
        }
        int n = ::poll(&p, 1, wait_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(errno, "wait for pid {} to exit", pid_);
        return n > 0;
    }
}

std::optional<std::uint64_t> parse_stat_start_time(std::string_view stat_line) {
    auto stat = parse_stat(stat_line);
    return stat ? std::optional<std::uint64_t>(stat->start_time) : std::nullopt;
}

std::optional<std::uint64_t> process_start_time(pid_t pid) {
    auto stat = read_stat(pid);
    return stat ? std::optional<std::uint64_t>(stat->start_time) : std::nullopt;
}

bool process_alive(pid_t pid, std::uint64_t start_time) {
    auto stat = read_stat(pid);
    // 'Z' zombie and 'X' dead: exited, only waiting to be reaped.
    return stat && stat->state != 'Z' && stat->state != 'X' && stat->start_time == start_time;
}

}  // namespace hull::sys
