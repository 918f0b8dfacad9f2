#include "core/foreground.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <array>

#include "util/error.hpp"

namespace hull::core {
namespace {

constexpr std::array kForwarded = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGTSTP};

sigset_t forwarded_set() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : kForwarded) sigaddset(&set, s);
    return set;
}

// Puts the caller's terminal in raw mode while the container owns it.
class RawTerminal {
public:
    explicit RawTerminal(int fd) : fd_(fd) {
        if (::isatty(fd) && ::tcgetattr(fd, &saved_) == 0) {
            termios raw = saved_;
            ::cfmakeraw(&raw);
            active_ = ::tcsetattr(fd, TCSANOW, &raw) == 0;
        }
    }
    ~RawTerminal() {
        if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
    }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

void copy_window_size(int from, int to) {
    winsize ws{};
    if (::ioctl(from, TIOCGWINSZ, &ws) == 0) ::ioctl(to, TIOCSWINSZ, &ws);
}

// Moves what is readable on `from` to `to`; false at end of file.
bool pump(int from, int to) {
    char buf[8192];
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n <= 0) return n < 0 && errno == EINTR;
    for (ssize_t off = 0; off < n;) {
        ssize_t w = ::write(to, buf + off, static_cast<std::size_t>(n - off));
        if (w < 0 && errno != EINTR) return false;
        if (w > 0) off += w;
    }
    return true;
}

int exit_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

struct WaitLoop {
    pid_t pid;
    int pidfd;
    int signal_fd;
    int master;  // -1 without a terminal
    // Until READY=1, with hull as MAINPID: hull is the process the service
    // manager started and watches, and it exits with the container.
    std::optional<NotifyRelay> notify;
    const util::Logger& log;
};

int wait_for_exit(WaitLoop& loop) {
    bool stdin_open = loop.master >= 0;
    while (true) {
        std::array<pollfd, 5> fds = {{{loop.pidfd, POLLIN, 0},
                                      {loop.signal_fd, POLLIN, 0},
                                      {loop.master, POLLIN, 0},
                                      {stdin_open ? 0 : -1, POLLIN, 0},
                                      {loop.notify ? loop.notify->fd() : -1, POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) throw_errno(errno, "wait for the container");
        if ((fds[4].revents & POLLIN) && loop.notify->relay_one(::getpid(), loop.log)) loop.notify.reset();
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo info{};
            if (::read(loop.signal_fd, &info, sizeof info) == sizeof info) {
                if (info.ssi_signo == SIGWINCH && loop.master >= 0) {
                    copy_window_size(0, loop.master);
                } else {
                    ::syscall(SYS_pidfd_send_signal, loop.pidfd, info.ssi_signo, nullptr, 0);
                }
            }
        }
        if (fds[3].revents & (POLLIN | POLLHUP)) stdin_open = pump(0, loop.master);
        if (fds[2].revents & POLLIN) pump(loop.master, 1);
        if (fds[0].revents & POLLIN) {
            if (loop.master >= 0) {
                while (pump(loop.master, 1) && ::poll(&fds[2], 1, 0) > 0) {
                }
            }
            int status = 0;
            while (::waitpid(loop.pid, &status, 0) < 0) {
                if (errno != EINTR) throw_errno(errno, "wait for the container init");
            }
            return exit_code(status);
        }
    }
}

}  // namespace

ForwardedSignals::ForwardedSignals() {
    sigset_t set = forwarded_set();
    ::sigprocmask(SIG_BLOCK, &set, &old_);
}

ForwardedSignals::~ForwardedSignals() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }

int wait_in_foreground(ForegroundProcess process, const util::Logger& log) {
    sigset_t set = forwarded_set();
    UniqueFd signal_fd(::signalfd(-1, &set, SFD_CLOEXEC));
    if (!signal_fd) throw_errno(errno, "signalfd");
    std::optional<RawTerminal> raw;
    if (process.master) {
        copy_window_size(0, process.master.get());
        raw.emplace(0);
    }
    WaitLoop loop{process.pid, process.pidfd, signal_fd.get(), process.master ? process.master.get() : -1,
                  std::move(process.notify), log};
    return wait_for_exit(loop);
}

}  // namespace hull::core
