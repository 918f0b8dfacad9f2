// `events` JSON lines: byte for byte what runc's encoding/json prints.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "core/events_json.hpp"

using hull::core::oom_event_json;
using hull::core::stats_event_json;
using namespace hull::sys::cgroup;

namespace {

constexpr std::uint64_t kV1Unlimited = 9223372036854771712ULL;

// The statistics of a sleeping busybox container on the project's hybrid
// v1 host, as runc 1.1.5 read them.
Stats v1_container() {
    Stats s;
    s.cpu.usage = {20552941, {2265105, 18287836}, {8000000, 15783899}, {0, 0}, 20000000, 0};
    s.cpuset.cpus = {0, 1};
    s.cpuset.mems = {0};
    s.cpuset.sched_load_balance = 1;
    s.cpuset.sched_relax_domain_level = -1;
    s.memory.usage = {67108864, 299008, 2506752, 0};
    s.memory.swap = {kV1Unlimited, 299008, 2506752, 0};
    s.memory.kernel = {kV1Unlimited, 245760, 536576, 0};
    s.memory.kernel_tcp = {kV1Unlimited, 0, 0, 0};
    s.memory.raw = {
        {"cache", 0}, {"rss", 53248}, {"rss_huge", 0}, {"shmem", 0}, {"mapped_file", 0}, {"dirty", 0},
        {"writeback", 0}, {"workingset_refault_anon", 0}, {"workingset_refault_file", 0}, {"swap", 0},
        {"swapcached", 0}, {"pgpgin", 485}, {"pgpgout", 472}, {"pgfault", 793}, {"pgmajfault", 0},
        {"inactive_anon", 49152}, {"active_anon", 4096}, {"inactive_file", 0}, {"active_file", 0},
        {"unevictable", 0}, {"hierarchical_memory_limit", 67108864}, {"hierarchical_memsw_limit", kV1Unlimited},
        {"total_cache", 0}, {"total_rss", 53248}, {"total_rss_huge", 0}, {"total_shmem", 0},
        {"total_mapped_file", 0}, {"total_dirty", 0}, {"total_writeback", 0}, {"total_workingset_refault_anon", 0},
        {"total_workingset_refault_file", 0}, {"total_swap", 0}, {"total_swapcached", 0}, {"total_pgpgin", 485},
        {"total_pgpgout", 472}, {"total_pgfault", 793}, {"total_pgmajfault", 0}, {"total_inactive_anon", 49152},
        {"total_active_anon", 4096}, {"total_inactive_file", 0}, {"total_active_file", 0},
        {"total_unevictable", 0}};
    s.memory.use_hierarchy = true;  // runc's events does not print it
    s.pids = {1, 100};
    return s;
}

}  // namespace

TEST_CASE("events json: runc 1.1.5's `events --stats` line for the same container") {
    // Printed by `runc events --stats` on the project's host (one line).
    const std::string runc =
        R"({"type":"stats","id":"hulltest-cgstats-golden","data":{"cpu":{"usage":{"total":20552941,)"
        R"("percpu":[2265105,18287836],"percpu_kernel":[8000000,15783899],"percpu_user":[0,0],"kernel":20000000,)"
        R"("user":0},"throttling":{}},"cpuset":{"cpus":[0,1],"cpu_exclusive":0,"mems":[0],"mem_hardwall":0,)"
        R"("mem_exclusive":0,"memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,)"
        R"("sched_load_balance":1,"sched_relax_domain_level":-1},"memory":{"usage":{"limit":67108864,"usage":299008,)"
        R"("max":2506752,"failcnt":0},"swap":{"limit":9223372036854771712,"usage":299008,"max":2506752,"failcnt":0},)"
        R"("kernel":{"limit":9223372036854771712,"usage":245760,"max":536576,"failcnt":0},)"
        R"("kernelTCP":{"limit":9223372036854771712,"failcnt":0},"raw":{"active_anon":4096,"active_file":0,)"
        R"("cache":0,"dirty":0,"hierarchical_memory_limit":67108864,"hierarchical_memsw_limit":9223372036854771712,)"
        R"("inactive_anon":49152,"inactive_file":0,"mapped_file":0,"pgfault":793,"pgmajfault":0,"pgpgin":485,)"
        R"("pgpgout":472,"rss":53248,"rss_huge":0,"shmem":0,"swap":0,"swapcached":0,"total_active_anon":4096,)"
        R"("total_active_file":0,"total_cache":0,"total_dirty":0,"total_inactive_anon":49152,"total_inactive_file":0,)"
        R"("total_mapped_file":0,"total_pgfault":793,"total_pgmajfault":0,"total_pgpgin":485,"total_pgpgout":472,)"
        R"("total_rss":53248,"total_rss_huge":0,"total_shmem":0,"total_swap":0,"total_swapcached":0,)"
        R"("total_unevictable":0,"total_workingset_refault_anon":0,"total_workingset_refault_file":0,)"
        R"("total_writeback":0,"unevictable":0,"workingset_refault_anon":0,"workingset_refault_file":0,)"
        R"("writeback":0}},"pids":{"current":1,"limit":100},"blkio":{},"hugetlb":{},"intel_rdt":{},)"
        R"("network_interfaces":null}})";
    CHECK(stats_event_json("hulltest-cgstats-golden", v1_container()) == runc);
}

