// Checks of the "linux" object (config-linux.md and the schema's enums).
#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "oci/runtime/validate.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::oci {
namespace {

[[noreturn]] void fail(std::string_view path, std::string_view message) {
    throw_error("config.json: {}: {}", path, message);
}

template <std::size_t N>
void expect_one_of(std::string_view path, std::string_view value, const std::array<std::string_view, N>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    fail(path, fmt::format("unknown value {}: expected one of {}", util::quote(value), list));
}

constexpr std::array<std::string_view, 8> kNamespaces = {"pid", "network", "mount", "ipc",
                                                         "uts", "user",    "cgroup", "time"};
constexpr std::array<std::string_view, 8> kPropagations = {"private", "shared", "slave", "unbindable",
                                                           "rprivate", "rshared", "rslave", "runbindable"};
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
constexpr std::array<std::string_view, 7> kMemoryPolicyModes = {
    "MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED",
    "MPOL_PREFERRED_MANY", "MPOL_LOCAL"};
constexpr std::array<std::string_view, 3> kMemoryPolicyFlags = {"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
                                                                "MPOL_F_STATIC_NODES"};
constexpr std::array<std::string_view, 2> kPersonalities = {"LINUX", "LINUX32"};
constexpr std::array<std::string_view, 2> kClocks = {"monotonic", "boottime"};

// Returns whether a namespace of `type` is listed and whether it is created (no path).
struct NamespaceUse {
    bool listed = false;
    bool created = false;
};

NamespaceUse namespace_use(const Linux& l, std::string_view type) {
    for (const auto& ns : l.namespaces) {
        if (ns.type == type) return {true, !ns.path || ns.path->empty()};
    }
    return {};
}

void validate_namespaces(const Linux& l) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < l.namespaces.size(); ++i) {
        const auto& ns = l.namespaces[i];
        std::string path = fmt::format("linux.namespaces[{}]", i);
        expect_one_of(path + ".type", ns.type, kNamespaces);
        // config-linux.md "Namespaces": duplicated types MUST be an error.
        if (!seen.insert(ns.type).second) fail(path + ".type", fmt::format("{} is listed twice", ns.type));
        if (ns.path && !ns.path->empty() && (*ns.path)[0] != '/') {
            fail(path + ".path", fmt::format("{} is not an absolute path", util::quote(*ns.path)));
        }
    }
    NamespaceUse user = namespace_use(l, "user");
    bool mapped = !l.uid_mappings.empty() || !l.gid_mappings.empty();
    // config-linux.md "User namespace mappings": a new user namespace needs both maps.
    if (user.created && (l.uid_mappings.empty() || l.gid_mappings.empty())) {
        fail(l.uid_mappings.empty() ? "linux.uidMappings" : "linux.gidMappings",
             "required when a new user namespace is created");
    }
    if (mapped && !user.created) {
        fail("linux.uidMappings", "mappings need a new user namespace in linux.namespaces");
    }
    if (!l.time_offsets.empty() && !namespace_use(l, "time").created) {
        fail("linux.timeOffsets", "needs a new time namespace in linux.namespaces");
    }
    for (const auto& [clock, offset] : l.time_offsets) {
        expect_one_of("linux.timeOffsets", clock, kClocks);
        (void)offset;
    }
}

void validate_devices(const Linux& l) {
    for (std::size_t i = 0; i < l.devices.size(); ++i) {
        const auto& d = l.devices[i];
        std::string path = fmt::format("linux.devices[{}]", i);
        if (d.type.size() != 1 || std::string_view("cbup").find(d.type[0]) == std::string_view::npos) {
            fail(path + ".type", fmt::format("unknown device type {}: expected c, b, u or p", util::quote(d.type)));
        }
        if (d.path.empty() || d.path[0] != '/') {
            fail(path + ".path", fmt::format("{} is not an absolute path", util::quote(d.path)));
        }
        if (d.type != "p" && (!d.major || !d.minor)) fail(path, "major and minor are required for this device type");
    }
}

void validate_resources(const Resources& r) {
    for (std::size_t i = 0; i < r.hugepage_limits.size(); ++i) {
        // The schema's pattern ^[1-9][0-9]*[KMG]B$ (e.g. "2MB").
        const std::string& size = r.hugepage_limits[i].page_size;
        bool ok = size.size() >= 3 && size[0] >= '1' && size[0] <= '9' && size.ends_with("B") &&
                  std::string_view("KMG").find(size[size.size() - 2]) != std::string_view::npos &&
                  size.substr(0, size.size() - 2).find_first_not_of("0123456789") == std::string::npos;
        if (!ok) {
            fail(fmt::format("linux.resources.hugepageLimits[{}].pageSize", i),
                 fmt::format("{} is not a page size such as 2MB or 1GB", util::quote(size)));
        }
    }
    for (std::size_t i = 0; i < r.devices.size(); ++i) {
        const auto& d = r.devices[i];
        if (d.type && *d.type != "a" && *d.type != "b" && *d.type != "c") {
            fail(fmt::format("linux.resources.devices[{}].type", i),
                 fmt::format("unknown device type {}: expected a, b or c", util::quote(*d.type)));
        }
        if (d.access && d.access->find_first_not_of("rwm") != std::string::npos) {
            fail(fmt::format("linux.resources.devices[{}].access", i),
                 fmt::format("{} is not made of r, w and m", util::quote(*d.access)));
        }
    }
    for (const auto& [name, rdma] : r.rdma) {
        if (!rdma.hca_handles && !rdma.hca_objects) {
            fail(fmt::format("linux.resources.rdma.{}", name), "expected hcaHandles or hcaObjects");
        }
    }
}

