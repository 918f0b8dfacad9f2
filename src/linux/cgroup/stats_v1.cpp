// cgroup v1 statistics, file by file as runc's libcontainer/cgroups/fs reads
// them (kernel Documentation/admin-guide/cgroup-v1/).
#include <array>
#include <limits>

#include <fmt/format.h>

#include "linux/cgroup/stat_files.hpp"
#include "linux/cgroup/stats_readers.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup::stats_v1 {
namespace {

using namespace stat_files;

// cpuacct.stat counts in USER_HZ ticks, which the kernel ABI fixes at 100
// whatever CONFIG_HZ is (runc hard-codes the same).
constexpr std::uint64_t kUserHz = 100;
constexpr std::uint64_t kNanosecondsPerSecond = 1'000'000'000;

std::string join(const std::string& dir, std::string_view file) { return fmt::format("{}/{}", dir, file); }

std::uint64_t value_or_zero(const std::string& dir, std::string_view file) {
    return read_value(join(dir, file)).value_or(0);
}

std::vector<std::uint64_t> parse_list(std::string_view text, const std::string& path) {
    std::vector<std::uint64_t> out;
    for (std::string_view f : fields(text)) out.push_back(parse_value(f, path));
    return out;
}

// cpuacct.stat: "user N\nsystem M" in ticks, reported in nanoseconds.
void read_cpuacct_stat(const std::string& path, CpuUsage& usage) {
    auto text = read_optional(path);
    if (!text) return;
    auto f = fields(*text);
    if (f.size() < 4 || f[0] != "user" || f[2] != "system") {
        fail(path, "expected \"user N\" and \"system N\" lines");
    }
    usage.user = parse_value(f[1], path) * kNanosecondsPerSecond / kUserHz;
    usage.kernel = parse_value(f[3], path) * kNanosecondsPerSecond / kUserHz;
}

// cpuacct.usage_all: a "cpu user system" header, then one row per cpu.
void read_cpuacct_usage_all(const std::string& path, CpuUsage& usage) {
    auto text = read_optional(path);
    if (!text) return;
    auto rows = lines(*text);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        auto f = fields(rows[i]);
        if (f.size() != 3) continue;  // as runc: rows of another shape are not per-cpu times
        usage.percpu_user.push_back(parse_value(f[1], path));
        usage.percpu_kernel.push_back(parse_value(f[2], path));
    }
}

void read_throttling(const std::string& dir, Throttling& out) {
    const std::string path = join(dir, "cpu.stat");
    auto text = read_optional(path);
    if (!text) return;
    for (const auto& [key, value] : parse_flat_keyed(*text, path)) {
        if (key == "nr_periods") out.periods = value;
        if (key == "nr_throttled") out.throttled_periods = value;
        if (key == "throttled_time") out.throttled_time = value;  // already in ns on v1
    }
}

// memory.{,memsw.,kmem.,kmem.tcp.}{usage,max_usage,limit}_in_bytes and failcnt.
// The swap and kmem files are optional in the kernel; their absence leaves the entry empty.
MemoryEntry read_memory_entry(const std::string& dir, std::string_view prefix) {
    MemoryEntry e;
    auto usage = read_value(join(dir, fmt::format("{}usage_in_bytes", prefix)));
    if (!usage) return e;
    e.usage = *usage;
    e.max = value_or_zero(dir, fmt::format("{}max_usage_in_bytes", prefix));
    e.failcnt = value_or_zero(dir, fmt::format("{}failcnt", prefix));
    e.limit = value_or_zero(dir, fmt::format("{}limit_in_bytes", prefix));
    return e;
}

