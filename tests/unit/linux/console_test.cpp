// The console path: a pty pair, its master passed over a unix socket the
// way engines expect, and the slave as a process's terminal.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "linux/console.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using hull::UniqueFd;
using hull::test::error_of;
using namespace hull::sys;

namespace {

struct SocketPair {
    UniqueFd a, b;
};

SocketPair socket_pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Reads what is available within a second.
std::string read_some(int fd) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 1000) != 1) return "";
    char buf[256];
    ssize_t n = ::read(fd, buf, sizeof buf);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
}

}  // namespace

TEST_CASE("console: a pty master sent over a socket carries what the slave writes") {
    Pty pty = open_pty("/dev/ptmx");
    REQUIRE(pty.master);
    REQUIRE(pty.slave);
    CHECK(::isatty(pty.slave.get()) == 1);
    CHECK((::fcntl(pty.master.get(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK((::fcntl(pty.slave.get(), F_GETFD) & FD_CLOEXEC) != 0);
    SocketPair sp = socket_pair();
    send_fd(sp.a.get(), pty.master.get(), "/dev/ptmx");
    pty.master.reset();
    std::string name;
    UniqueFd master = recv_fd(sp.b.get(), &name);
    CHECK(name == "/dev/ptmx");
    CHECK((::fcntl(master.get(), F_GETFD) & FD_CLOEXEC) != 0);
    REQUIRE(::write(pty.slave.get(), "hello\n", 6) == 6);
    CHECK(read_some(master.get()).starts_with("hello"));
}

TEST_CASE("console: set_window_size is what TIOCGWINSZ reads back") {
    Pty pty = open_pty("/dev/ptmx");
    set_window_size(pty.slave.get(), 40, 132);
    winsize ws{};
    REQUIRE(::ioctl(pty.master.get(), TIOCGWINSZ, &ws) == 0);
    CHECK(ws.ws_row == 40);
    CHECK(ws.ws_col == 132);
    CHECK(error_of([&] { set_window_size(pty.slave.get(), 70000, 10); }) ==
          "process.consoleSize: 70000x10 is larger than a terminal can be (65535x65535)");
}

TEST_CASE("console: give_pty_to changes the slave's owner and keeps its group") {
    if (::geteuid() != 0) return;  // only root may give a file away
    Pty pty = open_pty("/dev/ptmx");
    struct stat before {};
    REQUIRE(::fstat(pty.slave.get(), &before) == 0);
    give_pty_to(pty.slave.get(), 1000);
    struct stat after {};
    REQUIRE(::fstat(pty.slave.get(), &after) == 0);
    CHECK(after.st_uid == 1000);
    CHECK(after.st_gid == before.st_gid);
}

TEST_CASE("console: open_pty names a missing ptmx") {
    CHECK(error_of([] { open_pty("/nonexistent/ptmx"); }) == "open /nonexistent/ptmx: no such file or directory");
}

// CVE-2025-52565: an image's /dev/ptmx symlink leads elsewhere; what opens must be a ptmx.
TEST_CASE("console: open_pty refuses what is not the pty multiplexer") {
    CHECK(error_of([] { open_pty("/dev/null"); }) == "/dev/null is not the pty multiplexer (character device 5:2)");
}

TEST_CASE("console: the slave becomes the controlling terminal and stdio of a new session") {
    Pty pty = open_pty("/dev/ptmx");
    int status = hull::test::in_child([&] {
        pty.master.reset();
        if (::setsid() < 0) return 1;
        make_controlling_tty(pty.slave.get());
        if (::tcgetsid(pty.slave.get()) != ::getpid()) return 2;
        setup_console_stdio(pty.slave.get());
        for (int fd = 0; fd <= 2; ++fd) {
            if (::isatty(fd) != 1 || (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0) return 3 + fd;
        }
        return 0;
    });
    CHECK(status == 0);
}

TEST_CASE("console: setup_console_stdio clears CLOEXEC when the slave already is fd 0..2") {
    int status = hull::test::in_child([] {
        Pty pty = open_pty("/dev/ptmx");
        // Put the slave on fd 1 with CLOEXEC, as a parent with stdout closed would get it.
        if (::dup3(pty.slave.get(), 1, O_CLOEXEC) < 0) return 1;
        setup_console_stdio(1);
        return (::fcntl(1, F_GETFD) & FD_CLOEXEC) == 0 && ::isatty(0) == 1 && ::isatty(2) == 1 ? 0 : 2;
    });
    CHECK(status == 0);
}

TEST_CASE("console: connect_console_socket to a listening socket, then send_fd") {
    hull::test::TempDir tmp;
    std::string path = tmp / "console.sock";
    UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, path.c_str());
    REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener.get(), 1) == 0);
    UniqueFd client = connect_console_socket(path);
    CHECK((::fcntl(client.get(), F_GETFD) & FD_CLOEXEC) != 0);
    UniqueFd server(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    REQUIRE(server);
    Pty pty = open_pty("/dev/ptmx");
    send_fd(client.get(), pty.master.get(), "/dev/ptmx");
    std::string name;
    UniqueFd got = recv_fd(server.get(), &name);
    CHECK(name == "/dev/ptmx");
    CHECK(::isatty(got.get()) == 1);
}

TEST_CASE("console: connect_console_socket errors name the path") {
    hull::test::TempDir tmp;
    CHECK(error_of([&] { connect_console_socket(tmp / "missing.sock"); }) ==
          "connect to --console-socket \"" + tmp / "missing.sock" + "\": no such file or directory");
    CHECK(error_of([] { connect_console_socket(std::string(200, 'x')); }).ends_with(": path too long"));
}

TEST_CASE("console: recv_fd refuses a message without an fd and a closed peer") {
    SocketPair sp = socket_pair();
    REQUIRE(::write(sp.a.get(), "x", 1) == 1);
    CHECK(error_of([&] { recv_fd(sp.b.get()); }) == "receive an fd: expected a message with exactly one fd");
    sp.a.reset();
    CHECK(error_of([&] { recv_fd(sp.b.get()); }) == "receive an fd: the peer closed the connection");
}
