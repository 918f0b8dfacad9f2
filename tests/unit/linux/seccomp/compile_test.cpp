// linux.seccomp compiled with libseccomp and run through a BPF interpreter:
// actions, errnoRet, operators, split conditions, the ENOSYS stub, arches.
#include <doctest/doctest.h>

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cerrno>
#include <string>

#include "build_config.hpp"
#include "linux/seccomp/compile.hpp"
#include "bpf_interpreter.hpp"
#include "../test_support.hpp"
#include "util/files.hpp"

#if HULL_HAVE_SECCOMP

using hull::oci::Seccomp;
using hull::oci::SeccompArg;
using hull::oci::SeccompSyscall;
using hull::sys::seccomp::compile;
using hull::test::run_bpf;
using hull::test::syscall_data;

namespace {

constexpr std::uint32_t kX32Bit = 0x40000000;

std::uint32_t errno_ret(int err) { return SECCOMP_RET_ERRNO | static_cast<std::uint32_t>(err); }

Seccomp profile(std::string default_action, std::vector<SeccompSyscall> rules = {}) {
    Seccomp s;
    s.default_action = std::move(default_action);
    s.syscalls = std::move(rules);
    return s;
}

SeccompSyscall rule(std::vector<std::string> names, std::string action, std::vector<SeccompArg> args = {}) {
    SeccompSyscall r;
    r.names = std::move(names);
    r.action = std::move(action);
    r.args = std::move(args);
    return r;
}

SeccompArg arg(std::uint32_t index, std::string op, std::uint64_t value, std::optional<std::uint64_t> two = {}) {
    SeccompArg a;
    a.index = index;
    a.op = std::move(op);
    a.value = value;
    a.value_two = two;
    return a;
}

std::uint32_t verdict(const Seccomp& p, int nr, std::array<std::uint64_t, 6> args = {},
                      std::uint32_t arch = AUDIT_ARCH_X86_64) {
    static const hull::util::Logger quiet;
    return run_bpf(compile(p, quiet).program, syscall_data(nr, args, arch));
}

// A logger whose lines can be read back.
struct CapturedLog {
    hull::UniqueFd fd{::memfd_create("log", MFD_CLOEXEC)};
    hull::util::Logger log{hull::UniqueFd(::dup(fd.get())), hull::util::LogFormat::text, true};
    std::string text() const {
        ::lseek(fd.get(), 0, SEEK_SET);
        return hull::util::read_fd(fd.get(), 1 << 20, "log");
    }
};

}  // namespace

TEST_CASE("seccomp compile: a denied syscall gets EPERM, others the default") {
    Seccomp p = profile("SCMP_ACT_ALLOW", {rule({"mkdir", "mkdirat"}, "SCMP_ACT_ERRNO")});
    CHECK(verdict(p, SYS_mkdir) == errno_ret(EPERM));
    CHECK(verdict(p, SYS_mkdirat) == errno_ret(EPERM));
    CHECK(verdict(p, SYS_read) == SECCOMP_RET_ALLOW);
}

TEST_CASE("seccomp compile: errnoRet and defaultErrnoRet choose the errno") {
    // openat (257) keeps rmdir (84) below the ENOSYS limit.
    Seccomp p = profile("SCMP_ACT_ERRNO",
                        {rule({"read", "openat"}, "SCMP_ACT_ALLOW"), rule({"mkdir"}, "SCMP_ACT_ERRNO")});
    p.syscalls[1].errno_ret = EROFS;
    p.default_errno_ret = EACCES;
    CHECK(verdict(p, SYS_mkdir) == errno_ret(EROFS));
    CHECK(verdict(p, SYS_rmdir) == errno_ret(EACCES));
    CHECK(verdict(p, SYS_read) == SECCOMP_RET_ALLOW);
}

