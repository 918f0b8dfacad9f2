// Checks of linux.resources (config-linux.md "Control groups") and
// linux.seccomp (config-linux.md "Seccomp"), with the schema's enums.
#include <limits>

#include "oci/runtime/validate_check.hpp"

namespace hull::oci {
namespace {

using check::expect_one_of;
using check::fail;

constexpr std::array<std::string_view, 9> kSeccompActions = {
    "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
    "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"};
constexpr std::array<std::string_view, 7> kSeccompOperators = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
                                                               "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
                                                               "SCMP_CMP_MASKED_EQ"};
constexpr std::array<std::string_view, 4> kSeccompFlags = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                                           "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                                           "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
constexpr std::array<std::string_view, 23> kSeccompArchs = {
    "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
    "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
    "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64"};

// The schema's pattern ^[1-9][0-9]*[KMG]B$ (e.g. "2MB", "1GB").
bool is_page_size(std::string_view size) {
    if (size.size() < 3 || !size.ends_with('B')) return false;
    if (std::string_view("KMG").find(size[size.size() - 2]) == std::string_view::npos) return false;
    std::string_view digits = size.substr(0, size.size() - 2);
    return digits[0] != '0' && digits.find_first_not_of("0123456789") == std::string_view::npos;
}

void validate_device_rules(const std::vector<DeviceRule>& rules) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const auto& d = rules[i];
        std::string path = fmt::format("linux.resources.devices[{}]", i);
        // config-linux.md "Device allowlist": type a (all), c or b; access of r, w, m.
        if (d.type && *d.type != "a" && *d.type != "b" && *d.type != "c") {
            fail(path + ".type", fmt::format("unknown device type {}: expected a, b or c", util::quote(*d.type)));
        }
        if (d.access && d.access->find_first_not_of("rwm") != std::string::npos) {
            fail(path + ".access", fmt::format("{} is not made of r, w and m", util::quote(*d.access)));
        }
    }
}

void validate_block_io(const BlockIo& b) {
    for (std::size_t i = 0; i < b.weight_device.size(); ++i) {
        // config-linux.md "Block IO": at least one of weight or leafWeight per entry.
        if (!b.weight_device[i].weight && !b.weight_device[i].leaf_weight) {
            fail(fmt::format("linux.resources.blockIO.weightDevice[{}]", i), "expected weight or leafWeight");
        }
    }
}

void validate_cpu(const Cpu& c) {
    // config-linux.md "CPU": a positive quota MUST be no smaller than burst.
    if (c.quota && *c.quota > 0 && c.burst && *c.burst > static_cast<std::uint64_t>(*c.quota)) {
        fail("linux.resources.cpu.burst", fmt::format("{} is larger than the quota {}", *c.burst, *c.quota));
    }
}

// The kernel caps a returned errno at MAX_ERRNO (4095) and libseccomp keeps
// only 16 bits: 65536 would become 0, a faked success. libseccomp refuses
// MAX_ERRNO itself (an ERRNO action must be below it), so 4094 is the
// largest that compiles.
constexpr std::uint32_t kMaxErrno = 4094;

void validate_errno_ret(std::string_view path, std::optional<std::uint32_t> errno_ret) {
    if (errno_ret && *errno_ret > kMaxErrno) {
        fail(path, fmt::format("{} is not an errno: expected at most {}", *errno_ret, kMaxErrno));
    }
}

void validate_seccomp_rule(const SeccompSyscall& sc, const std::string& path) {
    // config-linux.md "Seccomp": names MUST contain at least one entry.
    if (sc.names.empty()) fail(path + ".names", "expected at least one syscall name");
    expect_one_of(path + ".action", sc.action, kSeccompActions);
    // config-linux.md: an errno for an action that returns none MUST fail.
    if (sc.errno_ret && sc.action != "SCMP_ACT_ERRNO" && sc.action != "SCMP_ACT_TRACE") {
        fail(path + ".errnoRet",
             fmt::format("{} returns no errno: expected SCMP_ACT_ERRNO or SCMP_ACT_TRACE", sc.action));
    }
    validate_errno_ret(path + ".errnoRet", sc.errno_ret);
    for (std::size_t j = 0; j < sc.args.size(); ++j) {
        std::string arg = fmt::format("{}.args[{}]", path, j);
        expect_one_of(arg + ".op", sc.args[j].op, kSeccompOperators);
        if (sc.args[j].index > 5) {
            fail(arg + ".index", fmt::format("{} is outside 0..5 (a syscall has six arguments)", sc.args[j].index));
        }
    }
}