void validate_seccomp(const Seccomp& s) {
    expect_one_of("linux.seccomp.defaultAction", s.default_action, kSeccompActions);
    bool notify = s.default_action == "SCMP_ACT_NOTIFY";
    if (s.architectures) {
        for (std::size_t i = 0; i < s.architectures->size(); ++i) {
            expect_one_of(fmt::format("linux.seccomp.architectures[{}]", i), (*s.architectures)[i], kSeccompArchs);
        }
    }
    if (s.flags) {
        for (std::size_t i = 0; i < s.flags->size(); ++i) {
            expect_one_of(fmt::format("linux.seccomp.flags[{}]", i), (*s.flags)[i], kSeccompFlags);
        }
    }
    for (std::size_t i = 0; i < s.syscalls.size(); ++i) {
        const auto& sc = s.syscalls[i];
        std::string path = fmt::format("linux.seccomp.syscalls[{}]", i);
        if (sc.names.empty()) fail(path + ".names", "expected at least one syscall name");
        expect_one_of(path + ".action", sc.action, kSeccompActions);
        notify = notify || sc.action == "SCMP_ACT_NOTIFY";
        for (std::size_t j = 0; j < sc.args.size(); ++j) {
            expect_one_of(fmt::format("{}.args[{}].op", path, j), sc.args[j].op, kSeccompOperators);
            if (sc.args[j].index > 5) fail(fmt::format("{}.args[{}].index", path, j), "expected 0..5");
        }
    }
    // config-linux.md "Seccomp": SCMP_ACT_NOTIFY needs a listener to hand the fd to.
    if (notify && (!s.listener_path || s.listener_path->empty())) {
        fail("linux.seccomp.listenerPath", "required when an action is SCMP_ACT_NOTIFY");
    }
}

void validate_misc(const Spec& spec, const Linux& l) {
    if (l.rootfs_propagation) expect_one_of("linux.rootfsPropagation", *l.rootfs_propagation, kPropagations);
    for (const auto& [key, value] : l.sysctl) {
        if (key.empty()) fail("linux.sysctl", "a key is empty");
        (void)value;
    }
    if (l.personality) expect_one_of("linux.personality.domain", l.personality->domain, kPersonalities);
    if (l.memory_policy) {
        expect_one_of("linux.memoryPolicy.mode", l.memory_policy->mode, kMemoryPolicyModes);
        if (l.memory_policy->flags) {
            for (const auto& f : *l.memory_policy->flags) expect_one_of("linux.memoryPolicy.flags", f, kMemoryPolicyFlags);
        }
    }
    if (l.intel_rdt && l.intel_rdt->mem_bw_schema && !l.intel_rdt->mem_bw_schema->starts_with("MB:")) {
        fail("linux.intelRdt.memBwSchema", "expected a value starting with \"MB:\"");
    }
    // runc refuses a hostname it cannot set without changing the host's.
    if (spec.hostname && !spec.hostname->empty() && !namespace_use(l, "uts").listed) {
        fail("hostname", "setting a hostname needs a uts namespace in linux.namespaces");
    }
    for (std::size_t i = 0; i < l.masked_paths.size(); ++i) {
        if (l.masked_paths[i].empty() || l.masked_paths[i][0] != '/') {
            fail(fmt::format("linux.maskedPaths[{}]", i), "expected an absolute path");
        }
    }
    for (std::size_t i = 0; i < l.readonly_paths.size(); ++i) {
        if (l.readonly_paths[i].empty() || l.readonly_paths[i][0] != '/') {
            fail(fmt::format("linux.readonlyPaths[{}]", i), "expected an absolute path");
        }
    }
}

}  // namespace

void validate_linux(const Spec& spec) {
    if (!spec.linux) {
        if (spec.hostname && !spec.hostname->empty()) fail("hostname", "setting a hostname needs a uts namespace");
        return;
    }
    const Linux& l = *spec.linux;
    validate_namespaces(l);
    validate_devices(l);
    if (l.resources) validate_resources(*l.resources);
    if (l.seccomp) validate_seccomp(*l.seccomp);
    validate_misc(spec, l);
}

}  // namespace hull::oci
