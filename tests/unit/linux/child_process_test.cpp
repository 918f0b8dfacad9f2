// ChildProcess: a child is waited for, released, or killed and reaped.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "linux/child_process.hpp"
#include "linux/clone.hpp"

using hull::sys::ChildProcess;
using hull::sys::clone_child;

namespace {

// The process no longer exists, not even as a zombie waiting for us.
bool reaped(pid_t pid) { return ::kill(pid, 0) < 0 && errno == ESRCH; }

ChildProcess sleeper() {
    return clone_child(0, -1, [] {
        ::pause();
        return 0;
    });
}

}  // namespace

TEST_CASE("ChildProcess: wait returns the exit status and reaps") {
    ChildProcess child = clone_child(0, -1, [] { return 7; });
    pid_t pid = child.pid();
    int status = child.wait();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 7);
    CHECK_FALSE(child);
    CHECK(reaped(pid));
}

TEST_CASE("ChildProcess: one that goes out of scope, also through a throw, is killed and reaped") {
    pid_t pid = -1;
    try {
        ChildProcess child = sleeper();
        pid = child.pid();
        throw std::runtime_error("a step after the fork failed");
    } catch (const std::runtime_error&) {
    }
    REQUIRE(pid > 0);
    CHECK(reaped(pid));
}

TEST_CASE("ChildProcess: a moved-from object owns nothing, a moved-to one kills its old child first") {
    ChildProcess a = sleeper();
    pid_t first = a.pid();
    ChildProcess b = std::move(a);
    CHECK_FALSE(a);
    CHECK(b.pid() == first);
    b = sleeper();
    CHECK(reaped(first));
    b.kill_and_reap();
}

TEST_CASE("ChildProcess: release hands the child and its pidfd over, alive") {
    pid_t pid = -1;
    hull::UniqueFd pidfd;
    {
        ChildProcess child = sleeper();
        pid = child.pid();
        pidfd = child.release();
    }
    CHECK(pidfd.valid());
    CHECK(::kill(pid, 0) == 0);
    ChildProcess again(pid, std::move(pidfd));  // taken back, to end it
    again.kill_and_reap();
    CHECK(reaped(pid));
}