template <std::size_t N>
void expect_each_one_of(std::string_view path, const std::optional<std::vector<std::string>>& values,
                        const std::array<std::string_view, N>& allowed) {
    if (!values) return;
    for (std::size_t i = 0; i < values->size(); ++i) {
        expect_one_of(fmt::format("{}[{}]", path, i), (*values)[i], allowed);
    }
}

}  // namespace

void detail::validate_resources(const Resources& r) {
    validate_device_rules(r.devices);
    for (std::size_t i = 0; i < r.hugepage_limits.size(); ++i) {
        const std::string& size = r.hugepage_limits[i].page_size;
        if (!is_page_size(size)) {
            fail(fmt::format("linux.resources.hugepageLimits[{}].pageSize", i),
                 fmt::format("{} is not a page size such as 2MB or 1GB", util::quote(size)));
        }
    }
    // The schema makes pids.limit required (Pids::limit is optional for `update`).
    if (r.pids && !r.pids->limit) fail("linux.resources.pids", "missing required field \"limit\"");
    if (r.block_io) validate_block_io(*r.block_io);
    if (r.cpu) validate_cpu(*r.cpu);
    // Checked here, before anything is made, not when the file is written
    // after the clone. 2^64-1 is Go's -1: unset, as runc reads it.
    if (r.memory && r.memory->swappiness && *r.memory->swappiness > 100 &&
        *r.memory->swappiness != std::numeric_limits<std::uint64_t>::max()) {
        fail("linux.resources.memory.swappiness", fmt::format("{} is outside 0..100", *r.memory->swappiness));
    }
    for (const auto& [name, rdma] : r.rdma) {
        // config-linux.md "RDMA": at least one of hcaHandles or hcaObjects.
        if (!rdma.hca_handles && !rdma.hca_objects) {
            fail("linux.resources.rdma." + name, "expected hcaHandles or hcaObjects");
        }
    }
}

void detail::validate_seccomp(const Seccomp& s) {
    expect_one_of("linux.seccomp.defaultAction", s.default_action, kSeccompActions);
    if (s.default_errno_ret && s.default_action != "SCMP_ACT_ERRNO" && s.default_action != "SCMP_ACT_TRACE") {
        fail("linux.seccomp.defaultErrnoRet",
             fmt::format("{} returns no errno: expected SCMP_ACT_ERRNO or SCMP_ACT_TRACE", s.default_action));
    }
    validate_errno_ret("linux.seccomp.defaultErrnoRet", s.default_errno_ret);
    expect_each_one_of("linux.seccomp.architectures", s.architectures, kSeccompArchs);
    expect_each_one_of("linux.seccomp.flags", s.flags, kSeccompFlags);
    bool notify = s.default_action == "SCMP_ACT_NOTIFY";
    for (std::size_t i = 0; i < s.syscalls.size(); ++i) {
        validate_seccomp_rule(s.syscalls[i], fmt::format("linux.seccomp.syscalls[{}]", i));
        notify = notify || s.syscalls[i].action == "SCMP_ACT_NOTIFY";
    }
    bool listener = s.listener_path && !s.listener_path->empty();
    // config-linux.md "Seccomp": SCMP_ACT_NOTIFY hands the fd to listenerPath.
    if (notify && !listener) fail("linux.seccomp.listenerPath", "required when an action is SCMP_ACT_NOTIFY");
    // config-linux.md: listenerMetadata MUST NOT be set without listenerPath.
    if (s.listener_metadata && !listener) fail("linux.seccomp.listenerMetadata", "set without listenerPath");
}

}  // namespace hull::oci
