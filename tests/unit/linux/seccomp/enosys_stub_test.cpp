// The ENOSYS prologue alone, in front of a one-instruction program that
// returns a marker: where the stub falls through, the marker comes back.
#include <doctest/doctest.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <cerrno>

#include "bpf_interpreter.hpp"
#include "linux/seccomp/enosys_stub.hpp"

using hull::sys::seccomp::ArchLimit;
using hull::sys::seccomp::enosys_stub;
using hull::test::run_bpf;
using hull::test::syscall_data;

namespace {

constexpr std::uint32_t kProgram = SECCOMP_RET_TRACE | 7;  // "reached the program"
constexpr std::uint32_t kEnosys = SECCOMP_RET_ERRNO | ENOSYS;
constexpr std::uint32_t kX32Bit = 0x40000000;

std::vector<sock_filter> with_program(const std::vector<ArchLimit>& limits) {
    auto program = enosys_stub(limits);
    program.push_back(BPF_STMT(BPF_RET | BPF_K, kProgram));
    return program;
}

}  // namespace

TEST_CASE("enosys stub: empty when no architecture has a limit") {
    CHECK(enosys_stub({}).empty());
    CHECK(enosys_stub(std::vector<ArchLimit>{{AUDIT_ARCH_AARCH64, {}, {}}}).empty());
}

TEST_CASE("enosys stub: above the limit ENOSYS, at or below it the program") {
    auto p = with_program({{AUDIT_ARCH_AARCH64, 300, {}}});
    CHECK(run_bpf(p, syscall_data(300, {}, AUDIT_ARCH_AARCH64)) == kProgram);
    CHECK(run_bpf(p, syscall_data(0, {}, AUDIT_ARCH_AARCH64)) == kProgram);
    CHECK(run_bpf(p, syscall_data(301, {}, AUDIT_ARCH_AARCH64)) == kEnosys);
    // Another architecture goes to the program untouched.
    CHECK(run_bpf(p, syscall_data(1000, {}, AUDIT_ARCH_X86_64)) == kProgram);
}

TEST_CASE("enosys stub: x86_64 and x32 are told apart by __X32_SYSCALL_BIT") {
    auto both = with_program({{AUDIT_ARCH_X86_64, 435, kX32Bit | 100}});
    CHECK(run_bpf(both, syscall_data(435)) == kProgram);
    CHECK(run_bpf(both, syscall_data(436)) == kEnosys);
    CHECK(run_bpf(both, syscall_data(kX32Bit | 100)) == kProgram);
    CHECK(run_bpf(both, syscall_data(kX32Bit | 101)) == kEnosys);
    auto only_64 = with_program({{AUDIT_ARCH_X86_64, 435, {}}});
    CHECK(run_bpf(only_64, syscall_data(kX32Bit | 1000)) == kProgram);
    CHECK(run_bpf(only_64, syscall_data(1000)) == kEnosys);
    auto only_x32 = with_program({{AUDIT_ARCH_X86_64, {}, kX32Bit | 100}});
    CHECK(run_bpf(only_x32, syscall_data(1000)) == kProgram);
    CHECK(run_bpf(only_x32, syscall_data(kX32Bit | 1000)) == kEnosys);
}

TEST_CASE("enosys stub: s390's unknown-syscall number 0 gets ENOSYS") {
    auto p = with_program({{AUDIT_ARCH_S390X, 400, {}}});
    CHECK(run_bpf(p, syscall_data(0, {}, AUDIT_ARCH_S390X)) == kEnosys);
    CHECK(run_bpf(p, syscall_data(1, {}, AUDIT_ARCH_S390X)) == kProgram);
    CHECK(run_bpf(p, syscall_data(401, {}, AUDIT_ARCH_S390X)) == kEnosys);
}

TEST_CASE("enosys stub: many architectures, each with its own limit, jumps stay in range") {
    std::vector<ArchLimit> limits;
    // More sections than an 8-bit jump could cross: the stub must not rely on one.
    for (std::uint32_t i = 0; i < 120; ++i) limits.push_back({0x1000 + i, 10 + i, {}});
    limits.push_back({AUDIT_ARCH_X86_64, 435, kX32Bit | 500});
    auto p = with_program(limits);
    CHECK(p.size() > 256);
    for (std::uint32_t i = 0; i < 120; i += 17) {
        CAPTURE(i);
        CHECK(run_bpf(p, syscall_data(static_cast<int>(10 + i), {}, 0x1000 + i)) == kProgram);
        CHECK(run_bpf(p, syscall_data(static_cast<int>(11 + i), {}, 0x1000 + i)) == kEnosys);
    }
    CHECK(run_bpf(p, syscall_data(436)) == kEnosys);
    CHECK(run_bpf(p, syscall_data(kX32Bit | 500)) == kProgram);
    CHECK(run_bpf(p, syscall_data(1, {}, 0x9999)) == kProgram);
}
