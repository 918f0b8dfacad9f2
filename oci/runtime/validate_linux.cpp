// Checks of the "linux" object (config-linux.md and the schema's enums),
// except resources and seccomp (validate_resources.cpp).
#include <set>

#include "oci/runtime/validate.hpp"
#include "oci/runtime/validate_check.hpp"

namespace hull::oci {
namespace {

using check::expect_absolute;
using check::expect_one_of;
using check::fail;
using check::namespace_use;

constexpr std::array<std::string_view, 8> kNamespaces = {"pid", "network", "mount", "ipc",
                                                         "uts", "user",    "cgroup", "time"};
constexpr std::array<std::string_view, 2> kClocks = {"monotonic", "boottime"};
// config-linux.md "Rootfs Mount Propagation" and the schema list the first
// four; runc also takes the recursive forms, and configs in use carry them.
constexpr std::array<std::string_view, 8> kPropagations = {"private", "shared", "slave", "unbindable",
                                                           "rprivate", "rshared", "rslave", "runbindable"};
constexpr std::array<std::string_view, 7> kMemoryPolicyModes = {
    "MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED",
    "MPOL_PREFERRED_MANY", "MPOL_LOCAL"};
constexpr std::array<std::string_view, 3> kMemoryPolicyFlags = {"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
                                                                "MPOL_F_STATIC_NODES"};
constexpr std::array<std::string_view, 2> kPersonalities = {"LINUX", "LINUX32"};
// Sysctls that live in the IPC namespace (besides fs.mqueue.*), as runc lists them.
constexpr std::array<std::string_view, 8> kIpcSysctls = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
                                                         "kernel.sem",    "kernel.shmall", "kernel.shmmax",
                                                         "kernel.shmmni", "kernel.shm_rmid_forced"};

void validate_namespace_list(const Linux& l) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < l.namespaces.size(); ++i) {
        const auto& ns = l.namespaces[i];
        std::string path = fmt::format("linux.namespaces[{}]", i);
        expect_one_of(path + ".type", ns.type, kNamespaces);
        // config-linux.md "Namespaces": duplicated types MUST be an error.
        if (!seen.insert(ns.type).second) fail(path + ".type", fmt::format("{} is listed twice", ns.type));
        // config-linux.md: path MUST be absolute.
        if (ns.path && !ns.path->empty()) expect_absolute(path + ".path", *ns.path);
    }
}

void validate_user_mappings(const Spec& spec) {
    const Linux& l = *spec.linux;
    auto user = namespace_use(spec, "user");
    // A new user namespace without maps leaves every id unmapped (runc:
    // "user namespaces enabled, but no namespace path to join nor mappings").
    // Both are needed: with gid 0 unmapped the container cannot setgid.
    if (user.created && (l.uid_mappings.empty() || l.gid_mappings.empty())) {
        fail(l.uid_mappings.empty() ? "linux.uidMappings" : "linux.gidMappings",
             "required when a new user namespace is created");
    }
    // Joining a user namespace by path with maps is allowed: the runtime
    // checks they match the namespace's (as runc does).
    if ((!l.uid_mappings.empty() || !l.gid_mappings.empty()) && !user.listed) {
        fail(l.uid_mappings.empty() ? "linux.gidMappings" : "linux.uidMappings",
             "mappings need a user namespace in linux.namespaces");
    }
}

void validate_time_offsets(const Spec& spec) {
    const Linux& l = *spec.linux;
    // Offsets can only be written before a process enters the namespace, so
    // they need a new one (time_namespaces(7)).
    if (!l.time_offsets.empty() && !namespace_use(spec, "time").created) {
        fail("linux.timeOffsets", "needs a new time namespace in linux.namespaces");
    }
    for (const auto& [clock, offset] : l.time_offsets) {
        expect_one_of("linux.timeOffsets." + clock, clock, kClocks);
        if (offset.nanosecs && *offset.nanosecs >= 1'000'000'000) {
            fail(fmt::format("linux.timeOffsets.{}.nanosecs", clock), "expected less than 1000000000");
        }
    }
}

