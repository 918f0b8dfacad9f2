// The "linux" object of config.json (config-linux.md) → Linux.
#include "oci/runtime/fields.hpp"
#include "oci/runtime/spec.hpp"
#include "oci/runtime/spec_io.hpp"

namespace hull::oci {

using namespace fields;

namespace {

Namespace parse_namespace(const Reader& r) {
    ObjectReader o(r);
    Namespace n;
    n.type = o.required("type").string();
    n.path = opt_string(o, "path");
    n.extra = o.rest();
    return n;
}

TimeOffset parse_time_offset(const Reader& r) {
    ObjectReader o(r);
    TimeOffset t;
    t.secs = opt_int<std::int64_t>(o, "secs");
    t.nanosecs = opt_int<std::uint32_t>(o, "nanosecs");
    t.extra = o.rest();
    return t;
}

Device parse_device(const Reader& r) {
    ObjectReader o(r);
    Device d;
    d.type = o.required("type").string();
    d.path = o.required("path").string();
    d.major = opt_int<std::int64_t>(o, "major");
    d.minor = opt_int<std::int64_t>(o, "minor");
    d.file_mode = opt_int<std::uint32_t>(o, "fileMode");
    d.uid = opt_int<std::uint32_t>(o, "uid");
    d.gid = opt_int<std::uint32_t>(o, "gid");
    d.extra = o.rest();
    return d;
}

NetDevice parse_net_device(const Reader& r) {
    ObjectReader o(r);
    NetDevice n;
    n.name = opt_string(o, "name");
    n.extra = o.rest();
    return n;
}

IntelRdt parse_intel_rdt(const Reader& r) {
    ObjectReader o(r);
    IntelRdt i;
    i.clos_id = opt_string(o, "closID");
    i.l3_cache_schema = opt_string(o, "l3CacheSchema");
    i.mem_bw_schema = opt_string(o, "memBwSchema");
    i.schemata = opt_strings(o, "schemata");
    i.enable_monitoring = opt_bool(o, "enableMonitoring");
    i.extra = o.rest();
    return i;
}

MemoryPolicy parse_memory_policy(const Reader& r) {
    ObjectReader o(r);
    MemoryPolicy m;
    m.mode = o.required("mode").string();
    m.nodes = opt_string(o, "nodes");
    m.flags = opt_strings(o, "flags");
    m.extra = o.rest();
    return m;
}

SeccompArg parse_seccomp_arg(const Reader& r) {
    ObjectReader o(r);
    SeccompArg a;
    a.index = o.required("index").integer<std::uint32_t>();
    a.value = o.required("value").u64();
    a.value_two = opt_int<std::uint64_t>(o, "valueTwo");
    a.op = o.required("op").string();
    a.extra = o.rest();
    return a;
}

SeccompSyscall parse_seccomp_syscall(const Reader& r) {
    ObjectReader o(r);
    SeccompSyscall s;
    s.names = o.required("names").strings();
    s.action = o.required("action").string();
    s.errno_ret = opt_int<std::uint32_t>(o, "errnoRet");
    s.args = array<SeccompArg>(o, "args", parse_seccomp_arg);
    s.extra = o.rest();
    return s;
}

Seccomp parse_seccomp(const Reader& r) {
    ObjectReader o(r);
    Seccomp s;
    s.default_action = o.required("defaultAction").string();
    s.default_errno_ret = opt_int<std::uint32_t>(o, "defaultErrnoRet");
    s.architectures = opt_strings(o, "architectures");
    s.flags = opt_strings(o, "flags");
    s.listener_path = opt_string(o, "listenerPath");
    s.listener_metadata = opt_string(o, "listenerMetadata");
    s.syscalls = array<SeccompSyscall>(o, "syscalls", parse_seccomp_syscall);
    s.extra = o.rest();
    return s;
}

Personality parse_personality(const Reader& r) {
    ObjectReader o(r);
    Personality p;
    p.domain = o.required("domain").string();
    p.flags = opt_strings(o, "flags");
    p.extra = o.rest();
    return p;
}

}  // namespace

Linux detail::parse_linux(const Reader& r) {
    ObjectReader o(r);
    Linux l;
    l.namespaces = array<Namespace>(o, "namespaces", parse_namespace);
    l.uid_mappings = array<IdMapping>(o, "uidMappings", detail::parse_id_mapping);
    l.gid_mappings = array<IdMapping>(o, "gidMappings", detail::parse_id_mapping);
    l.time_offsets = map<TimeOffset>(o, "timeOffsets", parse_time_offset);
    l.devices = array<Device>(o, "devices", parse_device);
    l.net_devices = map<NetDevice>(o, "netDevices", parse_net_device);
    l.cgroups_path = opt_string(o, "cgroupsPath");
    l.resources = opt_object<Resources>(o, "resources", parse_resources);
    l.intel_rdt = opt_object<IntelRdt>(o, "intelRdt", parse_intel_rdt);
    l.memory_policy = opt_object<MemoryPolicy>(o, "memoryPolicy", parse_memory_policy);
    l.sysctl = string_map(o, "sysctl");
    l.seccomp = opt_object<Seccomp>(o, "seccomp", parse_seccomp);
    l.rootfs_propagation = opt_string(o, "rootfsPropagation");
    l.masked_paths = strings(o, "maskedPaths");
    l.readonly_paths = strings(o, "readonlyPaths");
    l.mount_label = opt_string(o, "mountLabel");
    l.personality = opt_object<Personality>(o, "personality", parse_personality);
    l.extra = o.rest();
    return l;
}

}  // namespace hull::oci