TEST_CASE("events json: empty statistics keep runc's always-present fields") {
    // Go drops omitempty numbers, lists and maps at zero, never struct fields.
    CHECK(stats_event_json("c1", Stats{}) ==
          R"({"type":"stats","id":"c1","data":{"cpu":{"usage":{"kernel":0,"user":0},"throttling":{}},)"
          R"("cpuset":{"cpu_exclusive":0,"mem_hardwall":0,"mem_exclusive":0,"memory_migrate":0,)"
          R"("memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,"sched_load_balance":0,)"
          R"("sched_relax_domain_level":0},"memory":{"usage":{"limit":0,"failcnt":0},"swap":{"limit":0,"failcnt":0},)"
          R"("kernel":{"limit":0,"failcnt":0},"kernelTCP":{"limit":0,"failcnt":0}},"pids":{},"blkio":{},)"
          R"("hugetlb":{},"intel_rdt":{},"network_interfaces":null}})");
}

TEST_CASE("events json: v2 statistics with PSI, io entries and hugetlb") {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    Stats s;
    s.cpu.usage = {1234567000, {}, {}, {}, 234567000, 1000000000};
    s.cpu.throttling = {50, 4, 81000000};
    s.cpu.psi = Psi{{1.25, 0.5, 0.07, 923456}, {0, 0, 0, 16789}};
    s.memory.cache = 5242880;
    s.memory.usage = {kMax, 6991872, 0, 0};
    s.memory.swap = {kMax, 8040448, 0, 0};
    s.memory.raw = {{"file", 5242880}, {"anon", 1060864}};
    s.memory.use_hierarchy = true;
    s.memory.psi = Psi{};
    s.pids = {2, 0};
    s.blkio.io_service_bytes_recursive = {{8, 16, "Read", 1459200}, {253, 0, "Write", 0}};
    s.blkio.io_serviced_recursive = {{8, 16, "Read", 192}};
    s.blkio.psi = Psi{{0, 0, 0, 7}, {0, 0, 0, 5}};
    s.hugetlb = {{"2MB", {2097152, 0, 2}}, {"1GB", {}}};
    CHECK(stats_event_json("c2", s) ==
          R"({"type":"stats","id":"c2","data":{"cpu":{"usage":{"total":1234567000,"kernel":234567000,)"
          R"("user":1000000000},"throttling":{"periods":50,"throttledPeriods":4,"throttledTime":81000000},)"
          R"("psi":{"some":{"avg10":1.25,"avg60":0.5,"avg300":0.07,"total":923456},)"
          R"("full":{"avg10":0,"avg60":0,"avg300":0,"total":16789}}},)"
          R"("cpuset":{"cpu_exclusive":0,"mem_hardwall":0,"mem_exclusive":0,"memory_migrate":0,)"
          R"("memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,"sched_load_balance":0,)"
          R"("sched_relax_domain_level":0},"memory":{"cache":5242880,)"
          R"("usage":{"limit":18446744073709551615,"usage":6991872,"failcnt":0},)"
          R"("swap":{"limit":18446744073709551615,"usage":8040448,"failcnt":0},)"
          R"("kernel":{"limit":0,"failcnt":0},"kernelTCP":{"limit":0,"failcnt":0},)"
          R"("raw":{"anon":1060864,"file":5242880},)"
          R"("psi":{"some":{"avg10":0,"avg60":0,"avg300":0,"total":0},"full":{"avg10":0,"avg60":0,"avg300":0,"total":0}}},)"
          R"("pids":{"current":2},)"
          R"("blkio":{"ioServiceBytesRecursive":[{"major":8,"minor":16,"op":"Read","value":1459200},)"
          R"({"major":253,"op":"Write"}],"ioServicedRecursive":[{"major":8,"minor":16,"op":"Read","value":192}],)"
          R"("psi":{"some":{"avg10":0,"avg60":0,"avg300":0,"total":7},"full":{"avg10":0,"avg60":0,"avg300":0,"total":5}}},)"
          R"("hugetlb":{"1GB":{"failcnt":0},"2MB":{"usage":2097152,"failcnt":2}},)"
          R"("intel_rdt":{},"network_interfaces":null}})");
}

TEST_CASE("events json: the oom event has no data") {
    CHECK(oom_event_json("hulltest-x") == R"({"type":"oom","id":"hulltest-x"})");
}
