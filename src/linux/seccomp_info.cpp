#include "linux/seccomp_info.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

#include "build_config.hpp"

#if HULL_HAVE_SECCOMP
#include <seccomp.h>
#endif

namespace hull::sys {
namespace {

struct Versioned {
    std::string_view name;
    unsigned api_level;  // seccomp_api_get() level that brings it (seccomp_api_get(3))
};

constexpr std::array<Versioned, 9> kActions = {{
    {"SCMP_ACT_KILL", 1}, {"SCMP_ACT_KILL_PROCESS", 3}, {"SCMP_ACT_KILL_THREAD", 1},
    {"SCMP_ACT_TRAP", 1}, {"SCMP_ACT_ERRNO", 1},        {"SCMP_ACT_TRACE", 1},
    {"SCMP_ACT_ALLOW", 1}, {"SCMP_ACT_LOG", 3},         {"SCMP_ACT_NOTIFY", 5},
}};

constexpr std::array<std::string_view, 7> kOperators = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                                                        "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"};

// The spec's arch names (config-linux.md "Seccomp") and libseccomp's names for them.
struct ArchName {
    std::string_view spec;
    std::string_view libseccomp;
};
constexpr std::array<ArchName, 19> kArchs = {{
    {"SCMP_ARCH_X86", "x86"},         {"SCMP_ARCH_X86_64", "x86_64"},     {"SCMP_ARCH_X32", "x32"},
    {"SCMP_ARCH_ARM", "arm"},         {"SCMP_ARCH_AARCH64", "aarch64"},   {"SCMP_ARCH_MIPS", "mips"},
    {"SCMP_ARCH_MIPS64", "mips64"},   {"SCMP_ARCH_MIPS64N32", "mips64n32"}, {"SCMP_ARCH_MIPSEL", "mipsel"},
    {"SCMP_ARCH_MIPSEL64", "mipsel64"}, {"SCMP_ARCH_MIPSEL64N32", "mipsel64n32"}, {"SCMP_ARCH_PPC", "ppc"},
    {"SCMP_ARCH_PPC64", "ppc64"},     {"SCMP_ARCH_PPC64LE", "ppc64le"},   {"SCMP_ARCH_S390", "s390"},
    {"SCMP_ARCH_S390X", "s390x"},     {"SCMP_ARCH_PARISC", "parisc"},     {"SCMP_ARCH_PARISC64", "parisc64"},
    {"SCMP_ARCH_RISCV64", "riscv64"},
}};

constexpr std::array<Versioned, 3> kFlags = {{
    {"SECCOMP_FILTER_FLAG_LOG", 3},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 7},
}};

}  // namespace

SeccompSupport seccomp_support() {
    SeccompSupport out;
#if HULL_HAVE_SECCOMP
    const scmp_version* v = seccomp_version();
    unsigned api = seccomp_api_get();
    out.available = true;
    out.version = fmt::format("{}.{}.{}", v->major, v->minor, v->micro);
    for (const auto& a : kActions) {
        if (api >= a.api_level) out.actions.emplace_back(a.name);
    }
    for (auto op : kOperators) out.operators.emplace_back(op);
    for (const auto& arch : kArchs) {
        if (seccomp_arch_resolve_name(std::string(arch.libseccomp).c_str()) != 0) out.archs.emplace_back(arch.spec);
    }
    for (const auto& f : kFlags) {
        out.known_flags.emplace_back(f.name);
        if (api >= f.api_level) out.supported_flags.emplace_back(f.name);
    }
#endif
    return out;
}

}  // namespace hull::sys
