// The spec's seccomp names (config-linux.md "Seccomp") and what they mean to
// libseccomp and the kernel: actions, comparison operators, architectures and
// filter flags. One table each, shared by the compiler and `features`.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hull::sys::seccomp {

struct ActionName {
    std::string_view name;    // "SCMP_ACT_ERRNO"
    std::uint32_t value;      // SECCOMP_RET_* without data
    bool takes_errno;         // ERRNO and TRACE carry errnoRet (EPERM by default)
    unsigned api_level;       // seccomp_api_get() level that brings it (seccomp_api_get(3))
};

struct OperatorName {
    std::string_view name;  // "SCMP_CMP_MASKED_EQ"
    int value;              // enum scmp_compare
};

struct ArchName {
    std::string_view name;        // "SCMP_ARCH_X86_64"
    std::string_view libseccomp;  // "x86_64", for seccomp_arch_resolve_name
};

struct FlagName {
    std::string_view name;  // "SECCOMP_FILTER_FLAG_LOG"
    unsigned bit;           // SECCOMP_FILTER_FLAG_*; 0 for TSYNC, which hull need not set
};

std::span<const ActionName> action_names();
std::span<const OperatorName> operator_names();
std::span<const ArchName> arch_names();
std::span<const FlagName> flag_names();

const ActionName* find_action(std::string_view name);
const OperatorName* find_operator(std::string_view name);
const ArchName* find_arch(std::string_view name);
const FlagName* find_flag(std::string_view name);

// The action's full value: SECCOMP_RET_ERRNO | errno for ERRNO, and so on.
// errno_ret defaults to EPERM (config-linux.md) for the actions that take one.
std::uint32_t action_value(const ActionName& action, std::optional<std::uint32_t> errno_ret);

}  // namespace hull::sys::seccomp
