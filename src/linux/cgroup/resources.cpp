#include "linux/cgroup/resources.hpp"

#include <fmt/format.h>

#include "linux/cgroup/convert.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

using Writes = std::vector<FileWrite>;

template <typename T>
void put(Writes& out, std::string file, const std::optional<T>& value) {
    if (value && *value != 0) out.push_back({std::move(file), fmt::format("{}", *value)});
}

void put_text(Writes& out, std::string file, const std::optional<std::string>& value) {
    if (value && !value->empty()) out.push_back({std::move(file), *value});
}

std::string device(std::int64_t major, std::int64_t minor) { return fmt::format("{}:{}", major, minor); }

bool has_memory(const oci::Resources& r) { return r.memory.has_value(); }
bool has_cpu(const oci::Resources& r) {
    const auto& c = r.cpu;
    return c && (c->shares || c->quota || c->period || c->burst || c->realtime_runtime || c->realtime_period ||
                 c->idle);
}
bool has_cpuset(const oci::Resources& r) { return r.cpu && (r.cpu->cpus || r.cpu->mems); }

// Memory and memory+swap in an order the kernel takes at each write (it
// keeps memory at or below memory+swap), as runc's setMemoryAndSwap:
// memory+swap first when it is lifted (-1) or rises above the memory limit
// in force (memory may then rise up to it), else memory first (memory+swap
// may then fall down to it).
void put_memory_and_swap(Writes& out, const oci::Memory& m, std::optional<std::int64_t> limit_in_force) {
    std::int64_t limit = m.limit.value_or(0);
    std::int64_t swap = m.swap.value_or(0);
    bool swap_first = limit != 0 && swap != 0 && (swap == -1 || (limit_in_force && *limit_in_force < swap));
    if (swap_first) put(out, "memory.memsw.limit_in_bytes", m.swap);
    put(out, "memory.limit_in_bytes", m.limit);
    if (!swap_first) put(out, "memory.memsw.limit_in_bytes", m.swap);
}

Writes memory_v1(const oci::Memory& m, std::optional<std::int64_t> limit_in_force) {
    Writes out;
    put_memory_and_swap(out, m, limit_in_force);
    put(out, "memory.soft_limit_in_bytes", m.reservation);
    // memory.kmem.limit_in_bytes is deprecated and gone from new kernels;
    // runc ignores kernel memory too.
    put(out, "memory.kmem.tcp.limit_in_bytes", m.kernel_tcp);
    // Range checked by oci::validate_spec; 2^64-1 is Go's -1, unset.
    if (m.swappiness && *m.swappiness <= 100) {
        out.push_back({"memory.swappiness", std::to_string(*m.swappiness)});
    }
    if (m.disable_oom_killer.value_or(false)) out.push_back({"memory.oom_control", "1"});
    if (m.use_hierarchy) out.push_back({"memory.use_hierarchy", *m.use_hierarchy ? "1" : "0"});
    return out;
}

Writes memory_v2(const oci::Memory& m) {
    Writes out;
    std::int64_t limit = m.limit.value_or(0);
    if (auto swap = swap_to_v2(m.swap.value_or(0), limit)) out.push_back({"memory.swap.max", v2_limit(*swap)});
    if (limit != 0) out.push_back({"memory.max", v2_limit(limit)});
    if (m.reservation && *m.reservation != 0) out.push_back({"memory.low", v2_limit(*m.reservation)});
    if (m.disable_oom_killer.value_or(false)) {
        throw_error("linux.resources.memory.disableOOMKiller: cgroup v2 has no way to disable the OOM killer");
    }
    return out;
}

Writes cpu_v1(const oci::Cpu& c) {
    Writes out;
    put(out, "cpu.shares", c.shares);
    // Period before quota; the EINVAL retry covers a shrinking period.
    put(out, "cpu.cfs_period_us", c.period);
    if (c.quota && *c.quota != 0) out.push_back({"cpu.cfs_quota_us", std::to_string(*c.quota)});
    put(out, "cpu.cfs_burst_us", c.burst);
    put(out, "cpu.rt_period_us", c.realtime_period);
    put(out, "cpu.rt_runtime_us", c.realtime_runtime);
    if (c.idle) out.push_back({"cpu.idle", std::to_string(*c.idle)});
    return out;
}

