#include "oci/runtime/features.hpp"

#include "oci/runtime/fields.hpp"

namespace hull::oci {

using namespace fields;

namespace {

EnabledFeature parse_enabled(const Reader& r) {
    ObjectReader o(r);
    EnabledFeature f;
    f.enabled = opt_bool(o, "enabled");
    f.extra = o.rest();
    return f;
}

void write_enabled(Writer& w, const EnabledFeature& f) {
    w.begin_object();
    put(w, "enabled", f.enabled);
    w.members(f.extra).end_object();
}

CgroupFeatures parse_cgroup(const Reader& r) {
    ObjectReader o(r);
    CgroupFeatures c;
    c.v1 = opt_bool(o, "v1");
    c.v2 = opt_bool(o, "v2");
    c.systemd = opt_bool(o, "systemd");
    c.systemd_user = opt_bool(o, "systemdUser");
    c.rdma = opt_bool(o, "rdma");
    c.extra = o.rest();
    return c;
}

void write_cgroup(Writer& w, const CgroupFeatures& c) {
    w.begin_object();
    put(w, "v1", c.v1);
    put(w, "v2", c.v2);
    put(w, "systemd", c.systemd);
    put(w, "systemdUser", c.systemd_user);
    put(w, "rdma", c.rdma);
    w.members(c.extra).end_object();
}

SeccompFeatures parse_seccomp(const Reader& r) {
    ObjectReader o(r);
    SeccompFeatures s;
    s.enabled = opt_bool(o, "enabled");
    s.actions = opt_strings(o, "actions");
    s.operators = opt_strings(o, "operators");
    s.archs = opt_strings(o, "archs");
    s.known_flags = opt_strings(o, "knownFlags");
    s.supported_flags = opt_strings(o, "supportedFlags");
    s.extra = o.rest();
    return s;
}

void write_seccomp(Writer& w, const SeccompFeatures& s) {
    w.begin_object();
    put(w, "enabled", s.enabled);
    put(w, "actions", s.actions);
    put(w, "operators", s.operators);
    put(w, "archs", s.archs);
    put(w, "knownFlags", s.known_flags);
    put(w, "supportedFlags", s.supported_flags);
    w.members(s.extra).end_object();
}

IntelRdtFeatures parse_intel_rdt(const Reader& r) {
    ObjectReader o(r);
    IntelRdtFeatures i;
    i.enabled = opt_bool(o, "enabled");
    i.schemata = opt_bool(o, "schemata");
    i.monitoring = opt_bool(o, "monitoring");
    i.extra = o.rest();
    return i;
}

void write_intel_rdt(Writer& w, const IntelRdtFeatures& i) {
    w.begin_object();
    put(w, "enabled", i.enabled);
    put(w, "schemata", i.schemata);
    put(w, "monitoring", i.monitoring);
    w.members(i.extra).end_object();
}

MemoryPolicyFeatures parse_memory_policy(const Reader& r) {
    ObjectReader o(r);
    MemoryPolicyFeatures m;
    m.modes = opt_strings(o, "modes");
    m.flags = opt_strings(o, "flags");
    m.extra = o.rest();
    return m;
}

void write_memory_policy(Writer& w, const MemoryPolicyFeatures& m) {
    w.begin_object();
    put(w, "modes", m.modes);
    put(w, "flags", m.flags);
    w.members(m.extra).end_object();
}

MountExtensionsFeatures parse_mount_extensions(const Reader& r) {
    ObjectReader o(r);
    MountExtensionsFeatures m;
    m.idmap = opt_object<EnabledFeature>(o, "idmap", parse_enabled);
    m.extra = o.rest();
    return m;
}

void write_mount_extensions(Writer& w, const MountExtensionsFeatures& m) {
    w.begin_object();
    put_object(w, "idmap", m.idmap, write_enabled);
    w.members(m.extra).end_object();
}

LinuxFeatures parse_linux(const Reader& r) {
    ObjectReader o(r);
    LinuxFeatures l;
    l.namespaces = opt_strings(o, "namespaces");
    l.capabilities = opt_strings(o, "capabilities");
    l.cgroup = opt_object<CgroupFeatures>(o, "cgroup", parse_cgroup);
    l.seccomp = opt_object<SeccompFeatures>(o, "seccomp", parse_seccomp);
    l.apparmor = opt_object<EnabledFeature>(o, "apparmor", parse_enabled);
    l.selinux = opt_object<EnabledFeature>(o, "selinux", parse_enabled);
    l.memory_policy = opt_object<MemoryPolicyFeatures>(o, "memoryPolicy", parse_memory_policy);
    l.intel_rdt = opt_object<IntelRdtFeatures>(o, "intelRdt", parse_intel_rdt);
    l.mount_extensions = opt_object<MountExtensionsFeatures>(o, "mountExtensions", parse_mount_extensions);
    l.net_devices = opt_object<EnabledFeature>(o, "netDevices", parse_enabled);
    l.extra = o.rest();
    return l;
}

void write_linux(Writer& w, const LinuxFeatures& l) {
    w.begin_object();
    put(w, "namespaces", l.namespaces);
    put(w, "capabilities", l.capabilities);
    put_object(w, "cgroup", l.cgroup, write_cgroup);
    put_object(w, "seccomp", l.seccomp, write_seccomp);
    put_object(w, "apparmor", l.apparmor, write_enabled);
    put_object(w, "selinux", l.selinux, write_enabled);
    put_object(w, "memoryPolicy", l.memory_policy, write_memory_policy);
    put_object(w, "intelRdt", l.intel_rdt, write_intel_rdt);
    put_object(w, "mountExtensions", l.mount_extensions, write_mount_extensions);
    put_object(w, "netDevices", l.net_devices, write_enabled);
    w.members(l.extra).end_object();
}

}  // namespace

Features parse_features(const json::Value& doc) {
    ObjectReader o(Reader(doc, ""));
    Features f;
    f.oci_version_min = o.required("ociVersionMin").string();
    f.oci_version_max = o.required("ociVersionMax").string();
    f.hooks = opt_strings(o, "hooks");
    f.mount_options = opt_strings(o, "mountOptions");
    f.linux = opt_object<LinuxFeatures>(o, "linux", parse_linux);
    if (auto a = o.optional("annotations")) f.annotations = string_members(*a);
    f.potentially_unsafe_config_annotations = opt_strings(o, "potentiallyUnsafeConfigAnnotations");
    f.extra = o.rest();
    return f;
}

void write_features(Writer& w, const Features& f) {
    w.begin_object();
    w.key("ociVersionMin").string(f.oci_version_min);
    w.key("ociVersionMax").string(f.oci_version_max);
    put(w, "hooks", f.hooks);
    put(w, "mountOptions", f.mount_options);
    put_object(w, "linux", f.linux, write_linux);
    if (!f.annotations.empty()) w.key("annotations").begin_object().members(f.annotations).end_object();
    put(w, "potentiallyUnsafeConfigAnnotations", f.potentially_unsafe_config_annotations);
    w.members(f.extra).end_object();
}

std::string features_to_json(const Features& features) {
    Writer w(json::WriteOptions{true});
    write_features(w, features);
    std::string out = w.str();
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace hull::oci