// blkio.*: "MAJ:MIN [OP] VALUE" lines and a final "Total N" line, skipped.
std::vector<BlkioEntry> read_blkio_file(const std::string& path) {
    std::vector<BlkioEntry> out;
    auto text = read_optional(path);
    if (!text) return out;
    for (std::string_view line : lines(*text)) {
        auto f = fields(line);
        if (f.size() == 2 && f[0] == "Total") continue;
        auto colon = f.empty() ? std::string_view::npos : f[0].find(':');
        if ((f.size() != 2 && f.size() != 3) || colon == std::string_view::npos) {
            fail(path, fmt::format("expected \"MAJOR:MINOR [OP] VALUE\", got \"{}\"", line));
        }
        BlkioEntry e;
        e.major = parse_value(f[0].substr(0, colon), path);
        e.minor = parse_value(f[0].substr(colon + 1), path);
        if (f.size() == 3) e.op = std::string(f[1]);
        e.value = parse_value(f.back(), path);
        out.push_back(std::move(e));
    }
    return out;
}

using BlkioTable = std::vector<BlkioEntry> BlkioStats::*;
struct BlkioFile {
    const char* name;
    BlkioTable table;
};

// runc's order of preference: the BFQ scheduler's files (with its debug
// ones, then without), CFQ's (kernels before 5.0), then the throttle
// counters, which every kernel has. The first set whose first file has
// entries wins; within it, reading stops at the first empty file.
const std::array<std::vector<BlkioFile>, 5>& blkio_file_sets() {
    using S = BlkioStats;
    static const std::array<std::vector<BlkioFile>, 5> sets = {{
        {{"blkio.bfq.sectors_recursive", &S::sectors_recursive},
         {"blkio.bfq.io_service_time_recursive", &S::io_service_time_recursive},
         {"blkio.bfq.io_wait_time_recursive", &S::io_wait_time_recursive},
         {"blkio.bfq.io_merged_recursive", &S::io_merged_recursive},
         {"blkio.bfq.io_queued_recursive", &S::io_queued_recursive},
         {"blkio.bfq.time_recursive", &S::io_time_recursive},
         {"blkio.bfq.io_serviced_recursive", &S::io_serviced_recursive},
         {"blkio.bfq.io_service_bytes_recursive", &S::io_service_bytes_recursive}},
        {{"blkio.bfq.io_serviced_recursive", &S::io_serviced_recursive},
         {"blkio.bfq.io_service_bytes_recursive", &S::io_service_bytes_recursive}},
        {{"blkio.sectors_recursive", &S::sectors_recursive},
         {"blkio.io_service_time_recursive", &S::io_service_time_recursive},
         {"blkio.io_wait_time_recursive", &S::io_wait_time_recursive},
         {"blkio.io_merged_recursive", &S::io_merged_recursive},
         {"blkio.io_queued_recursive", &S::io_queued_recursive},
         {"blkio.time_recursive", &S::io_time_recursive},
         {"blkio.io_serviced_recursive", &S::io_serviced_recursive},
         {"blkio.io_service_bytes_recursive", &S::io_service_bytes_recursive}},
        {{"blkio.throttle.io_serviced_recursive", &S::io_serviced_recursive},
         {"blkio.throttle.io_service_bytes_recursive", &S::io_service_bytes_recursive}},
        {{"blkio.throttle.io_serviced", &S::io_serviced_recursive},
         {"blkio.throttle.io_service_bytes", &S::io_service_bytes_recursive}},
    }};
    return sets;
}

}  // namespace

void read_cpu(const std::string& cpu_dir, const std::string& cpuacct_dir, CpuStats& out) {
    if (!cpu_dir.empty()) read_throttling(cpu_dir, out.throttling);
    if (cpuacct_dir.empty()) return;
    CpuUsage& usage = out.usage;
    read_cpuacct_stat(join(cpuacct_dir, "cpuacct.stat"), usage);
    usage.total = value_or_zero(cpuacct_dir, "cpuacct.usage");
    const std::string percpu = join(cpuacct_dir, "cpuacct.usage_percpu");
    if (auto text = read_optional(percpu)) usage.percpu = parse_list(*text, percpu);
    read_cpuacct_usage_all(join(cpuacct_dir, "cpuacct.usage_all"), usage);
}

