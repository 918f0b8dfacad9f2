// Statistics from cgroup files: fixtures in the formats the kernel writes
// (v1 copied from this project's hybrid host, v2 from the kernel's
// cgroup-v2.rst), read into runc's fields with runc's conversions.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "../test_support.hpp"
#include "linux/cgroup/stats.hpp"

using namespace hull::sys::cgroup;
using hull::test::error_of;
using hull::test::TempDir;
using Paths = std::map<std::string, std::string>;

namespace {

constexpr std::uint64_t kV1Unlimited = 9223372036854771712ULL;  // LONG_MAX rounded down to a page
constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

void put(const std::string& path, std::string_view text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
}

// A sleeping busybox container of runc 1.1.5 on the project's host.
void write_v1_cpuacct(const std::string& dir) {
    put(dir + "/cpuacct.stat", "user 0\nsystem 2\n");
    put(dir + "/cpuacct.usage", "20552941\n");
    put(dir + "/cpuacct.usage_all", "cpu user system\n0 0 8000000\n1 0 15783899\n");
    put(dir + "/cpuacct.usage_percpu", "2265105 18287836 \n");
    put(dir + "/cpuacct.usage_percpu_sys", "8000000 15783899 \n");
    put(dir + "/cpuacct.usage_percpu_user", "0 0 \n");
    put(dir + "/cpuacct.usage_sys", "23783899\n");
    put(dir + "/cpuacct.usage_user", "0\n");
}

void write_v1_cpu(const std::string& dir) {
    put(dir + "/cpu.cfs_period_us", "100000\n");
    put(dir + "/cpu.cfs_quota_us", "-1\n");
    put(dir + "/cpu.shares", "1024\n");
    put(dir + "/cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\nnr_bursts 0\nburst_time 0\n");
}

void write_v1_cpuset(const std::string& dir) {
    put(dir + "/cpuset.cpu_exclusive", "0\n");
    put(dir + "/cpuset.cpus", "0-1\n");
    put(dir + "/cpuset.effective_cpus", "0-1\n");
    put(dir + "/cpuset.mem_exclusive", "0\n");
    put(dir + "/cpuset.mem_hardwall", "0\n");
    put(dir + "/cpuset.memory_migrate", "0\n");
    put(dir + "/cpuset.memory_pressure", "0\n");
    put(dir + "/cpuset.memory_spread_page", "0\n");
    put(dir + "/cpuset.memory_spread_slab", "0\n");
    put(dir + "/cpuset.mems", "0\n");
    put(dir + "/cpuset.sched_load_balance", "1\n");
    put(dir + "/cpuset.sched_relax_domain_level", "-1\n");
}

const char* const kV1MemoryStat =
    "cache 0\nrss 53248\nrss_huge 0\nshmem 0\nmapped_file 0\ndirty 0\nwriteback 0\n"
    "workingset_refault_anon 0\nworkingset_refault_file 0\nswap 0\nswapcached 0\npgpgin 485\n"
    "pgpgout 472\npgfault 793\npgmajfault 0\ninactive_anon 49152\nactive_anon 4096\ninactive_file 0\n"
    "active_file 0\nunevictable 0\nhierarchical_memory_limit 67108864\n"
    "hierarchical_memsw_limit 9223372036854771712\ntotal_cache 0\ntotal_rss 53248\ntotal_rss_huge 0\n"
    "total_shmem 0\ntotal_mapped_file 0\ntotal_dirty 0\ntotal_writeback 0\n"
    "total_workingset_refault_anon 0\ntotal_workingset_refault_file 0\ntotal_swap 0\n"
    "total_swapcached 0\ntotal_pgpgin 485\ntotal_pgpgout 472\ntotal_pgfault 793\ntotal_pgmajfault 0\n"
    "total_inactive_anon 49152\ntotal_active_anon 4096\ntotal_inactive_file 0\ntotal_active_file 0\n"
    "total_unevictable 0\n";

void write_v1_memory(const std::string& dir) {
    put(dir + "/memory.stat", kV1MemoryStat);
    put(dir + "/memory.usage_in_bytes", "299008\n");
    put(dir + "/memory.max_usage_in_bytes", "2506752\n");
    put(dir + "/memory.limit_in_bytes", "67108864\n");
    put(dir + "/memory.failcnt", "0\n");
    put(dir + "/memory.memsw.usage_in_bytes", "299008\n");
    put(dir + "/memory.memsw.max_usage_in_bytes", "2506752\n");
    put(dir + "/memory.memsw.limit_in_bytes", "9223372036854771712\n");
    put(dir + "/memory.memsw.failcnt", "0\n");
    put(dir + "/memory.kmem.usage_in_bytes", "245760\n");
    put(dir + "/memory.kmem.max_usage_in_bytes", "536576\n");
    put(dir + "/memory.kmem.limit_in_bytes", "9223372036854771712\n");
    put(dir + "/memory.kmem.failcnt", "0\n");
    put(dir + "/memory.kmem.tcp.usage_in_bytes", "0\n");
    put(dir + "/memory.kmem.tcp.max_usage_in_bytes", "0\n");
    put(dir + "/memory.kmem.tcp.limit_in_bytes", "9223372036854771712\n");
    put(dir + "/memory.kmem.tcp.failcnt", "0\n");
    put(dir + "/memory.use_hierarchy", "1\n");
    put(dir + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    put(dir + "/memory.numa_stat", "total=13 N0=13\nfile=0 N0=0\nanon=13 N0=13\nunevictable=0 N0=0\n");
}

void write_v1_pids(const std::string& dir) {
    put(dir + "/pids.current", "1\n");
    put(dir + "/pids.max", "100\n");
    put(dir + "/pids.events", "max 0\n");
}

// This host's blkio (BFQ with no debug files, nothing transferred yet).
void write_v1_blkio_idle(const std::string& dir) {
    for (const char* f : {"blkio.bfq.io_service_bytes", "blkio.bfq.io_service_bytes_recursive", "blkio.bfq.io_serviced",
                          "blkio.bfq.io_serviced_recursive", "blkio.throttle.io_service_bytes",
                          "blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_serviced",
                          "blkio.throttle.io_serviced_recursive"}) {
        put(dir + "/" + f, "Total 0\n");
    }
    put(dir + "/blkio.bfq.weight", "100\n");
}

struct V1Host {
    TempDir tmp{"/dev/shm"};
    Paths paths;
    V1Host() {
        for (const char* h : {"cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "devices", "freezer"}) {
            paths[h] = tmp / (std::string(h) + "/hulltest");
            std::filesystem::create_directories(paths[h]);
        }
        paths["name=systemd"] = tmp / "systemd/hulltest";
        std::filesystem::create_directories(paths["name=systemd"]);
        write_v1_cpu(paths["cpu"]);
        write_v1_cpuacct(paths["cpuacct"]);
        write_v1_cpuset(paths["cpuset"]);
        write_v1_memory(paths["memory"]);
        write_v1_pids(paths["pids"]);
        write_v1_blkio_idle(paths["blkio"]);
    }
};

}  // namespace

TEST_CASE("stats v1: a container's files on this host give runc's values, field by field") {
    V1Host host;
    Stats s = read_stats(host.paths);

    CHECK(s.cpu.usage.total == 20552941);
    CHECK(s.cpu.usage.percpu == std::vector<std::uint64_t>{2265105, 18287836});
    CHECK(s.cpu.usage.percpu_kernel == std::vector<std::uint64_t>{8000000, 15783899});
    CHECK(s.cpu.usage.percpu_user == std::vector<std::uint64_t>{0, 0});
    CHECK(s.cpu.usage.kernel == 20000000);  // 2 ticks of USER_HZ=100
    CHECK(s.cpu.usage.user == 0);
    CHECK(s.cpu.throttling == Throttling{});
    CHECK_FALSE(s.cpu.psi);

    CHECK(s.cpuset.cpus == std::vector<std::uint16_t>{0, 1});
    CHECK(s.cpuset.mems == std::vector<std::uint16_t>{0});
    CHECK(s.cpuset.cpu_exclusive == 0);
    CHECK(s.cpuset.mem_hardwall == 0);
    CHECK(s.cpuset.mem_exclusive == 0);
    CHECK(s.cpuset.memory_migrate == 0);
    CHECK(s.cpuset.memory_spread_page == 0);
    CHECK(s.cpuset.memory_spread_slab == 0);
    CHECK(s.cpuset.memory_pressure == 0);
    CHECK(s.cpuset.sched_load_balance == 1);
    CHECK(s.cpuset.sched_relax_domain_level == -1);

    CHECK(s.memory.cache == 0);
    CHECK(s.memory.usage == MemoryEntry{67108864, 299008, 2506752, 0});
    CHECK(s.memory.swap == MemoryEntry{kV1Unlimited, 299008, 2506752, 0});
    CHECK(s.memory.kernel == MemoryEntry{kV1Unlimited, 245760, 536576, 0});
    CHECK(s.memory.kernel_tcp == MemoryEntry{kV1Unlimited, 0, 0, 0});
    CHECK(s.memory.raw.size() == 42);
    CHECK(s.memory.raw.at("rss") == 53248);
    CHECK(s.memory.raw.at("hierarchical_memsw_limit") == kV1Unlimited);
    CHECK(s.memory.raw.at("total_pgfault") == 793);
    CHECK(s.memory.use_hierarchy);
    CHECK_FALSE(s.memory.psi);

    CHECK(s.pids == PidsStats{1, 100});
    CHECK(s.blkio == BlkioStats{});  // only "Total 0" lines: runc reports nothing
    CHECK(s.hugetlb.empty());
}

TEST_CASE("stats v1: cpu and cpuacct mounted together as cpu,cpuacct") {
    TempDir tmp("/dev/shm");
    std::string dir = tmp / "cpu,cpuacct/c";
    write_v1_cpuacct(dir);
    put(dir + "/cpu.stat", "nr_periods 120\nnr_throttled 7\nthrottled_time 3500000\n");
    put(dir + "/cpuacct.stat", "user 150\nsystem 25\n");
    Stats s = read_stats({{"cpu,cpuacct", dir}});
    CHECK(s.cpu.throttling == Throttling{120, 7, 3500000});  // throttled_time is already in ns on v1
    CHECK(s.cpu.usage.user == 1500000000);
    CHECK(s.cpu.usage.kernel == 250000000);
    CHECK(s.cpu.usage.total == 20552941);
}

TEST_CASE("stats v1: blkio takes the first set of files with entries, as runc") {
    TempDir tmp("/dev/shm");
    std::string dir = tmp / "blkio";
    write_v1_blkio_idle(dir);

    SUBCASE("BFQ counters") {
        put(dir + "/blkio.bfq.io_serviced_recursive",
            "8:0 Read 124\n8:0 Write 104\n8:0 Sync 104\n8:0 Async 124\n8:0 Discard 0\n8:0 Total 228\nTotal 228\n");
        put(dir + "/blkio.bfq.io_service_bytes_recursive", "8:0 Read 1282048\n8:0 Write 2195456\nTotal 3477504\n");
        put(dir + "/blkio.throttle.io_serviced_recursive", "8:0 Read 1\nTotal 1\n");
        Stats s = read_stats({{"blkio", dir}});
        REQUIRE(s.blkio.io_serviced_recursive.size() == 6);
        CHECK(s.blkio.io_serviced_recursive[0] == BlkioEntry{8, 0, "Read", 124});
        CHECK(s.blkio.io_serviced_recursive[4] == BlkioEntry{8, 0, "Discard", 0});
        CHECK(s.blkio.io_serviced_recursive[5] == BlkioEntry{8, 0, "Total", 228});
        CHECK(s.blkio.io_service_bytes_recursive ==
              std::vector<BlkioEntry>{{8, 0, "Read", 1282048}, {8, 0, "Write", 2195456}});
        CHECK(s.blkio.sectors_recursive.empty());
    }
    SUBCASE("the throttle counters when the scheduler's files are empty") {
        put(dir + "/blkio.throttle.io_serviced_recursive", "253:1 Read 10\n253:1 Write 20\nTotal 30\n");
        put(dir + "/blkio.throttle.io_service_bytes_recursive", "253:1 Read 40960\n253:1 Write 81920\nTotal 1\n");
        Stats s = read_stats({{"blkio", dir}});
        CHECK(s.blkio.io_serviced_recursive == std::vector<BlkioEntry>{{253, 1, "Read", 10}, {253, 1, "Write", 20}});
        CHECK(s.blkio.io_service_bytes_recursive ==
              std::vector<BlkioEntry>{{253, 1, "Read", 40960}, {253, 1, "Write", 81920}});
    }
    SUBCASE("CFQ's full set, with the op-less sectors and time files") {
        std::filesystem::remove(dir + "/blkio.bfq.io_serviced_recursive");
        put(dir + "/blkio.sectors_recursive", "8:0 6792\n");
        put(dir + "/blkio.io_service_time_recursive", "8:0 Read 5\nTotal 5\n");
        put(dir + "/blkio.io_wait_time_recursive", "8:0 Read 6\nTotal 6\n");
        put(dir + "/blkio.io_merged_recursive", "8:0 Read 7\nTotal 7\n");
        put(dir + "/blkio.io_queued_recursive", "8:0 Read 8\nTotal 8\n");
        put(dir + "/blkio.time_recursive", "8:0 900\n");
        put(dir + "/blkio.io_serviced_recursive", "8:0 Write 10\nTotal 10\n");
        put(dir + "/blkio.io_service_bytes_recursive", "8:0 Write 4096\nTotal 4096\n");
        Stats s = read_stats({{"blkio", dir}});
        CHECK(s.blkio.sectors_recursive == std::vector<BlkioEntry>{{8, 0, "", 6792}});
        CHECK(s.blkio.io_service_time_recursive == std::vector<BlkioEntry>{{8, 0, "Read", 5}});
        CHECK(s.blkio.io_wait_time_recursive == std::vector<BlkioEntry>{{8, 0, "Read", 6}});
        CHECK(s.blkio.io_merged_recursive == std::vector<BlkioEntry>{{8, 0, "Read", 7}});
        CHECK(s.blkio.io_queued_recursive == std::vector<BlkioEntry>{{8, 0, "Read", 8}});
        CHECK(s.blkio.io_time_recursive == std::vector<BlkioEntry>{{8, 0, "", 900}});
        CHECK(s.blkio.io_serviced_recursive == std::vector<BlkioEntry>{{8, 0, "Write", 10}});
        CHECK(s.blkio.io_service_bytes_recursive == std::vector<BlkioEntry>{{8, 0, "Write", 4096}});
    }
}

TEST_CASE("stats v1: hugetlb per page size, reservation files ignored") {
    TempDir tmp("/dev/shm");
    std::string dir = tmp / "hugetlb/c";
    put(dir + "/hugetlb.2MB.usage_in_bytes", "4194304\n");
    put(dir + "/hugetlb.2MB.max_usage_in_bytes", "6291456\n");
    put(dir + "/hugetlb.2MB.failcnt", "3\n");
    put(dir + "/hugetlb.2MB.limit_in_bytes", "8388608\n");
    put(dir + "/hugetlb.2MB.rsvd.usage_in_bytes", "999\n");
    put(dir + "/hugetlb.1GB.usage_in_bytes", "0\n");
    put(dir + "/hugetlb.1GB.max_usage_in_bytes", "0\n");
    put(dir + "/hugetlb.1GB.failcnt", "0\n");
    Stats s = read_stats({{"hugetlb", dir}});
    REQUIRE(s.hugetlb.size() == 2);
    CHECK(s.hugetlb.at("2MB") == HugetlbStats{4194304, 6291456, 3});
    CHECK(s.hugetlb.at("1GB") == HugetlbStats{});
}

namespace {

// v2 files in the formats of the kernel's cgroup-v2.rst.
void write_v2(const std::string& dir) {
    put(dir + "/cgroup.procs", "4242\n4243\n");
    put(dir + "/cpu.stat",
        "usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\ncore_sched.force_idle_usec 0\n"
        "nr_periods 50\nnr_throttled 4\nthrottled_usec 81000\nnr_bursts 0\nburst_usec 0\n");
    put(dir + "/cpu.pressure", "some avg10=1.25 avg60=0.50 avg300=0.07 total=923456\n"
                               "full avg10=0.00 avg60=0.00 avg300=0.00 total=16789\n");
    put(dir + "/memory.stat",
        "anon 1060864\nfile 5242880\nkernel 335872\nkernel_stack 32768\npagetables 98304\nsock 0\n"
        "shmem 0\nfile_mapped 2101248\nfile_dirty 0\nfile_writeback 0\nanon_thp 0\ninactive_anon 1019904\n"
        "active_anon 40960\ninactive_file 4194304\nactive_file 1048576\nunevictable 0\n"
        "slab_reclaimable 106496\nslab_unreclaimable 90112\nslab 196608\npgfault 4286\npgmajfault 28\n");
    put(dir + "/memory.current", "6991872\n");
    put(dir + "/memory.max", "67108864\n");
    put(dir + "/memory.swap.current", "1048576\n");
    put(dir + "/memory.swap.max", "33554432\n");
    put(dir + "/memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
    put(dir + "/memory.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
                                  "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    put(dir + "/pids.current", "2\n");
    put(dir + "/pids.max", "max\n");
    put(dir + "/io.stat", "8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0\n"
                          "253:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=512 dios=1\n");
    put(dir + "/io.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=7\n"
                              "full avg10=0.00 avg60=0.00 avg300=0.00 total=5\n");
    put(dir + "/hugetlb.2MB.current", "2097152\n");
    put(dir + "/hugetlb.2MB.events", "max 2\n");
    put(dir + "/hugetlb.2MB.max", "4194304\n");
    put(dir + "/hugetlb.2MB.rsvd.current", "0\n");
}

}  // namespace

TEST_CASE("stats v2: runc's conversions to the v1 shape") {
    TempDir tmp("/dev/shm");
    std::string dir = tmp / "unified/c";
    write_v2(dir);
    Stats s = read_stats({{"", dir}});

    CHECK(s.cpu.usage.total == 1234567000);  // usec -> ns
    CHECK(s.cpu.usage.user == 1000000000);
    CHECK(s.cpu.usage.kernel == 234567000);
    CHECK(s.cpu.usage.percpu.empty());
    CHECK(s.cpu.usage.percpu_kernel.empty());
    CHECK(s.cpu.throttling == Throttling{50, 4, 81000000});
    REQUIRE(s.cpu.psi);
    CHECK(s.cpu.psi->some == PsiData{1.25, 0.5, 0.07, 923456});
    CHECK(s.cpu.psi->full == PsiData{0, 0, 0, 16789});

    CHECK(s.cpuset == CpusetStats{});  // runc reads no cpuset statistics on v2

    CHECK(s.memory.cache == 5242880);  // memory.stat "file"
    CHECK(s.memory.usage == MemoryEntry{67108864, 6991872, 0, 0});
    // swap as v1 reports it: memory + swap, limits added.
    CHECK(s.memory.swap == MemoryEntry{67108864 + 33554432, 6991872 + 1048576, 0, 0});
    CHECK(s.memory.kernel == MemoryEntry{});
    CHECK(s.memory.kernel_tcp == MemoryEntry{});
    CHECK(s.memory.raw.size() == 21);
    CHECK(s.memory.raw.at("anon") == 1060864);
    CHECK(s.memory.raw.at("pgmajfault") == 28);
    CHECK(s.memory.use_hierarchy);
    REQUIRE(s.memory.psi);
    CHECK(*s.memory.psi == Psi{});

    CHECK(s.pids == PidsStats{2, 0});  // "max" is reported as no limit, 0

    CHECK(s.blkio.io_service_bytes_recursive == std::vector<BlkioEntry>{{8, 16, "Read", 1459200},
                                                                         {8, 16, "Write", 314773504},
                                                                         {253, 0, "Read", 4096},
                                                                         {253, 0, "Write", 0}});
    CHECK(s.blkio.io_serviced_recursive ==
          std::vector<BlkioEntry>{{8, 16, "Read", 192}, {8, 16, "Write", 353}, {253, 0, "Read", 1}, {253, 0, "Write", 0}});
    CHECK(s.blkio.sectors_recursive.empty());
    REQUIRE(s.blkio.psi);
    CHECK(s.blkio.psi->some.total == 7);
    CHECK(s.blkio.psi->full.total == 5);

    REQUIRE(s.hugetlb.size() == 1);
    CHECK(s.hugetlb.at("2MB") == HugetlbStats{2097152, 0, 2});
}

TEST_CASE("stats v2: an unlimited or absent swap") {
    TempDir tmp("/dev/shm");
    std::string dir = tmp / "c";
    write_v2(dir);
    put(dir + "/memory.max", "max\n");

    SUBCASE("memory.swap.max \"max\" stays unlimited") {
        put(dir + "/memory.swap.max", "max\n");
        Stats s = read_stats({{"", dir}});
        CHECK(s.memory.usage.limit == kMax);
        CHECK(s.memory.swap == MemoryEntry{kMax, 6991872 + 1048576, 0, 0});
    }
    SUBCASE("no swap accounting: memory alone, as runc reports it") {
        std::filesystem::remove(dir + "/memory.swap.current");
        std::filesystem::remove(dir + "/memory.swap.max");
        put(dir + "/memory.max", "1048576\n");
        Stats s = read_stats({{"", dir}});
        CHECK(s.memory.swap == MemoryEntry{1048576, 6991872, 0, 0});
    }
}

TEST_CASE("stats v2: without the pids controller, the processes are counted") {
    TempDir tmp("/dev/shm");
    std::string dir = tmp / "c";
    put(dir + "/cgroup.procs", "1\n20\n300\n");
    Stats s = read_stats({{"", dir}});
    CHECK(s.pids == PidsStats{3, 0});
}

TEST_CASE("stats: on a hybrid host a v1 hierarchy wins over the v2 directory") {
    V1Host host;
    std::string v2 = host.tmp / "unified/hulltest";
    write_v2(v2);
    host.paths[""] = v2;
    Stats s = read_stats(host.paths);
    CHECK(s.memory.usage.usage == 299008);  // v1 memory, not v2's memory.current
    CHECK_FALSE(s.memory.psi);
    CHECK(s.cpu.usage.total == 20552941);  // v1 cpuacct
    CHECK_FALSE(s.cpu.psi);
    CHECK(s.pids == PidsStats{1, 100});
    CHECK(s.blkio == BlkioStats{});
    // No v1 hugetlb hierarchy: v2's.
    CHECK(s.hugetlb.at("2MB") == HugetlbStats{2097152, 0, 2});
}

TEST_CASE("stats: controllers and files the host lacks leave their parts empty") {
    TempDir tmp("/dev/shm");
    CHECK(read_stats({}) == Stats{});
    Paths empty_dirs;
    for (const char* h : {"cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "hugetlb", ""}) {
        empty_dirs[h] = tmp / (std::string("d-") + h);
        std::filesystem::create_directories(empty_dirs[h]);
    }
    CHECK(read_stats(empty_dirs) == Stats{});
    Paths gone{{"memory", tmp / "nonexistent"}, {"cpuacct", tmp / "nonexistent"}, {"", tmp / "nonexistent"}};
    CHECK(read_stats(gone) == Stats{});

    // v1 without swap accounting or kmem: those entries stay empty.
    std::string mem = tmp / "memory/c";
    write_v1_memory(mem);
    for (const char* f : {"memsw.usage_in_bytes", "memsw.max_usage_in_bytes", "memsw.limit_in_bytes", "memsw.failcnt",
                          "kmem.usage_in_bytes", "kmem.tcp.usage_in_bytes"}) {
        std::filesystem::remove(mem + "/memory." + f);
    }
    Stats s = read_stats({{"memory", mem}});
    CHECK(s.memory.usage.usage == 299008);
    CHECK(s.memory.swap == MemoryEntry{});
    CHECK(s.memory.kernel == MemoryEntry{});
    CHECK(s.memory.kernel_tcp == MemoryEntry{});
}

TEST_CASE("stats: negative v1 counters read as 0, as runc reads them") {
    TempDir tmp("/dev/shm");
    std::string mem = tmp / "memory/c";
    write_v1_memory(mem);
    put(mem + "/memory.stat", "cache 4096\ntotal_inactive_file -8192\n");
    Stats s = read_stats({{"memory", mem}});
    CHECK(s.memory.cache == 4096);
    CHECK(s.memory.raw.at("total_inactive_file") == 0);
}

TEST_CASE("stats: a malformed file is an error naming it") {
    V1Host host;
    put(host.paths["memory"] + "/memory.stat", "cache 12 extra\n");
    std::string err = error_of([&] { read_stats(host.paths); });
    CHECK(err.find(host.paths["memory"] + "/memory.stat") != std::string::npos);
    CHECK(err.find("expected \"key value\"") != std::string::npos);

    put(host.paths["memory"] + "/memory.stat", kV1MemoryStat);
    put(host.paths["pids"] + "/pids.current", "lots\n");
    err = error_of([&] { read_stats(host.paths); });
    CHECK(err.find(host.paths["pids"] + "/pids.current: expected a non-negative integer or \"max\", got \"lots\"") !=
          std::string::npos);

    write_v1_pids(host.paths["pids"]);
    put(host.paths["cpuset"] + "/cpuset.cpus", "3-1\n");
    err = error_of([&] { read_stats(host.paths); });
    CHECK(err.find(host.paths["cpuset"] + "/cpuset.cpus: range \"3-1\" runs backwards") != std::string::npos);

    write_v1_cpuset(host.paths["cpuset"]);
    put(host.paths["cpuacct"] + "/cpuacct.stat", "system 2\nuser 0\n");
    err = error_of([&] { read_stats(host.paths); });
    CHECK(err.find(host.paths["cpuacct"] + "/cpuacct.stat") != std::string::npos);

    write_v1_cpuacct(host.paths["cpuacct"]);
    put(host.paths["blkio"] + "/blkio.throttle.io_serviced", "8:0 Read\n");
    err = error_of([&] { read_stats(host.paths); });
    CHECK(err.find(host.paths["blkio"] + "/blkio.throttle.io_serviced") != std::string::npos);

    TempDir v2("/dev/shm");
    write_v2(v2.path());
    put(v2 / "cpu.pressure", "some avg10=high avg60=0.00 avg300=0.00 total=0\n");
    err = error_of([&] { read_stats({{"", v2.path()}}); });
    CHECK(err.find(v2 / "cpu.pressure: expected a decimal number, got \"high\"") != std::string::npos);
}