TEST_CASE("seccomp compile: the largest errno validation lets through compiles") {
    // 4094: libseccomp refuses MAX_ERRNO (4095), which validation once let through.
    Seccomp p = profile("SCMP_ACT_ERRNO",
                        {rule({"read", "openat"}, "SCMP_ACT_ALLOW"), rule({"mkdir"}, "SCMP_ACT_ERRNO")});
    p.syscalls[1].errno_ret = 4094;
    p.default_errno_ret = 4094;
    CHECK(verdict(p, SYS_mkdir) == errno_ret(4094));
    CHECK(verdict(p, SYS_rmdir) == errno_ret(4094));
}

TEST_CASE("seccomp compile: every action has its kernel value") {
    struct Case {
        const char* action;
        std::uint32_t expected;
    };
    const Case cases[] = {
        {"SCMP_ACT_KILL", SECCOMP_RET_KILL_THREAD},     {"SCMP_ACT_KILL_THREAD", SECCOMP_RET_KILL_THREAD},
        {"SCMP_ACT_KILL_PROCESS", SECCOMP_RET_KILL_PROCESS}, {"SCMP_ACT_TRAP", SECCOMP_RET_TRAP},
        {"SCMP_ACT_ERRNO", errno_ret(EPERM)},           {"SCMP_ACT_TRACE", SECCOMP_RET_TRACE | EPERM},
        {"SCMP_ACT_LOG", SECCOMP_RET_LOG},              {"SCMP_ACT_NOTIFY", SECCOMP_RET_USER_NOTIF},
    };
    for (const auto& c : cases) {
        CAPTURE(c.action);
        Seccomp p = profile("SCMP_ACT_ALLOW", {rule({"mkdir"}, c.action)});
        if (std::string(c.action) == "SCMP_ACT_NOTIFY") p.listener_path = "/run/agent.sock";
        CHECK(verdict(p, SYS_mkdir) == c.expected);
        CHECK(verdict(p, SYS_getpid) == SECCOMP_RET_ALLOW);
    }
    Seccomp traced = profile("SCMP_ACT_ALLOW", {rule({"mkdir"}, "SCMP_ACT_TRACE")});
    traced.syscalls[0].errno_ret = 42;
    CHECK(verdict(traced, SYS_mkdir) == (SECCOMP_RET_TRACE | 42));
    Seccomp allow = profile("SCMP_ACT_KILL_PROCESS", {rule({"getppid"}, "SCMP_ACT_ALLOW")});
    CHECK(verdict(allow, SYS_getppid) == SECCOMP_RET_ALLOW);
    CHECK(verdict(allow, SYS_getpid) == SECCOMP_RET_KILL_PROCESS);
}

TEST_CASE("seccomp compile: every operator, on 64-bit values") {
    const std::uint64_t big = 0x8000000000000005ULL;  // above INT64_MAX
    auto check_op = [&](const char* op, std::uint64_t value, std::uint64_t matching, std::uint64_t other) {
        CAPTURE(op);
        Seccomp p = profile("SCMP_ACT_ALLOW", {rule({"personality"}, "SCMP_ACT_ERRNO", {arg(0, op, value)})});
        CHECK(verdict(p, SYS_personality, {matching}) == errno_ret(EPERM));
        CHECK(verdict(p, SYS_personality, {other}) == SECCOMP_RET_ALLOW);
    };
    check_op("SCMP_CMP_EQ", big, big, big & 0xffffffffULL);  // the high word counts
    check_op("SCMP_CMP_NE", big, 5, big);
    check_op("SCMP_CMP_LT", big, big - 1, big);
    check_op("SCMP_CMP_LE", big, big, big + 1);
    check_op("SCMP_CMP_GT", big, big + 1, big);
    check_op("SCMP_CMP_GE", big, big, 7);  // unsigned: 7 is below
    // MASKED_EQ: (arg & value) == valueTwo.
    Seccomp masked = profile("SCMP_ACT_ALLOW", {rule({"personality"}, "SCMP_ACT_ERRNO",
                                                     {arg(0, "SCMP_CMP_MASKED_EQ", 0xff000000000000ffULL,
                                                          0x8000000000000001ULL)})});
    CHECK(verdict(masked, SYS_personality, {0x80ffff0000000001ULL}) == errno_ret(EPERM));
    CHECK(verdict(masked, SYS_personality, {0x0000000000000001ULL}) == SECCOMP_RET_ALLOW);
    CHECK(verdict(masked, SYS_personality, {0x8000000000000002ULL}) == SECCOMP_RET_ALLOW);
}

