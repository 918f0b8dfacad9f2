// Loading a compiled filter into a (forked) process, as the init does.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../test_support.hpp"
#include "build_config.hpp"
#include "linux/seccomp/compile.hpp"

#if HULL_HAVE_SECCOMP

using hull::oci::Seccomp;
namespace sc = hull::sys::seccomp;

namespace {

Seccomp deny(const char* name, const char* action) {
    Seccomp s;
    s.default_action = "SCMP_ACT_ALLOW";
    hull::oci::SeccompSyscall r;
    r.names = {name};
    r.action = action;
    s.syscalls.push_back(r);
    return s;
}

}  // namespace

TEST_CASE("seccomp load: the filter applies to the process that loads it") {
    hull::test::TempDir dir("/dev/shm");
    hull::util::Logger quiet;
    auto p = deny("mkdir", "SCMP_ACT_ERRNO");
    p.syscalls[0].errno_ret = EROFS;
    auto filter = sc::compile(p, quiet);
    std::string target = dir / "d";
    int status = hull::test::in_child([&] {
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 10;
        auto listener = sc::load(filter);
        if (listener) return 11;
        if (::syscall(SYS_mkdir, target.c_str(), 0700) == 0) return 12;
        return errno == EROFS ? 0 : 13;
    });
    CHECK(status == 0);
    struct stat st {};
    CHECK(::stat(target.c_str(), &st) < 0);  // only the child was filtered, and it made nothing
    CHECK(::mkdir(target.c_str(), 0700) == 0);
}

TEST_CASE("seccomp load: a notifying filter returns its listener fd, close-on-exec") {
    hull::util::Logger quiet;
    auto p = deny("mkdir", "SCMP_ACT_NOTIFY");
    p.listener_path = "/run/agent.sock";
    auto filter = sc::compile(p, quiet);
    REQUIRE(filter.notify);
    int status = hull::test::in_child([&] {
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 10;
        auto listener = sc::load(filter);
        if (!listener) return 11;
        return (::fcntl(listener.get(), F_GETFD) & FD_CLOEXEC) ? 0 : 12;
    });
    CHECK(status == 0);
}

TEST_CASE("seccomp load: a KILL_PROCESS action kills") {
    hull::util::Logger quiet;
    auto filter = sc::compile(deny("getppid", "SCMP_ACT_KILL_PROCESS"), quiet);
    int status = hull::test::in_child([&] {
        ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        sc::load(filter);
        ::syscall(SYS_getppid);
        return 0;
    });
    CHECK(status == 128 + SIGSYS);
}

#endif
