// linux.resources (config-linux.md "Control groups") → Resources; also the
// document `update --resources` reads.
#include "oci/runtime/fields.hpp"
#include "oci/runtime/spec.hpp"

namespace hull::oci {

using namespace fields;

namespace {

DeviceRule parse_device_rule(const Reader& r) {
    ObjectReader o(r);
    DeviceRule d;
    d.allow = o.required("allow").boolean();
    d.type = opt_string(o, "type");
    d.major = opt_int<std::int64_t>(o, "major");
    d.minor = opt_int<std::int64_t>(o, "minor");
    d.access = opt_string(o, "access");
    d.extra = o.rest();
    return d;
}

Memory parse_memory(const Reader& r) {
    ObjectReader o(r);
    Memory m;
    m.limit = opt_int<std::int64_t>(o, "limit");
    m.reservation = opt_int<std::int64_t>(o, "reservation");
    m.swap = opt_int<std::int64_t>(o, "swap");
    m.kernel = opt_int<std::int64_t>(o, "kernel");
    m.kernel_tcp = opt_int<std::int64_t>(o, "kernelTCP");
    m.swappiness = opt_int<std::uint64_t>(o, "swappiness");
    m.disable_oom_killer = opt_bool(o, "disableOOMKiller");
    m.use_hierarchy = opt_bool(o, "useHierarchy");
    m.check_before_update = opt_bool(o, "checkBeforeUpdate");
    m.extra = o.rest();
    return m;
}

Cpu parse_cpu(const Reader& r) {
    ObjectReader o(r);
    Cpu c;
    c.shares = opt_int<std::uint64_t>(o, "shares");
    c.quota = opt_int<std::int64_t>(o, "quota");
    c.burst = opt_int<std::uint64_t>(o, "burst");
    c.period = opt_int<std::uint64_t>(o, "period");
    c.realtime_runtime = opt_int<std::int64_t>(o, "realtimeRuntime");
    c.realtime_period = opt_int<std::uint64_t>(o, "realtimePeriod");
    c.cpus = opt_string(o, "cpus");
    c.mems = opt_string(o, "mems");
    c.idle = opt_int<std::int64_t>(o, "idle");
    c.extra = o.rest();
    return c;
}

Pids parse_pids(const Reader& r) {
    ObjectReader o(r);
    Pids p;
    p.limit = opt_int<std::int64_t>(o, "limit");
    p.extra = o.rest();
    return p;
}

WeightDevice parse_weight_device(const Reader& r) {
    ObjectReader o(r);
    WeightDevice w;
    w.major = o.required("major").i64();
    w.minor = o.required("minor").i64();
    w.weight = opt_int<std::uint16_t>(o, "weight");
    w.leaf_weight = opt_int<std::uint16_t>(o, "leafWeight");
    w.extra = o.rest();
    return w;
}

ThrottleDevice parse_throttle_device(const Reader& r) {
    ObjectReader o(r);
    ThrottleDevice t;
    t.major = o.required("major").i64();
    t.minor = o.required("minor").i64();
    t.rate = o.required("rate").u64();
    t.extra = o.rest();
    return t;
}

BlockIo parse_block_io(const Reader& r) {
    ObjectReader o(r);
    BlockIo b;
    b.weight = opt_int<std::uint16_t>(o, "weight");
    b.leaf_weight = opt_int<std::uint16_t>(o, "leafWeight");
    b.weight_device = array<WeightDevice>(o, "weightDevice", parse_weight_device);
    b.throttle_read_bps_device = array<ThrottleDevice>(o, "throttleReadBpsDevice", parse_throttle_device);
    b.throttle_write_bps_device = array<ThrottleDevice>(o, "throttleWriteBpsDevice", parse_throttle_device);
    b.throttle_read_iops_device = array<ThrottleDevice>(o, "throttleReadIOPSDevice", parse_throttle_device);
    b.throttle_write_iops_device = array<ThrottleDevice>(o, "throttleWriteIOPSDevice", parse_throttle_device);
    b.extra = o.rest();
    return b;
}

HugepageLimit parse_hugepage_limit(const Reader& r) {
    ObjectReader o(r);
    HugepageLimit h;
    h.page_size = o.required("pageSize").string();
    h.limit = o.required("limit").u64();
    h.extra = o.rest();
    return h;
}

NetPriority parse_net_priority(const Reader& r) {
    ObjectReader o(r);
    NetPriority p;
    p.name = o.required("name").string();
    p.priority = o.required("priority").integer<std::uint32_t>();
    p.extra = o.rest();
    return p;
}

Network parse_network(const Reader& r) {
    ObjectReader o(r);
    Network n;
    n.class_id = opt_int<std::uint32_t>(o, "classID");
    n.priorities = array<NetPriority>(o, "priorities", parse_net_priority);
    n.extra = o.rest();
    return n;
}

Rdma parse_rdma(const Reader& r) {
    ObjectReader o(r);
    Rdma d;
    d.hca_handles = opt_int<std::uint32_t>(o, "hcaHandles");
    d.hca_objects = opt_int<std::uint32_t>(o, "hcaObjects");
    d.extra = o.rest();
    return d;
}

}  // namespace

Resources parse_resources(const Reader& r) {
    ObjectReader o(r);
    Resources res;
    res.devices = array<DeviceRule>(o, "devices", parse_device_rule);
    res.memory = opt_object<Memory>(o, "memory", parse_memory);
    res.cpu = opt_object<Cpu>(o, "cpu", parse_cpu);
    res.pids = opt_object<Pids>(o, "pids", parse_pids);
    res.block_io = opt_object<BlockIo>(o, "blockIO", parse_block_io);
    res.hugepage_limits = array<HugepageLimit>(o, "hugepageLimits", parse_hugepage_limit);
    res.network = opt_object<Network>(o, "network", parse_network);
    res.rdma = map<Rdma>(o, "rdma", parse_rdma);
    res.unified = string_map(o, "unified");
    res.extra = o.rest();
    return res;
}

}  // namespace hull::oci
