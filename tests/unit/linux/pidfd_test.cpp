// Pidfds and start times: what lets hull tell its container's init from a
// process that reused the pid.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "linux/pidfd.hpp"
#include "util/error.hpp"

using hull::sys::parse_stat_start_time;
using hull::sys::Pidfd;

namespace {

// Fields 3..21 then starttime (22) and a few more, after the given comm.
std::string stat_line(const std::string& comm, const std::string& start) {
    return "4242 (" + comm + ") S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 " + start +
           " 2424832 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n";
}

// A child that sleeps until killed; reaped by the test.
pid_t sleeping_child(const char* comm = nullptr) {
    pid_t pid = ::fork();
    if (pid == 0) {
        if (comm != nullptr) ::prctl(PR_SET_NAME, comm, 0, 0, 0);
        while (true) ::pause();
    }
    REQUIRE(pid > 0);
    return pid;
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

}  // namespace

TEST_CASE("pidfd: start time is field 22 whatever the comm holds") {
    CHECK(parse_stat_start_time(stat_line("sh", "123456")) == 123456u);
    CHECK(parse_stat_start_time(stat_line("a b c", "7")) == 7u);
    CHECK(parse_stat_start_time(stat_line("x) S 1 2 3 (y", "99")) == 99u);
    CHECK(parse_stat_start_time(stat_line(")", "18446744073709551615")) == 18446744073709551615u);
    CHECK(parse_stat_start_time(stat_line("", "5")) == 5u);
}

TEST_CASE("pidfd: malformed stat lines give nullopt") {
    CHECK_FALSE(parse_stat_start_time(""));
    CHECK_FALSE(parse_stat_start_time("4242 (sh"));
    CHECK_FALSE(parse_stat_start_time("4242 (sh) S 1 2 3"));
    CHECK_FALSE(parse_stat_start_time(stat_line("sh", "12x")));
    CHECK_FALSE(parse_stat_start_time(stat_line("sh", "")));
}

TEST_CASE("pidfd: process_start_time of a live process, even with a hostile comm") {
    pid_t pid = sleeping_child("a) (b c) Z 1");
    auto start = hull::sys::process_start_time(pid);
    REQUIRE(start);
    CHECK(*start > 0);
    CHECK(hull::sys::process_alive(pid, *start));
    CHECK_FALSE(hull::sys::process_alive(pid, *start + 1));
    ::kill(pid, SIGKILL);
    reap(pid);
    CHECK_FALSE(hull::sys::process_start_time(pid));
    CHECK_FALSE(hull::sys::process_alive(pid, *start));
    CHECK_FALSE(hull::sys::process_alive(0, 0));
    CHECK_FALSE(hull::sys::process_alive(-1, 0));
}

TEST_CASE("pidfd: signal through the pidfd, wait for exit, zombie is not alive") {
    pid_t pid = sleeping_child();
    auto start = hull::sys::process_start_time(pid).value_or(0);
    auto pidfd = Pidfd::open(pid);
    REQUIRE(pidfd);
    CHECK(pidfd->pid() == pid);
    CHECK_FALSE(pidfd->wait_exit(50));
    pidfd->send_signal(SIGTERM);
    CHECK(pidfd->wait_exit(5000));
    // Exited but not reaped: a zombie, which no longer counts as alive.
    CHECK_FALSE(hull::sys::process_alive(pid, start));
    int status = reap(pid);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGTERM);
    // Reaped: the pidfd still names that process, never a pid reuser.
    CHECK_THROWS_AS(pidfd->send_signal(SIGKILL), hull::Error);
    CHECK_FALSE(Pidfd::open(pid));
}
