#include "linux/seccomp/names.hpp"

#include <linux/seccomp.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "build_config.hpp"

#if HULL_HAVE_SECCOMP
#include <seccomp.h>
#endif

namespace hull::sys::seccomp {
namespace {

// SCMP_ACT_KILL is the thread kill, as in seccomp.h and runc.
constexpr std::array<ActionName, 9> kActions = {{
    {"SCMP_ACT_KILL", SECCOMP_RET_KILL_THREAD, false, 1},
    {"SCMP_ACT_KILL_PROCESS", SECCOMP_RET_KILL_PROCESS, false, 3},
    {"SCMP_ACT_KILL_THREAD", SECCOMP_RET_KILL_THREAD, false, 1},
    {"SCMP_ACT_TRAP", SECCOMP_RET_TRAP, false, 1},
    {"SCMP_ACT_ERRNO", SECCOMP_RET_ERRNO, true, 1},
    {"SCMP_ACT_TRACE", SECCOMP_RET_TRACE, true, 1},
    {"SCMP_ACT_ALLOW", SECCOMP_RET_ALLOW, false, 1},
    {"SCMP_ACT_LOG", SECCOMP_RET_LOG, false, 3},
    {"SCMP_ACT_NOTIFY", SECCOMP_RET_USER_NOTIF, false, 5},
}};

// enum scmp_compare's values: part of libseccomp's ABI.
constexpr std::array<OperatorName, 7> kOperators = {{
    {"SCMP_CMP_NE", 1},
    {"SCMP_CMP_LT", 2},
    {"SCMP_CMP_LE", 3},
    {"SCMP_CMP_EQ", 4},
    {"SCMP_CMP_GE", 5},
    {"SCMP_CMP_GT", 6},
    {"SCMP_CMP_MASKED_EQ", 7},
}};
#if HULL_HAVE_SECCOMP
static_assert(SCMP_CMP_NE == 1 && SCMP_CMP_EQ == 4 && SCMP_CMP_MASKED_EQ == 7);
#endif

// Every name the spec lists; the linked libseccomp may know fewer
// (2.5.4 has no loongarch64, m68k or sh).
constexpr std::array<ArchName, 23> kArchs = {{
    {"SCMP_ARCH_X86", "x86"},
    {"SCMP_ARCH_X86_64", "x86_64"},
    {"SCMP_ARCH_X32", "x32"},
    {"SCMP_ARCH_ARM", "arm"},
    {"SCMP_ARCH_AARCH64", "aarch64"},
    {"SCMP_ARCH_LOONGARCH64", "loongarch64"},
    {"SCMP_ARCH_M68K", "m68k"},
    {"SCMP_ARCH_MIPS", "mips"},
    {"SCMP_ARCH_MIPS64", "mips64"},
    {"SCMP_ARCH_MIPS64N32", "mips64n32"},
    {"SCMP_ARCH_MIPSEL", "mipsel"},
    {"SCMP_ARCH_MIPSEL64", "mipsel64"},
    {"SCMP_ARCH_MIPSEL64N32", "mipsel64n32"},
    {"SCMP_ARCH_PPC", "ppc"},
    {"SCMP_ARCH_PPC64", "ppc64"},
    {"SCMP_ARCH_PPC64LE", "ppc64le"},
    {"SCMP_ARCH_S390", "s390"},
    {"SCMP_ARCH_S390X", "s390x"},
    {"SCMP_ARCH_SH", "sh"},
    {"SCMP_ARCH_SHEB", "sheb"},
    {"SCMP_ARCH_PARISC", "parisc"},
    {"SCMP_ARCH_PARISC64", "parisc64"},
    {"SCMP_ARCH_RISCV64", "riscv64"},
}};

// TSYNC synchronises the filter across threads; the init has one thread
// when it loads the filter, so there is nothing to synchronise (runc
// accepts and ignores it too).
constexpr std::array<FlagName, 4> kFlags = {{
    {"SECCOMP_FILTER_FLAG_TSYNC", 0},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
}};

template <typename T, std::size_t N>
const T* find_by_name(const std::array<T, N>& table, std::string_view name) {
    auto it = std::find_if(table.begin(), table.end(), [&](const T& e) { return e.name == name; });
    return it == table.end() ? nullptr : &*it;
}

}  // namespace

std::span<const ActionName> action_names() { return kActions; }
std::span<const OperatorName> operator_names() { return kOperators; }
std::span<const ArchName> arch_names() { return kArchs; }
std::span<const FlagName> flag_names() { return kFlags; }

const ActionName* find_action(std::string_view name) { return find_by_name(kActions, name); }
const OperatorName* find_operator(std::string_view name) { return find_by_name(kOperators, name); }
const ArchName* find_arch(std::string_view name) { return find_by_name(kArchs, name); }
const FlagName* find_flag(std::string_view name) { return find_by_name(kFlags, name); }

std::uint32_t action_value(const ActionName& action, std::optional<std::uint32_t> errno_ret) {
    if (!action.takes_errno) return action.value;
    return action.value | (errno_ret.value_or(EPERM) & SECCOMP_RET_DATA);
}

}  // namespace hull::sys::seccomp