void validate_devices(const Linux& l) {
    for (std::size_t i = 0; i < l.devices.size(); ++i) {
        const auto& d = l.devices[i];
        std::string path = fmt::format("linux.devices[{}]", i);
        // The schema's FileType pattern ^[cbup]$.
        if (d.type.size() != 1 || std::string_view("cbup").find(d.type[0]) == std::string_view::npos) {
            fail(path + ".type", fmt::format("unknown device type {}: expected c, b, u or p", util::quote(d.type)));
        }
        expect_absolute(path + ".path", d.path);  // config-linux.md: "full path to device inside container"
        // config-linux.md: major, minor "REQUIRED unless type is p".
        if (d.type != "p" && (!d.major || !d.minor)) {
            fail(path, fmt::format("major and minor are required for a device of type {}", util::quote(d.type)));
        }
    }
}

// A name the kernel takes for a network interface (dev_valid_name()).
bool is_interface_name(std::string_view name) {
    return !name.empty() && name.size() < 16 && name != "." && name != ".." &&
           name.find_first_of("/: \t\n\r\v\f") == std::string_view::npos;
}

void validate_net_devices(const Spec& spec) {
    const Linux& l = *spec.linux;
    if (l.net_devices.empty()) return;
    // Moving a device into the runtime's own network namespace means
    // nothing; runc: "unable to move network devices without a private NET namespace".
    if (!namespace_use(spec, "network").listed) {
        fail("linux.netDevices", "moving network devices needs a network namespace in linux.namespaces");
    }
    for (const auto& [name, dev] : l.net_devices) {
        std::string path = "linux.netDevices." + name;
        if (!is_interface_name(name)) fail(path, fmt::format("{} is not a network interface name", util::quote(name)));
        if (dev.name && !is_interface_name(*dev.name)) {
            fail(path + ".name", fmt::format("{} is not a network interface name", util::quote(*dev.name)));
        }
    }
}

// runc's rule: a sysctl may only be set when it belongs to a namespace the
// container does not share with the host; anything else would change the host.
void validate_sysctl_key(const Spec& spec, std::string key) {
    std::string path = "linux.sysctl." + key;
    if (key.empty()) fail("linux.sysctl", "a key is the empty string");
    for (char& c : key) c = c == '/' ? '.' : c;  // net/ipv4/ip_forward is net.ipv4.ip_forward
    if (check::one_of(key, kIpcSysctls) || key.starts_with("fs.mqueue.")) {
        if (namespace_use(spec, "ipc").listed) return;
        fail(path, "an IPC sysctl needs an ipc namespace in linux.namespaces");
    }
    if (key.starts_with("net.")) {
        if (namespace_use(spec, "network").listed) return;
        fail(path, "a network sysctl needs a network namespace in linux.namespaces");
    }
    if (key == "kernel.hostname") fail(path, "set the hostname with the hostname field instead");
    if (key == "kernel.domainname") {
        if (namespace_use(spec, "uts").listed) return;
        fail(path, "needs a uts namespace in linux.namespaces");
    }
    fail(path, "this sysctl is not namespaced: setting it would change the host");
}

void validate_memory_policy(const MemoryPolicy& m) {
    expect_one_of("linux.memoryPolicy.mode", m.mode, kMemoryPolicyModes);
    if (m.flags) {
        for (std::size_t i = 0; i < m.flags->size(); ++i) {
            expect_one_of(fmt::format("linux.memoryPolicy.flags[{}]", i), (*m.flags)[i], kMemoryPolicyFlags);
        }
    }
    bool has_nodes = m.nodes && !m.nodes->empty();
    if (has_nodes && m.nodes->find_first_not_of("0123456789,-") != std::string::npos) {
        fail("linux.memoryPolicy.nodes", fmt::format("{} is not a node list such as 0-3,7", util::quote(*m.nodes)));
    }
    // config-linux.md "Memory policy" and set_mempolicy(2): DEFAULT and LOCAL
    // take no nodes; BIND, INTERLEAVE and the like need at least one.
    if (has_nodes && (m.mode == "MPOL_DEFAULT" || m.mode == "MPOL_LOCAL")) {
        fail("linux.memoryPolicy.nodes", fmt::format("{} takes no nodes", m.mode));
    }
    if (!has_nodes && m.mode != "MPOL_DEFAULT" && m.mode != "MPOL_LOCAL" && m.mode != "MPOL_PREFERRED") {
        fail("linux.memoryPolicy.nodes", fmt::format("{} needs at least one node", m.mode));
    }
}

