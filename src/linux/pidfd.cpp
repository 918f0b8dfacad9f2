#include "linux/pidfd.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <fmt/format.h>

#include "util/error.hpp"

namespace hull::sys {
namespace {

struct StatFields {
    char state;
    std::uint64_t start_time;
};

// /proc/PID/stat: "pid (comm) S ppid ..."; comm may hold spaces and ')', so
// parse from the last ')'.
std::optional<StatFields> read_stat(pid_t pid) {
    std::string path = fmt::format("/proc/{}/stat", pid);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    UniqueFd owned(fd);
    char buf[1024];
    ssize_t n = ::read(fd, buf, sizeof buf - 1);
    if (n <= 0) return std::nullopt;
    std::string_view text(buf, static_cast<std::size_t>(n));
    auto close = text.rfind(')');
    if (close == std::string_view::npos || close + 2 >= text.size()) return std::nullopt;
    std::string_view rest = text.substr(close + 2);  // starts at field 3 (state)
    StatFields out{rest[0], 0};
    // Field 22 is the 20th field after the state.
    std::size_t pos = 0;
    for (int field = 3; field < 22; ++field) {
        pos = rest.find(' ', pos);
        if (pos == std::string_view::npos) return std::nullopt;
        ++pos;
    }
    for (; pos < rest.size() && rest[pos] >= '0' && rest[pos] <= '9'; ++pos) {
        out.start_time = out.start_time * 10 + static_cast<std::uint64_t>(rest[pos] - '0');
    }
    return out;
}

}  // namespace

std::optional<Pidfd> Pidfd::open(pid_t pid) {
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) {
        if (errno == ESRCH) return std::nullopt;
        throw_errno(errno, "pidfd_open {}", pid);
    }
    return Pidfd(UniqueFd(fd));
}

void Pidfd::send_signal(int signal) const {
    if (::syscall(SYS_pidfd_send_signal, fd_.get(), signal, nullptr, 0) < 0) {
        throw_errno(errno, "send signal {}", signal);
    }
}

bool Pidfd::wait_exit(int timeout_ms) const {
    pollfd p{fd_.get(), POLLIN, 0};
    while (true) {
        int n = ::poll(&p, 1, timeout_ms);
        if (n < 0 && errno == EINTR) continue;
        return n > 0;
    }
}

std::optional<std::uint64_t> process_start_time(pid_t pid) {
    auto stat = read_stat(pid);
    return stat ? std::optional<std::uint64_t>(stat->start_time) : std::nullopt;
}

bool process_alive(pid_t pid, std::uint64_t start_time) {
    if (pid <= 0) return false;
    auto stat = read_stat(pid);
    return stat && stat->state != 'Z' && stat->state != 'X' && stat->start_time == start_time;
}

}  // namespace hull::sys
