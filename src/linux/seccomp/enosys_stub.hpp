// A classic-BPF prologue that answers ENOSYS for syscalls newer than the
// profile, as runc's patchbpf does. libseccomp gives every syscall the
// profile does not name the default action (usually EPERM), but glibc
// falls back from clone3, openat2 or faccessat2 only on ENOSYS: a profile
// written before those syscalls existed would break them with EPERM.
// A syscall whose number is above the highest one the profile names (per
// architecture) is taken to be newer than the profile.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hull::sys::seccomp {

// The highest syscall number a profile names on one architecture of the
// filter, as seccomp_data.arch identifies it. AUDIT_ARCH_X86_64 covers two
// ABIs told apart by __X32_SYSCALL_BIT in the syscall number: `x32_max`
// is the x32 one (numbers with the bit set), `max` the x86_64 one.
struct ArchLimit {
    std::uint32_t audit_arch = 0;
    std::optional<std::uint32_t> max;
    std::optional<std::uint32_t> x32_max;  // AUDIT_ARCH_X86_64 only
};

// The prologue to put before the libseccomp program: it ends by falling
// through to the program's first instruction, and jumps only forward.
// Empty when no architecture has a limit. An architecture not listed (or
// an ABI without a limit) goes straight to the program.
std::vector<sock_filter> enosys_stub(std::span<const ArchLimit> limits);

}  // namespace hull::sys::seccomp
