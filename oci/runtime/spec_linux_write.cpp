// Linux and Resources → JSON (config-linux.md field names).
#include "oci/runtime/fields.hpp"
#include "oci/runtime/spec.hpp"
#include "oci/runtime/spec_io.hpp"

namespace hull::oci {

using namespace fields;

namespace {

void write_device(Writer& w, const Device& d) {
    w.begin_object();
    w.key("type").string(d.type);
    w.key("path").string(d.path);
    put_int(w, "major", d.major);
    put_int(w, "minor", d.minor);
    put_int(w, "fileMode", d.file_mode);
    put_int(w, "uid", d.uid);
    put_int(w, "gid", d.gid);
    w.members(d.extra).end_object();
}

void write_seccomp_syscall(Writer& w, const SeccompSyscall& s) {
    w.begin_object();
    put_strings(w, "names", s.names);
    w.key("action").string(s.action);
    put_int(w, "errnoRet", s.errno_ret);
    put_array(w, "args", s.args, [](Writer& ww, const SeccompArg& a) {
        ww.begin_object();
        ww.key("index").unsigned_integer(a.index);
        ww.key("value").unsigned_integer(a.value);
        put_int(ww, "valueTwo", a.value_two);
        ww.key("op").string(a.op);
        ww.members(a.extra).end_object();
    });
    w.members(s.extra).end_object();
}

void write_seccomp(Writer& w, const Seccomp& s) {
    w.begin_object();
    w.key("defaultAction").string(s.default_action);
    put_int(w, "defaultErrnoRet", s.default_errno_ret);
    put(w, "architectures", s.architectures);
    put(w, "flags", s.flags);
    put(w, "listenerPath", s.listener_path);
    put(w, "listenerMetadata", s.listener_metadata);
    put_array(w, "syscalls", s.syscalls, write_seccomp_syscall);
    w.members(s.extra).end_object();
}

void write_device_rule(Writer& w, const DeviceRule& d) {
    w.begin_object();
    w.key("allow").boolean(d.allow);
    put(w, "type", d.type);
    put_int(w, "major", d.major);
    put_int(w, "minor", d.minor);
    put(w, "access", d.access);
    w.members(d.extra).end_object();
}

void write_memory(Writer& w, const Memory& m) {
    w.begin_object();
    put_int(w, "limit", m.limit);
    put_int(w, "reservation", m.reservation);
    put_int(w, "swap", m.swap);
    put_int(w, "kernel", m.kernel);
    put_int(w, "kernelTCP", m.kernel_tcp);
    put_int(w, "swappiness", m.swappiness);
    put(w, "disableOOMKiller", m.disable_oom_killer);
    put(w, "useHierarchy", m.use_hierarchy);
    put(w, "checkBeforeUpdate", m.check_before_update);
    w.members(m.extra).end_object();
}

void write_cpu(Writer& w, const Cpu& c) {
    w.begin_object();
    put_int(w, "shares", c.shares);
    put_int(w, "quota", c.quota);
    put_int(w, "burst", c.burst);
    put_int(w, "period", c.period);
    put_int(w, "realtimeRuntime", c.realtime_runtime);
    put_int(w, "realtimePeriod", c.realtime_period);
    put(w, "cpus", c.cpus);
    put(w, "mems", c.mems);
    put_int(w, "idle", c.idle);
    w.members(c.extra).end_object();
}

void write_throttle(Writer& w, const ThrottleDevice& t) {
    w.begin_object().key("major").integer(t.major).key("minor").integer(t.minor);
    w.key("rate").unsigned_integer(t.rate).members(t.extra).end_object();
}

void write_block_io(Writer& w, const BlockIo& b) {
    w.begin_object();
    put_int(w, "weight", b.weight);
    put_int(w, "leafWeight", b.leaf_weight);
    put_array(w, "weightDevice", b.weight_device, [](Writer& ww, const WeightDevice& d) {
        ww.begin_object().key("major").integer(d.major).key("minor").integer(d.minor);
        put_int(ww, "weight", d.weight);
        put_int(ww, "leafWeight", d.leaf_weight);
        ww.members(d.extra).end_object();
    });
    put_array(w, "throttleReadBpsDevice", b.throttle_read_bps_device, write_throttle);
    put_array(w, "throttleWriteBpsDevice", b.throttle_write_bps_device, write_throttle);
    put_array(w, "throttleReadIOPSDevice", b.throttle_read_iops_device, write_throttle);
    put_array(w, "throttleWriteIOPSDevice", b.throttle_write_iops_device, write_throttle);
    w.members(b.extra).end_object();
}

void write_network(Writer& w, const Network& n) {
    w.begin_object();
    put_int(w, "classID", n.class_id);
    put_array(w, "priorities", n.priorities, [](Writer& ww, const NetPriority& p) {
        ww.begin_object().key("name").string(p.name).key("priority").unsigned_integer(p.priority);
        ww.members(p.extra).end_object();
    });
    w.members(n.extra).end_object();
}

}  // namespace

void write_resources(Writer& w, const Resources& r) {
    w.begin_object();
    put_array(w, "devices", r.devices, write_device_rule);
    put_object(w, "memory", r.memory, write_memory);
    put_object(w, "cpu", r.cpu, write_cpu);
    put_object(w, "pids", r.pids, [](Writer& ww, const Pids& p) {
        ww.begin_object();
        put_int(ww, "limit", p.limit);
        ww.members(p.extra).end_object();
    });
    put_object(w, "blockIO", r.block_io, write_block_io);
    put_array(w, "hugepageLimits", r.hugepage_limits, [](Writer& ww, const HugepageLimit& h) {
        ww.begin_object().key("pageSize").string(h.page_size).key("limit").unsigned_integer(h.limit);
        ww.members(h.extra).end_object();
    });
    put_object(w, "network", r.network, write_network);
    put_map(w, "rdma", r.rdma, [](Writer& ww, const Rdma& d) {
        ww.begin_object();
        put_int(ww, "hcaHandles", d.hca_handles);
        put_int(ww, "hcaObjects", d.hca_objects);
        ww.members(d.extra).end_object();
    });
    put_string_map(w, "unified", r.unified);
    w.members(r.extra).end_object();
}

void detail::write_linux(Writer& w, const Linux& l) {
    w.begin_object();
    put_array(w, "namespaces", l.namespaces, [](Writer& ww, const Namespace& n) {
        ww.begin_object().key("type").string(n.type);
        put(ww, "path", n.path);
        ww.members(n.extra).end_object();
    });
    put_array(w, "uidMappings", l.uid_mappings, write_id_mapping);
    put_array(w, "gidMappings", l.gid_mappings, write_id_mapping);
    put_map(w, "timeOffsets", l.time_offsets, [](Writer& ww, const TimeOffset& t) {
        ww.begin_object();
        put_int(ww, "secs", t.secs);
        put_int(ww, "nanosecs", t.nanosecs);
        ww.members(t.extra).end_object();
    });
    put_array(w, "devices", l.devices, write_device);
    put_map(w, "netDevices", l.net_devices, [](Writer& ww, const NetDevice& n) {
        ww.begin_object();
        put(ww, "name", n.name);
        ww.members(n.extra).end_object();
    });
    put(w, "cgroupsPath", l.cgroups_path);
    put_object(w, "resources", l.resources, write_resources);
    put_object(w, "intelRdt", l.intel_rdt, [](Writer& ww, const IntelRdt& i) {
        ww.begin_object();
        put(ww, "closID", i.clos_id);
        put(ww, "l3CacheSchema", i.l3_cache_schema);
        put(ww, "memBwSchema", i.mem_bw_schema);
        put(ww, "schemata", i.schemata);
        put(ww, "enableMonitoring", i.enable_monitoring);
        ww.members(i.extra).end_object();
    });
    put_object(w, "memoryPolicy", l.memory_policy, [](Writer& ww, const MemoryPolicy& m) {
        ww.begin_object().key("mode").string(m.mode);
        put(ww, "nodes", m.nodes);
        put(ww, "flags", m.flags);
        ww.members(m.extra).end_object();
    });
    put_string_map(w, "sysctl", l.sysctl);
    put_object(w, "seccomp", l.seccomp, write_seccomp);
    put(w, "rootfsPropagation", l.rootfs_propagation);
    put_nonempty(w, "maskedPaths", l.masked_paths);
    put_nonempty(w, "readonlyPaths", l.readonly_paths);
    put(w, "mountLabel", l.mount_label);
    put_object(w, "personality", l.personality, [](Writer& ww, const Personality& p) {
        ww.begin_object().key("domain").string(p.domain);
        put(ww, "flags", p.flags);
        ww.members(p.extra).end_object();
    });
    w.members(l.extra).end_object();
}

}  // namespace hull::oci