TEST_CASE("seccomp compile: conditions on different arguments must all hold") {
    Seccomp p = profile("SCMP_ACT_ALLOW", {rule({"socket"}, "SCMP_ACT_ERRNO",
                                                {arg(0, "SCMP_CMP_EQ", 16), arg(2, "SCMP_CMP_EQ", 9)})});
    CHECK(verdict(p, SYS_socket, {16, 3, 9}) == errno_ret(EPERM));
    CHECK(verdict(p, SYS_socket, {16, 3, 0}) == SECCOMP_RET_ALLOW);
    CHECK(verdict(p, SYS_socket, {2, 3, 9}) == SECCOMP_RET_ALLOW);
}

TEST_CASE("seccomp compile: conditions on one argument become separate rules, as runc's") {
    Seccomp p = profile("SCMP_ACT_ERRNO", {rule({"read", "write", "exit_group"}, "SCMP_ACT_ALLOW"),
                                           rule({"personality"}, "SCMP_ACT_ALLOW",
                                                {arg(0, "SCMP_CMP_EQ", 0), arg(0, "SCMP_CMP_EQ", 8),
                                                 arg(0, "SCMP_CMP_EQ", 0xffffffffULL)})});
    CHECK(verdict(p, SYS_personality, {0}) == SECCOMP_RET_ALLOW);
    CHECK(verdict(p, SYS_personality, {8}) == SECCOMP_RET_ALLOW);
    CHECK(verdict(p, SYS_personality, {0xffffffffULL}) == SECCOMP_RET_ALLOW);
    CHECK(verdict(p, SYS_personality, {1}) == errno_ret(EPERM));
}

TEST_CASE("seccomp compile: unknown syscall names are skipped with a debug line") {
    CapturedLog captured;
    Seccomp p = profile("SCMP_ACT_ALLOW", {rule({"no_such_syscall", "mkdir"}, "SCMP_ACT_ERRNO")});
    auto filter = compile(p, captured.log);
    CHECK(run_bpf(filter.program, syscall_data(SYS_mkdir)) == errno_ret(EPERM));
    std::string log = captured.text();
    CHECK(log.find("linux.seccomp.syscalls[0].names[0]") != std::string::npos);
    CHECK(log.find("no_such_syscall") != std::string::npos);
}

TEST_CASE("seccomp compile: a rule with the default action changes nothing and is accepted") {
    Seccomp p = profile("SCMP_ACT_ERRNO", {rule({"mkdir"}, "SCMP_ACT_ERRNO"), rule({"read"}, "SCMP_ACT_ALLOW")});
    CHECK(verdict(p, SYS_mkdir) == errno_ret(EPERM));
    CHECK(verdict(p, SYS_read) == SECCOMP_RET_ALLOW);
}

TEST_CASE("seccomp compile: syscalls newer than the profile get ENOSYS") {
    Seccomp p = profile("SCMP_ACT_ERRNO", {rule({"read", "write", "openat", "exit_group"}, "SCMP_ACT_ALLOW")});
    // openat is 257 on x86_64: the highest the profile names.
    CHECK(verdict(p, SYS_openat) == SECCOMP_RET_ALLOW);
    CHECK(verdict(p, SYS_mkdir) == errno_ret(EPERM));       // 83: older, not named
    CHECK(verdict(p, SYS_clone3) == errno_ret(ENOSYS));     // 435
    CHECK(verdict(p, SYS_faccessat2) == errno_ret(ENOSYS)); // 439
    CHECK(verdict(p, 258) == errno_ret(ENOSYS));
    CHECK(verdict(p, 100000) == errno_ret(ENOSYS));
}

