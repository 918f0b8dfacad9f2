#include "linux/console.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>

#include <cstring>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {

Pty open_pty(const std::string& ptmx) {
    int master = ::open(ptmx.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) throw_errno(errno, "open {}", ptmx);
    Pty pty{UniqueFd(master), UniqueFd()};
    int unlock = 0;
    check(::ioctl(master, TIOCSPTLCK, &unlock), "unlock the pty");
    // TIOCGPTPEER opens the slave through the master, never by a path the
    // container could have replaced.
    int slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) throw_errno(errno, "open the pty slave");
    pty.slave.reset(slave);
    return pty;
}

void set_window_size(int fd, unsigned height, unsigned width) {
    winsize ws{};
    ws.ws_row = static_cast<unsigned short>(height);
    ws.ws_col = static_cast<unsigned short>(width);
    check(::ioctl(fd, TIOCSWINSZ, &ws), "process.consoleSize: set the window size");
}

void make_controlling_tty(int fd) { check(::ioctl(fd, TIOCSCTTY, 0), "make the pty the controlling terminal"); }

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

void send_fd(int socket_fd, int fd, std::string_view name) {
    iovec iov{const_cast<char*>(name.data()), name.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
    while (::sendmsg(socket_fd, &msg, MSG_NOSIGNAL) < 0) {
        if (errno != EINTR) throw_errno(errno, "send the pty master to the console socket");
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
    if (cmsg == nullptr || cmsg->cmsg_type != SCM_RIGHTS) throw_error("receive an fd: the message carried none");
    int fd;
    std::memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
    if (name != nullptr) name->assign(buf, static_cast<std::size_t>(n));
    return UniqueFd(fd);
}

}  // namespace hull::sys
