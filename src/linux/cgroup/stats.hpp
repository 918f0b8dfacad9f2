// A container's cgroup statistics, in the shape of runc's types/events.go
// (what `events --stats` prints), read from the cgroup v1 or v2 files with
// runc's conversions. Units are runc's: bytes, and nanoseconds for times.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hull::sys::cgroup {

// Pressure stall information (cgroup v2 *.pressure files).
struct PsiData {
    double avg10 = 0;
    double avg60 = 0;
    double avg300 = 0;
    std::uint64_t total = 0;  // microseconds, as the kernel counts them
    bool operator==(const PsiData&) const = default;
};

struct Psi {
    PsiData some;
    PsiData full;
    bool operator==(const Psi&) const = default;
};

struct CpuUsage {
    std::uint64_t total = 0;
    std::vector<std::uint64_t> percpu;
    std::vector<std::uint64_t> percpu_kernel;
    std::vector<std::uint64_t> percpu_user;
    std::uint64_t kernel = 0;
    std::uint64_t user = 0;
    bool operator==(const CpuUsage&) const = default;
};

struct Throttling {
    std::uint64_t periods = 0;
    std::uint64_t throttled_periods = 0;
    std::uint64_t throttled_time = 0;
    bool operator==(const Throttling&) const = default;
};

struct CpuStats {
    CpuUsage usage;
    Throttling throttling;
    std::optional<Psi> psi;  // v2 only, when the kernel has PSI
    bool operator==(const CpuStats&) const = default;
};

// v1 cpuset files (runc reads none on v2).
struct CpusetStats {
    std::vector<std::uint16_t> cpus;
    std::uint64_t cpu_exclusive = 0;
    std::vector<std::uint16_t> mems;
    std::uint64_t mem_hardwall = 0;
    std::uint64_t mem_exclusive = 0;
    std::uint64_t memory_migrate = 0;
    std::uint64_t memory_spread_page = 0;
    std::uint64_t memory_spread_slab = 0;
    std::uint64_t memory_pressure = 0;
    std::uint64_t sched_load_balance = 0;
    std::int64_t sched_relax_domain_level = 0;
    bool operator==(const CpusetStats&) const = default;
};

// "No limit" reads as UINT64_MAX on v2 ("max") and as the page-rounded
// LONG_MAX the v1 kernel reports (9223372036854771712).
struct MemoryEntry {
    std::uint64_t limit = 0;
    std::uint64_t usage = 0;
    std::uint64_t max = 0;  // peak usage (v1 only)
    std::uint64_t failcnt = 0;
    bool operator==(const MemoryEntry&) const = default;
};

struct MemoryStats {
    std::uint64_t cache = 0;  // memory.stat "cache" (v1) or "file" (v2)
    MemoryEntry usage;
    MemoryEntry swap;  // memory + swap, also on v2 (as runc reports it)
    MemoryEntry kernel;
    MemoryEntry kernel_tcp;
    std::map<std::string, std::uint64_t> raw;  // memory.stat as it is
    bool use_hierarchy = false;
    std::optional<Psi> psi;
    bool operator==(const MemoryStats&) const = default;
};

struct PidsStats {
    std::uint64_t current = 0;
    std::uint64_t limit = 0;  // 0: no limit ("max")
    bool operator==(const PidsStats&) const = default;
};

struct BlkioEntry {
    std::uint64_t major = 0;
    std::uint64_t minor = 0;
    std::string op;  // "Read", "Write", "Sync", "Async", "Discard", "Total" or "" (sectors, time)
    std::uint64_t value = 0;
    bool operator==(const BlkioEntry&) const = default;
};

// The v1 blkio files' tables; on v2, io.stat fills the first two.
struct BlkioStats {
    std::vector<BlkioEntry> io_service_bytes_recursive;
    std::vector<BlkioEntry> io_serviced_recursive;
    std::vector<BlkioEntry> io_queued_recursive;
    std::vector<BlkioEntry> io_service_time_recursive;
    std::vector<BlkioEntry> io_wait_time_recursive;
    std::vector<BlkioEntry> io_merged_recursive;
    std::vector<BlkioEntry> io_time_recursive;
    std::vector<BlkioEntry> sectors_recursive;
    std::optional<Psi> psi;
    bool operator==(const BlkioStats&) const = default;
};

struct HugetlbStats {
    std::uint64_t usage = 0;
    std::uint64_t max = 0;  // peak usage (v1 only)
    std::uint64_t failcnt = 0;
    bool operator==(const HugetlbStats&) const = default;
};

struct Stats {
    CpuStats cpu;
    CpusetStats cpuset;
    MemoryStats memory;
    PidsStats pids;
    BlkioStats blkio;
    std::map<std::string, HugetlbStats> hugetlb;  // by page size as the kernel names it: "2MB", "1GB"
    bool operator==(const Stats&) const = default;
};

// Reads the statistics of a container's cgroups. paths is SavedCgroups::paths:
// v1 hierarchy name ("cpu,cpuacct", "memory", ...) -> directory, and "" -> the
// v2 directory. Each controller is read from the v1 hierarchy that has it,
// else from the v2 directory, else left empty. A file the kernel does not
// provide leaves its fields empty; a file that cannot be read or parsed
// throws an Error naming it.
Stats read_stats(const std::map<std::string, std::string>& paths);

}  // namespace hull::sys::cgroup