void read_cpuset(const std::string& dir, CpusetStats& out) {
    const std::string cpus = join(dir, "cpuset.cpus");
    if (auto text = read_optional(cpus)) out.cpus = parse_id_list(*text, cpus);
    const std::string mems = join(dir, "cpuset.mems");
    if (auto text = read_optional(mems)) out.mems = parse_id_list(*text, mems);
    out.cpu_exclusive = value_or_zero(dir, "cpuset.cpu_exclusive");
    out.mem_hardwall = value_or_zero(dir, "cpuset.mem_hardwall");
    out.mem_exclusive = value_or_zero(dir, "cpuset.mem_exclusive");
    out.memory_migrate = value_or_zero(dir, "cpuset.memory_migrate");
    out.memory_spread_page = value_or_zero(dir, "cpuset.memory_spread_page");
    out.memory_spread_slab = value_or_zero(dir, "cpuset.memory_spread_slab");
    out.memory_pressure = value_or_zero(dir, "cpuset.memory_pressure");
    out.sched_load_balance = value_or_zero(dir, "cpuset.sched_load_balance");
    // -1 ("the system default") is the usual value: read as signed.
    const std::string level = join(dir, "cpuset.sched_relax_domain_level");
    if (auto text = read_optional(level)) {
        auto v = util::parse_i64(fields(*text).empty() ? "" : fields(*text)[0]);
        if (!v) fail(level, fmt::format("expected an integer, got \"{}\"", *text));
        out.sched_relax_domain_level = *v;
    }
}

void read_memory(const std::string& dir, MemoryStats& out) {
    const std::string stat = join(dir, "memory.stat");
    auto text = read_optional(stat);
    if (!text) return;
    for (auto& [key, value] : parse_flat_keyed(*text, stat)) out.raw[key] = value;
    if (auto it = out.raw.find("cache"); it != out.raw.end()) out.cache = it->second;
    out.usage = read_memory_entry(dir, "memory.");
    out.swap = read_memory_entry(dir, "memory.memsw.");
    out.kernel = read_memory_entry(dir, "memory.kmem.");
    out.kernel_tcp = read_memory_entry(dir, "memory.kmem.tcp.");
    out.use_hierarchy = value_or_zero(dir, "memory.use_hierarchy") == 1;
}

void read_pids(const std::string& dir, PidsStats& out) {
    auto current = read_value(join(dir, "pids.current"));
    if (!current) return;
    out.current = *current;
    // "max" (no limit) is reported as 0, as runc does.
    std::uint64_t limit = value_or_zero(dir, "pids.max");
    out.limit = limit == std::numeric_limits<std::uint64_t>::max() ? 0 : limit;
}

void read_blkio(const std::string& dir, BlkioStats& out) {
    for (const auto& set : blkio_file_sets()) {
        auto first = read_blkio_file(join(dir, set[0].name));
        if (first.empty()) continue;
        out.*set[0].table = std::move(first);
        for (std::size_t i = 1; i < set.size(); ++i) {
            auto entries = read_blkio_file(join(dir, set[i].name));
            if (entries.empty()) break;
            out.*set[i].table = std::move(entries);
        }
        return;
    }
}

// hugetlb.<size>.{usage_in_bytes,max_usage_in_bytes,failcnt} for each page
// size the kernel created files for ("2MB", "1GB"; not the .rsvd. ones).
void read_hugetlb(const std::string& dir, std::map<std::string, HugetlbStats>& out) {
    for (const std::string& size : hugetlb_page_sizes(dir, ".usage_in_bytes")) {
        const std::string base = fmt::format("hugetlb.{}.", size);
        HugetlbStats& h = out[size];
        h.usage = value_or_zero(dir, base + "usage_in_bytes");
        h.max = value_or_zero(dir, base + "max_usage_in_bytes");
        h.failcnt = value_or_zero(dir, base + "failcnt");
    }
}

}  // namespace hull::sys::cgroup::stats_v1
