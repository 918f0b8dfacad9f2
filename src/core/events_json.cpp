#include "core/events_json.hpp"

#include "oci/json.hpp"

namespace hull::core {
namespace {

using oci::json::Writer;
namespace cg = sys::cgroup;

// An "omitempty" number: Go leaves it out when it is zero.
void put_nonzero(Writer& w, std::string_view key, std::uint64_t value) {
    if (value != 0) w.key(key).unsigned_integer(value);
}

template <typename T>
void put_list(Writer& w, std::string_view key, const std::vector<T>& values) {
    if (values.empty()) return;  // omitempty
    w.key(key).begin_array();
    for (T v : values) w.unsigned_integer(v);
    w.end_array();
}

void write_psi_data(Writer& w, std::string_view key, const cg::PsiData& d) {
    w.key(key).begin_object();
    w.key("avg10").number(d.avg10);
    w.key("avg60").number(d.avg60);
    w.key("avg300").number(d.avg300);
    w.key("total").unsigned_integer(d.total);
    w.end_object();
}

// runc 1.2+ writes "psi" (a pointer, omitempty) only where it read it.
void put_psi(Writer& w, const std::optional<cg::Psi>& psi) {
    if (!psi) return;
    w.key("psi").begin_object();
    write_psi_data(w, "some", psi->some);
    write_psi_data(w, "full", psi->full);
    w.end_object();
}

// Go's omitempty does not apply to struct fields: "usage" and "throttling"
// are always there, possibly as {}.
void write_cpu(Writer& w, const cg::CpuStats& c) {
    w.key("cpu").begin_object();
    w.key("usage").begin_object();
    put_nonzero(w, "total", c.usage.total);
    put_list(w, "percpu", c.usage.percpu);
    put_list(w, "percpu_kernel", c.usage.percpu_kernel);
    put_list(w, "percpu_user", c.usage.percpu_user);
    w.key("kernel").unsigned_integer(c.usage.kernel);
    w.key("user").unsigned_integer(c.usage.user);
    w.end_object();
    w.key("throttling").begin_object();
    put_nonzero(w, "periods", c.throttling.periods);
    put_nonzero(w, "throttledPeriods", c.throttling.throttled_periods);
    put_nonzero(w, "throttledTime", c.throttling.throttled_time);
    w.end_object();
    put_psi(w, c.psi);
    w.end_object();
}

void write_cpuset(Writer& w, const cg::CpusetStats& c) {
    w.key("cpuset").begin_object();
    put_list(w, "cpus", c.cpus);
    w.key("cpu_exclusive").unsigned_integer(c.cpu_exclusive);
    put_list(w, "mems", c.mems);
    w.key("mem_hardwall").unsigned_integer(c.mem_hardwall);
    w.key("mem_exclusive").unsigned_integer(c.mem_exclusive);
    w.key("memory_migrate").unsigned_integer(c.memory_migrate);
    w.key("memory_spread_page").unsigned_integer(c.memory_spread_page);
    w.key("memory_spread_slab").unsigned_integer(c.memory_spread_slab);
    w.key("memory_pressure").unsigned_integer(c.memory_pressure);
    w.key("sched_load_balance").unsigned_integer(c.sched_load_balance);
    w.key("sched_relax_domain_level").integer(c.sched_relax_domain_level);
    w.end_object();
}

void write_memory_entry(Writer& w, std::string_view key, const cg::MemoryEntry& e) {
    w.key(key).begin_object();
    w.key("limit").unsigned_integer(e.limit);
    put_nonzero(w, "usage", e.usage);
    put_nonzero(w, "max", e.max);
    w.key("failcnt").unsigned_integer(e.failcnt);
    w.end_object();
}

void write_memory(Writer& w, const cg::MemoryStats& m) {
    w.key("memory").begin_object();
    put_nonzero(w, "cache", m.cache);
    write_memory_entry(w, "usage", m.usage);
    write_memory_entry(w, "swap", m.swap);
    write_memory_entry(w, "kernel", m.kernel);
    write_memory_entry(w, "kernelTCP", m.kernel_tcp);
    if (!m.raw.empty()) {
        w.key("raw").begin_object();
        for (const auto& [key, value] : m.raw) w.key(key).unsigned_integer(value);  // sorted, as Go sorts map keys
        w.end_object();
    }
    put_psi(w, m.psi);
    w.end_object();
}

void write_pids(Writer& w, const cg::PidsStats& p) {
    w.key("pids").begin_object();
    put_nonzero(w, "current", p.current);
    put_nonzero(w, "limit", p.limit);
    w.end_object();
}

void put_blkio_entries(Writer& w, std::string_view key, const std::vector<cg::BlkioEntry>& entries) {
    if (entries.empty()) return;
    w.key(key).begin_array();
    for (const cg::BlkioEntry& e : entries) {
        w.begin_object();
        put_nonzero(w, "major", e.major);
        put_nonzero(w, "minor", e.minor);
        if (!e.op.empty()) w.key("op").string(e.op);
        put_nonzero(w, "value", e.value);
        w.end_object();
    }
    w.end_array();
}

void write_blkio(Writer& w, const cg::BlkioStats& b) {
    w.key("blkio").begin_object();
    put_blkio_entries(w, "ioServiceBytesRecursive", b.io_service_bytes_recursive);
    put_blkio_entries(w, "ioServicedRecursive", b.io_serviced_recursive);
    put_blkio_entries(w, "ioQueueRecursive", b.io_queued_recursive);  // sic: runc's tag
    put_blkio_entries(w, "ioServiceTimeRecursive", b.io_service_time_recursive);
    put_blkio_entries(w, "ioWaitTimeRecursive", b.io_wait_time_recursive);
    put_blkio_entries(w, "ioMergedRecursive", b.io_merged_recursive);
    put_blkio_entries(w, "ioTimeRecursive", b.io_time_recursive);
    put_blkio_entries(w, "sectorsRecursive", b.sectors_recursive);
    put_psi(w, b.psi);
    w.end_object();
}

// A map, not omitempty: {} when the host has no hugetlb controller.
void write_hugetlb(Writer& w, const std::map<std::string, cg::HugetlbStats>& hugetlb) {
    w.key("hugetlb").begin_object();
    for (const auto& [size, h] : hugetlb) {
        w.key(size).begin_object();
        put_nonzero(w, "usage", h.usage);
        put_nonzero(w, "max", h.max);
        w.key("failcnt").unsigned_integer(h.failcnt);
        w.end_object();
    }
    w.end_object();
}

}  // namespace

std::string stats_event_json(std::string_view id, const sys::cgroup::Stats& stats) {
    Writer w;
    w.begin_object();
    w.key("type").string("stats");
    w.key("id").string(id);
    w.key("data").begin_object();
    write_cpu(w, stats.cpu);
    write_cpuset(w, stats.cpuset);
    write_memory(w, stats.memory);
    write_pids(w, stats.pids);
    write_blkio(w, stats.blkio);
    write_hugetlb(w, stats.hugetlb);
    // hull reads no Intel RDT statistics and no interface counters; runc
    // prints these two the same way when it has none.
    w.key("intel_rdt").begin_object().end_object();
    w.key("network_interfaces").null();
    w.end_object();
    w.end_object();
    return w.str();
}

std::string oom_event_json(std::string_view id) {
    Writer w;
    w.begin_object();
    w.key("type").string("oom");
    w.key("id").string(id);
    w.end_object();
    return w.str();
}

}  // namespace hull::core