void validate_intel_rdt(const IntelRdt& rdt) {
    // config-linux.md "IntelRdt": memBwSchema MUST start with MB: and, like
    // l3CacheSchema and schemata lines, MUST NOT contain newlines.
    auto no_newline = [](std::string_view path, const std::string& v) {
        if (v.find('\n') != std::string::npos) fail(path, "must not contain a newline");
    };
    if (rdt.mem_bw_schema) {
        if (!rdt.mem_bw_schema->starts_with("MB:")) {
            fail("linux.intelRdt.memBwSchema", "expected a value starting with \"MB:\"");
        }
        no_newline("linux.intelRdt.memBwSchema", *rdt.mem_bw_schema);
    }
    if (rdt.l3_cache_schema) no_newline("linux.intelRdt.l3CacheSchema", *rdt.l3_cache_schema);
    if (rdt.schemata) {
        for (std::size_t i = 0; i < rdt.schemata->size(); ++i) {
            no_newline(fmt::format("linux.intelRdt.schemata[{}]", i), (*rdt.schemata)[i]);
        }
    }
}

void validate_path_list(std::string_view field, const std::vector<std::string>& paths) {
    // config-linux.md "Masked Paths", "Readonly Paths": MUST be absolute.
    for (std::size_t i = 0; i < paths.size(); ++i) expect_absolute(fmt::format("linux.{}[{}]", field, i), paths[i]);
}

void validate_uts(const Spec& spec) {
    // runc refuses a hostname or domainname it could only set by changing
    // the host's ("unable to set hostname without a private UTS namespace");
    // a uts namespace joined by path is the container's own, so it counts.
    bool uts = namespace_use(spec, "uts").listed;
    if (spec.hostname && !spec.hostname->empty() && !uts) {
        fail("hostname", "setting a hostname needs a uts namespace in linux.namespaces");
    }
    if (spec.domainname && !spec.domainname->empty() && !uts) {
        fail("domainname", "setting a domainname needs a uts namespace in linux.namespaces");
    }
}

// Without a mount namespace of its own the container shares the caller's:
// every mount, remount and propagation change would act on the host's
// table (a pivot_root there once replaced the caller's root). runc refuses
// masked and read-only paths ("unable to restrict sys entries without a
// private MNT namespace") but mounts the rest into the caller's namespace;
// hull refuses everything that would need a mount and only chroots.
void validate_without_mount_namespace(const Spec& spec) {
    if (namespace_use(spec, "mount").listed) return;
    constexpr std::string_view kWhy = "needs a mount namespace in linux.namespaces";
    if (!spec.mounts.empty()) {
        fail("mounts", fmt::format("{}: without one the mounts would be made in the caller's", kWhy));
    }
    if (spec.root && spec.root->readonly.value_or(false)) fail("root.readonly", kWhy);
    if (!spec.linux) return;
    const Linux& l = *spec.linux;
    if (!l.masked_paths.empty()) fail("linux.maskedPaths", kWhy);
    if (!l.readonly_paths.empty()) fail("linux.readonlyPaths", kWhy);
    if (!l.devices.empty()) fail("linux.devices", kWhy);
    if (l.rootfs_propagation) fail("linux.rootfsPropagation", kWhy);
    // Written through the container's own /proc, which only a mount makes.
    if (!l.sysctl.empty()) fail("linux.sysctl", kWhy);
}

}  // namespace

void detail::validate_linux(const Spec& spec) {
    if (spec.linux) validate_namespace_list(*spec.linux);
    validate_uts(spec);
    if (!spec.linux) {
        validate_without_mount_namespace(spec);
        return;
    }
    const Linux& l = *spec.linux;
    validate_user_mappings(spec);
    validate_time_offsets(spec);
    validate_devices(l);
    validate_net_devices(spec);
    for (const auto& [key, value] : l.sysctl) validate_sysctl_key(spec, key);
    if (l.resources) detail::validate_resources(*l.resources);
    if (l.seccomp) validate_seccomp(*l.seccomp);
    if (l.rootfs_propagation) expect_one_of("linux.rootfsPropagation", *l.rootfs_propagation, kPropagations);
    if (l.personality) expect_one_of("linux.personality.domain", l.personality->domain, kPersonalities);
    if (l.memory_policy) validate_memory_policy(*l.memory_policy);
    if (l.intel_rdt) validate_intel_rdt(*l.intel_rdt);
    validate_path_list("maskedPaths", l.masked_paths);
    validate_path_list("readonlyPaths", l.readonly_paths);
    validate_without_mount_namespace(spec);
}

}  // namespace hull::oci
