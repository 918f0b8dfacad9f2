#include "linux/console.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "linux/scm_rights.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {

Pty open_pty(const std::string& ptmx) {
    int master = ::open(ptmx.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) throw_errno(errno, "open {}", ptmx);
    Pty pty{UniqueFd(master), UniqueFd()};
    // The path is the container's: whatever it opened must be a pty
    // multiplexer (5:2, devpts' own ptmx too), not a file a symlink led to
    // (CVE-2025-52565).
    struct stat st {};
    check(::fstat(master, &st), "stat {}", ptmx);
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2) {
        throw_error("{} is not the pty multiplexer (character device 5:2)", ptmx);
    }
    int unlock = 0;
    check(::ioctl(master, TIOCSPTLCK, &unlock), "unlock the pty");
    // TIOCGPTPEER opens the slave through the master, never by a path the
    // container could have replaced.
    int slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) throw_errno(errno, "open the pty slave");
    pty.slave.reset(slave);
    return pty;
}

// A pty a root process made is root's, mode 0620 (devpts mode=): the
// process's user could use the fd it is handed but not reopen its own
// terminal ($(tty), /dev/tty: ssh, sudo, script need that).
void give_pty_to(int slave_fd, uid_t uid) {
    if (::fchown(slave_fd, uid, static_cast<gid_t>(-1)) == 0) return;
    // As runc: EPERM when the pty's owner is unmapped in our user namespace
    // (a host devpts), EROFS on a read-only /dev; the terminal still works
    // through its fd. EINVAL is an unmapped uid, which process.user reports.
    if (errno == EPERM || errno == EROFS || errno == EINVAL) return;
    throw_errno(errno, "give the terminal to uid {}", uid);
}

void set_window_size(int fd, unsigned height, unsigned width) {
    if (height > 0xffff || width > 0xffff) {
        throw_error("process.consoleSize: {}x{} is larger than a terminal can be (65535x65535)", height, width);
    }
    winsize ws{};
    ws.ws_row = static_cast<unsigned short>(height);
    ws.ws_col = static_cast<unsigned short>(width);
    check(::ioctl(fd, TIOCSWINSZ, &ws), "process.consoleSize: set the window size");
}

void bind_dev_console(int slave_fd) {
    // On a read-only /dev without a console there is nothing to bind onto:
    // the terminal is still the process's stdio, as before this step.
    struct stat st {};
    if (::lstat("/dev/console", &st) == 0 && S_ISLNK(st.st_mode) && ::unlink("/dev/console") < 0) {
        if (errno == EROFS) return;
        throw_errno(errno, "remove the /dev/console symlink");
    }
    int fd = ::open("/dev/console", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) fd = ::open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);  // an existing node on a read-only /dev
    if (fd < 0 && (errno == EROFS || errno == ENOENT || errno == ELOOP)) return;
    if (fd < 0) throw_errno(errno, "create /dev/console to bind the terminal on");
    UniqueFd target(fd);
    std::string source = fmt::format("/proc/self/fd/{}", slave_fd);
    std::string dest = fmt::format("/proc/self/fd/{}", target.get());
    check(::mount(source.c_str(), dest.c_str(), nullptr, MS_BIND, nullptr), "bind the terminal onto /dev/console");
}

void make_controlling_tty(int fd) { check(::ioctl(fd, TIOCSCTTY, 0), "make the pty the controlling terminal"); }

void setup_console_stdio(int slave_fd) {
    for (int target = 0; target <= 2; ++target) {
        if (target == slave_fd) {
            // dup2(fd, fd) does nothing, so the CLOEXEC the pty was opened
            // with would survive and close this stdio fd at execve.
            check(::fcntl(slave_fd, F_SETFD, 0), "keep the pty as fd {} across exec", target);
        } else {
            check(::dup2(slave_fd, target), "dup2 the pty onto fd {}", target);
        }
    }
}

UniqueFd connect_console_socket(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) throw_error("--console-socket {}: path too long", util::quote(path));
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno(errno, "socket for --console-socket");
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
        throw_errno(errno, "connect to --console-socket {}", util::quote(path));
    }
    return fd;
}

// runc utils.SendFds and docs/terminals.md: one sendmsg, the name as the
// data, the fd as SCM_RIGHTS; engines (containerd, conmon) read exactly that.
void send_fd(int socket_fd, int fd, std::string_view name) {
    iovec iov{const_cast<char*>(name.data()), name.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ScmRights rights;
    rights.attach(msg, fd);
    while (::sendmsg(socket_fd, &msg, MSG_NOSIGNAL) < 0) {
        if (errno != EINTR) throw_errno(errno, "send {} with an fd (SCM_RIGHTS)", util::quote(name));
    }
}

UniqueFd recv_fd(int socket_fd, std::string* name) {
    char buf[4096];
    iovec iov{buf, sizeof buf};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(socket_fd, &msg, MSG_CMSG_CLOEXEC)) < 0) {
        if (errno != EINTR) throw_errno(errno, "receive an fd");
    }
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    UniqueFd fd;
    if (cmsg != nullptr && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
        cmsg->cmsg_len == CMSG_LEN(sizeof(int))) {
        int raw = -1;
        std::memcpy(&raw, CMSG_DATA(cmsg), sizeof raw);
        fd.reset(raw);
    }
    // MSG_CTRUNC: the sender passed more fds than one; the kernel closed
    // those that did not fit, but a message of that shape is not ours.
    if (n == 0 && !fd) throw_error("receive an fd: the peer closed the connection");
    if (!fd || (msg.msg_flags & MSG_CTRUNC) != 0) throw_error("receive an fd: expected a message with exactly one fd");
    if (name != nullptr) name->assign(buf, static_cast<std::size_t>(n));
    return fd;
}

}  // namespace hull::sys