Writes cpu_v2(const oci::Cpu& c) {
    Writes out;
    if (c.realtime_runtime.value_or(0) != 0 || c.realtime_period.value_or(0) != 0) {
        throw_error("linux.resources.cpu.realtimeRuntime/realtimePeriod: cgroup v2 has no realtime cpu knobs");
    }
    if (auto w = shares_to_weight(c.shares.value_or(0)); w != 0) out.push_back({"cpu.weight", std::to_string(w)});
    if (auto max = cpu_max(c.quota.value_or(0), c.period.value_or(0))) out.push_back({"cpu.max", *max});
    if (c.burst) out.push_back({"cpu.max.burst", std::to_string(*c.burst)});
    if (c.idle) out.push_back({"cpu.idle", std::to_string(*c.idle)});
    return out;
}

Writes cpuset(const oci::Cpu& c) {
    Writes out;
    put_text(out, "cpuset.cpus", c.cpus);
    put_text(out, "cpuset.mems", c.mems);
    return out;
}

Writes pids(const oci::Pids& p) {
    Writes out;
    // As runc: a positive limit is the limit, a negative one is "max".
    if (p.limit && *p.limit != 0) out.push_back({"pids.max", v2_limit(*p.limit)});
    return out;
}

Writes blkio_v1(const oci::BlockIo& b) {
    Writes out;
    put(out, "blkio.weight", b.weight);
    put(out, "blkio.leaf_weight", b.leaf_weight);
    for (const auto& d : b.weight_device) {
        if (d.weight) out.push_back({"blkio.weight_device", fmt::format("{} {}", device(d.major, d.minor), *d.weight)});
        if (d.leaf_weight) {
            out.push_back({"blkio.leaf_weight_device", fmt::format("{} {}", device(d.major, d.minor), *d.leaf_weight)});
        }
    }
    auto throttle = [&](const std::vector<oci::ThrottleDevice>& list, const char* file) {
        for (const auto& d : list) out.push_back({file, fmt::format("{} {}", device(d.major, d.minor), d.rate)});
    };
    throttle(b.throttle_read_bps_device, "blkio.throttle.read_bps_device");
    throttle(b.throttle_write_bps_device, "blkio.throttle.write_bps_device");
    throttle(b.throttle_read_iops_device, "blkio.throttle.read_iops_device");
    throttle(b.throttle_write_iops_device, "blkio.throttle.write_iops_device");
    return out;
}

Writes io_v2(const oci::BlockIo& b) {
    Writes out;
    if (b.weight && *b.weight != 0) out.push_back({"io.weight", std::to_string(blkio_weight_to_io_weight(*b.weight))});
    for (const auto& d : b.weight_device) {
        if (d.weight) {
            out.push_back({"io.weight", fmt::format("{} {}", device(d.major, d.minor),
                                                    blkio_weight_to_io_weight(*d.weight))});
        }
    }
    // A rate of 0 removes the limit: "max" on v2.
    auto throttle = [&](const std::vector<oci::ThrottleDevice>& list, const char* key) {
        for (const auto& d : list) {
            out.push_back({"io.max", fmt::format("{} {}={}", device(d.major, d.minor), key,
                                                 d.rate == 0 ? std::string("max") : std::to_string(d.rate))});
        }
    };
    throttle(b.throttle_read_bps_device, "rbps");
    throttle(b.throttle_write_bps_device, "wbps");
    throttle(b.throttle_read_iops_device, "riops");
    throttle(b.throttle_write_iops_device, "wiops");
    return out;
}

Writes hugetlb(const std::vector<oci::HugepageLimit>& limits, const char* suffix) {
    Writes out;
    for (const auto& h : limits) {
        if (h.page_size.empty() || h.page_size.find('/') != std::string::npos) {
            throw_error("linux.resources.hugepageLimits: pageSize {} is not a size such as 2MB", util::quote(h.page_size));
        }
        out.push_back({fmt::format("hugetlb.{}.{}", h.page_size, suffix), std::to_string(h.limit)});
    }
    return out;
}