TEST_CASE("seccomp compile: no ENOSYS stub when the default lets syscalls through or is ENOSYS") {
    Seccomp allow = profile("SCMP_ACT_ALLOW", {rule({"read"}, "SCMP_ACT_ERRNO")});
    CHECK(verdict(allow, SYS_clone3) == SECCOMP_RET_ALLOW);
    Seccomp log = profile("SCMP_ACT_LOG", {rule({"read"}, "SCMP_ACT_ERRNO")});
    CHECK(verdict(log, SYS_clone3) == SECCOMP_RET_LOG);
    Seccomp kill = profile("SCMP_ACT_KILL_PROCESS", {rule({"read", "openat"}, "SCMP_ACT_ALLOW")});
    CHECK(verdict(kill, SYS_clone3) == errno_ret(ENOSYS));
    CHECK(verdict(kill, SYS_write) == SECCOMP_RET_KILL_PROCESS);
    Seccomp enosys = profile("SCMP_ACT_ERRNO", {rule({"read"}, "SCMP_ACT_ALLOW")});
    enosys.default_errno_ret = ENOSYS;
    CHECK(verdict(enosys, SYS_write) == errno_ret(ENOSYS));
    hull::util::Logger quiet;
    CHECK(compile(enosys, quiet).program.size() < compile(kill, quiet).program.size());
}

TEST_CASE("seccomp compile: x32 calls have their own limit (__X32_SYSCALL_BIT)") {
    Seccomp p = profile("SCMP_ACT_ERRNO", {rule({"read", "write", "rmdir"}, "SCMP_ACT_ALLOW")});
    p.architectures = std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X32"};
    CHECK(verdict(p, SYS_rmdir) == SECCOMP_RET_ALLOW);
    CHECK(verdict(p, kX32Bit | SYS_rmdir) == SECCOMP_RET_ALLOW);
    CHECK(verdict(p, kX32Bit | SYS_mkdir) == errno_ret(EPERM));  // below x32's limit, 0x40000054
    CHECK(verdict(p, kX32Bit | (SYS_rmdir + 1)) == errno_ret(ENOSYS));
    CHECK(verdict(p, kX32Bit | 600) == errno_ret(ENOSYS));
    CHECK(verdict(p, SYS_clone3) == errno_ret(ENOSYS));
    // Without SCMP_ARCH_X32 the stub leaves x32 calls to libseccomp (its bad-arch action).
    Seccomp native = profile("SCMP_ACT_ERRNO", {rule({"read", "write", "mkdir"}, "SCMP_ACT_ALLOW")});
    CHECK(verdict(native, kX32Bit | 600) != errno_ret(ENOSYS));
    CHECK(verdict(native, kX32Bit | SYS_mkdir) != SECCOMP_RET_ALLOW);
}

TEST_CASE("seccomp compile: other architectures follow the profile's list") {
    Seccomp p = profile("SCMP_ACT_ALLOW", {rule({"mkdir"}, "SCMP_ACT_ERRNO")});
    // Not in the filter: libseccomp's bad-arch action (kill).
    CHECK(verdict(p, 83, {}, AUDIT_ARCH_AARCH64) == SECCOMP_RET_KILL_THREAD);
    CHECK(verdict(p, 39, {}, AUDIT_ARCH_I386) == SECCOMP_RET_KILL_THREAD);
    p.architectures = std::vector<std::string>{"SCMP_ARCH_X86"};
    CHECK(verdict(p, 39, {}, AUDIT_ARCH_I386) == errno_ret(EPERM));  // i386 mkdir
    CHECK(verdict(p, 83, {}, AUDIT_ARCH_I386) == SECCOMP_RET_ALLOW);
    CHECK(verdict(p, SYS_mkdir) == errno_ret(EPERM));
    Seccomp deny = profile("SCMP_ACT_ERRNO", {rule({"read", "rmdir"}, "SCMP_ACT_ALLOW")});
    deny.architectures = std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"};
    CHECK(verdict(deny, 40, {}, AUDIT_ARCH_I386) == SECCOMP_RET_ALLOW);  // i386 rmdir
    CHECK(verdict(deny, 39, {}, AUDIT_ARCH_I386) == errno_ret(EPERM));   // mkdir, below i386's limit (40)
    CHECK(verdict(deny, 41, {}, AUDIT_ARCH_I386) == errno_ret(ENOSYS));
    CHECK(verdict(deny, 435, {}, AUDIT_ARCH_I386) == errno_ret(ENOSYS));  // clone3 on i386
}