Writes rdma(const std::vector<std::pair<std::string, oci::Rdma>>& devices) {
    Writes out;
    for (const auto& [name, r] : devices) {
        std::string line = name;
        if (r.hca_handles) line += fmt::format(" hca_handle={}", *r.hca_handles);
        if (r.hca_objects) line += fmt::format(" hca_object={}", *r.hca_objects);
        out.push_back({"rdma.max", line});
    }
    return out;
}

Writes unified(const oci::StringMap& entries) {
    Writes out;
    for (const auto& [key, value] : entries) {
        if (key.empty() || key.find('/') != std::string::npos || key.starts_with('.')) {
            throw_error("linux.resources.unified: {} is not a cgroup file name", util::quote(key));
        }
        out.push_back({key, value});
    }
    return out;
}

}  // namespace

std::vector<ControllerRequest> requested_controllers(const oci::Resources& r) {
    std::vector<ControllerRequest> out;
    if (has_memory(r) && !memory_v1(*r.memory, std::nullopt).empty()) {
        out.push_back({"linux.resources.memory", "memory", "memory"});
    }
    if (has_cpu(r)) out.push_back({"linux.resources.cpu", "cpu", "cpu"});
    if (has_cpuset(r) && !cpuset(*r.cpu).empty()) out.push_back({"linux.resources.cpu.cpus/mems", "cpuset", "cpuset"});
    if (r.pids && !pids(*r.pids).empty()) out.push_back({"linux.resources.pids", "pids", "pids"});
    if (r.block_io && !blkio_v1(*r.block_io).empty()) out.push_back({"linux.resources.blockIO", "blkio", "io"});
    if (!r.hugepage_limits.empty()) out.push_back({"linux.resources.hugepageLimits", "hugetlb", "hugetlb"});
    if (r.network && r.network->class_id) out.push_back({"linux.resources.network.classID", "net_cls", ""});
    if (r.network && !r.network->priorities.empty()) {
        out.push_back({"linux.resources.network.priorities", "net_prio", ""});
    }
    if (!r.rdma.empty()) out.push_back({"linux.resources.rdma", "rdma", "rdma"});
    // unified has no controller of its own: any v2 hierarchy takes it.
    if (!r.unified.empty()) out.push_back({"linux.resources.unified", "", "*"});
    return out;
}

std::vector<FileWrite> v1_writes(const ControllerRequest& c, const oci::Resources& r, const InForce& in_force) {
    if (c.v1 == "memory") return memory_v1(*r.memory, in_force.memory_limit);
    if (c.v1 == "cpu") return cpu_v1(*r.cpu);
    if (c.v1 == "cpuset") return cpuset(*r.cpu);
    if (c.v1 == "pids") return pids(*r.pids);
    if (c.v1 == "blkio") return blkio_v1(*r.block_io);
    if (c.v1 == "hugetlb") return hugetlb(r.hugepage_limits, "limit_in_bytes");
    if (c.v1 == "net_cls") return {{"net_cls.classid", std::to_string(*r.network->class_id)}};
    if (c.v1 == "net_prio") {
        Writes out;
        for (const auto& p : r.network->priorities) out.push_back({"net_prio.ifpriomap", fmt::format("{} {}", p.name, p.priority)});
        return out;
    }
    if (c.v1 == "rdma") return rdma(r.rdma);
    throw_error("{}: not available on cgroup v1", c.field);
}

std::vector<FileWrite> v2_writes(const ControllerRequest& c, const oci::Resources& r) {
    if (c.v2 == "memory") return memory_v2(*r.memory);
    if (c.v2 == "cpu") return cpu_v2(*r.cpu);
    if (c.v2 == "cpuset") return cpuset(*r.cpu);
    if (c.v2 == "pids") return pids(*r.pids);
    if (c.v2 == "io") return io_v2(*r.block_io);
    if (c.v2 == "hugetlb") return hugetlb(r.hugepage_limits, "max");
    if (c.v2 == "rdma") return rdma(r.rdma);
    if (c.v2 == "*") return unified(r.unified);
    throw_error("{}: not available on cgroup v2", c.field);
}

}  // namespace hull::sys::cgroup