TEST_CASE("seccomp compile: errors name the field") {
    hull::util::Logger quiet;
    auto error = [&](const Seccomp& p) { return hull::test::error_of([&] { compile(p, quiet); }); };
    Seccomp bad_action = profile("SCMP_ACT_ALLOW", {rule({"read"}, "SCMP_ACT_ALLOW"), rule({"mkdir"}, "SCMP_ACT_NOPE")});
    CHECK(error(bad_action).find("linux.seccomp.syscalls[1].action: unknown seccomp action \"SCMP_ACT_NOPE\"") !=
          std::string::npos);
    Seccomp bad_op = profile("SCMP_ACT_ALLOW", {rule({"mkdir"}, "SCMP_ACT_ERRNO", {arg(1, "SCMP_CMP_ABOUT", 1)})});
    CHECK(error(bad_op).find("linux.seccomp.syscalls[0].args[0].op") != std::string::npos);
    Seccomp bad_flag = profile("SCMP_ACT_ALLOW");
    bad_flag.flags = std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_NOPE"};
    CHECK(error(bad_flag).find("linux.seccomp.flags[1]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_NOPE\"") !=
          std::string::npos);
    Seccomp bad_arch = profile("SCMP_ACT_ALLOW");
    bad_arch.architectures = std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"};
    CHECK(error(bad_arch).find("linux.seccomp.architectures[1]: unknown architecture") != std::string::npos);
    Seccomp bad_default = profile("SCMP_ACT_MAYBE");
    CHECK(error(bad_default).find("linux.seccomp.defaultAction") != std::string::npos);
}

TEST_CASE("seccomp compile: a notified sendmsg is refused (the listener goes out with it)") {
    hull::util::Logger quiet;
    Seccomp p = profile("SCMP_ACT_ALLOW", {rule({"mkdir"}, "SCMP_ACT_NOTIFY"), rule({"sendmsg"}, "SCMP_ACT_NOTIFY")});
    p.listener_path = "/run/agent.sock";
    CHECK(hull::test::error_of([&] { compile(p, quiet); }).find("linux.seccomp.syscalls[1].action") !=
          std::string::npos);
    Seccomp by_default = profile("SCMP_ACT_NOTIFY", {rule({"read"}, "SCMP_ACT_ALLOW")});
    CHECK(hull::test::error_of([&] { compile(by_default, quiet); }).find("linux.seccomp.defaultAction") !=
          std::string::npos);
    by_default.syscalls.push_back(rule({"sendmsg"}, "SCMP_ACT_ALLOW"));
    CHECK(compile(by_default, quiet).notify);
}

TEST_CASE("seccomp compile: flags and the notify bit") {
    hull::util::Logger quiet;
    Seccomp p = profile("SCMP_ACT_ALLOW", {rule({"mkdir"}, "SCMP_ACT_ERRNO")});
    CHECK(compile(p, quiet).flags == 0);
    CHECK_FALSE(compile(p, quiet).notify);
    p.flags = std::vector<std::string>{"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                       "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
    // TSYNC needs nothing from a single-threaded init; WAIT_KILLABLE_RECV only means something to a listener.
    CHECK(compile(p, quiet).flags == (SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW));
    p.syscalls.push_back(rule({"rmdir"}, "SCMP_ACT_NOTIFY"));
    auto notify = compile(p, quiet);
    CHECK(notify.notify);
    CHECK(notify.flags == (SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW |
                           SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV));
}

#endif
