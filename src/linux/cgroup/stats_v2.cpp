// cgroup v2 statistics with runc's conversions to the v1 shape
// (libcontainer/cgroups/fs2; kernel Documentation/admin-guide/cgroup-v2.rst).
#include <limits>

#include <fmt/format.h>

#include "linux/cgroup/stat_files.hpp"
#include "linux/cgroup/stats_readers.hpp"

namespace hull::sys::cgroup::stats_v2 {
namespace {

using namespace stat_files;

constexpr std::uint64_t kNanosecondsPerMicrosecond = 1000;
constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

std::string join(const std::string& dir, std::string_view file) { return fmt::format("{}/{}", dir, file); }

std::optional<Psi> read_psi(const std::string& dir, std::string_view file) {
    const std::string path = join(dir, file);
    auto text = read_pressure(path);
    if (!text) return std::nullopt;
    return parse_psi(*text, path);
}

// memory.current and memory.max (or memory.swap.*): usage and limit only,
// v2 has no peak or failure counter in these files.
std::optional<MemoryEntry> read_memory_entry(const std::string& dir, std::string_view prefix) {
    auto usage = read_value(join(dir, fmt::format("{}current", prefix)));
    if (!usage) return std::nullopt;
    MemoryEntry e;
    e.usage = *usage;
    e.limit = read_value(join(dir, fmt::format("{}max", prefix))).value_or(0);
    return e;
}

// io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N".
void parse_io_line(std::string_view line, const std::string& path, BlkioStats& out) {
    auto f = fields(line);
    auto colon = f[0].find(':');
    if (colon == std::string_view::npos) return;  // as runc: not a device line
    std::uint64_t major = parse_value(f[0].substr(0, colon), path);
    std::uint64_t minor = parse_value(f[0].substr(colon + 1), path);
    for (std::size_t i = 1; i < f.size(); ++i) {
        auto eq = f[i].find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view key = f[i].substr(0, eq);
        // runc maps the byte and io counts onto v1's two tables and drops
        // what has no v1 counterpart (discards).
        std::vector<BlkioEntry>* table = nullptr;
        if (key == "rbytes" || key == "wbytes") table = &out.io_service_bytes_recursive;
        if (key == "rios" || key == "wios") table = &out.io_serviced_recursive;
        if (table == nullptr) continue;
        std::string op = key[0] == 'r' ? "Read" : "Write";
        table->push_back(BlkioEntry{major, minor, std::move(op), parse_value(f[i].substr(eq + 1), path)});
    }
}

std::uint64_t count_lines(const std::string& path) {
    auto text = read_optional(path);
    return text ? lines(*text).size() : 0;
}

}  // namespace

void read_cpu(const std::string& dir, CpuStats& out) {
    // cpu.stat is a core file: it is there (with the usage keys) even
    // when the cpu controller is not enabled for this cgroup.
    const std::string path = join(dir, "cpu.stat");
    if (auto text = read_optional(path)) {
        for (const auto& [key, value] : parse_flat_keyed(*text, path)) {
            if (key == "usage_usec") out.usage.total = value * kNanosecondsPerMicrosecond;
            if (key == "user_usec") out.usage.user = value * kNanosecondsPerMicrosecond;
            if (key == "system_usec") out.usage.kernel = value * kNanosecondsPerMicrosecond;
            if (key == "nr_periods") out.throttling.periods = value;
            if (key == "nr_throttled") out.throttling.throttled_periods = value;
            if (key == "throttled_usec") out.throttling.throttled_time = value * kNanosecondsPerMicrosecond;
        }
    }
    out.psi = read_psi(dir, "cpu.pressure");
}

void read_memory(const std::string& dir, MemoryStats& out) {
    const std::string stat = join(dir, "memory.stat");
    auto text = read_optional(stat);
    if (!text) return;  // the memory controller is not enabled here
    for (auto& [key, value] : parse_flat_keyed(*text, stat)) out.raw[key] = value;
    if (auto it = out.raw.find("file"); it != out.raw.end()) out.cache = it->second;
    out.use_hierarchy = true;  // v2 is always hierarchical
    out.usage = read_memory_entry(dir, "memory.").value_or(MemoryEntry{});
    // v1 reports swap as memory+swap and v2 as swap alone; runc adds memory
    // back for the v1 shape, also when the kernel has no swap accounting.
    out.swap = read_memory_entry(dir, "memory.swap.").value_or(MemoryEntry{});
    out.swap.usage += out.usage.usage;
    if (out.swap.limit != kUnlimited) out.swap.limit += out.usage.limit;
    out.psi = read_psi(dir, "memory.pressure");
}

void read_pids(const std::string& dir, PidsStats& out) {
    auto current = read_value(join(dir, "pids.current"));
    if (!current) {
        // No pids controller here: count the processes, with no limit (runc).
        out.current = count_lines(join(dir, "cgroup.procs"));
        return;
    }
    out.current = *current;
    std::uint64_t limit = read_value(join(dir, "pids.max")).value_or(0);
    out.limit = limit == kUnlimited ? 0 : limit;
}

void read_io(const std::string& dir, BlkioStats& out) {
    const std::string path = join(dir, "io.stat");
    if (auto text = read_optional(path)) {
        for (std::string_view line : lines(*text)) parse_io_line(line, path, out);
    }
    out.psi = read_psi(dir, "io.pressure");
}

// hugetlb.<size>.current, and the "max" count of hugetlb.<size>.events
// (allocations refused by the limit) as the failure count.
void read_hugetlb(const std::string& dir, std::map<std::string, HugetlbStats>& out) {
    for (const std::string& size : hugetlb_page_sizes(dir, ".current")) {
        HugetlbStats& h = out[size];
        h.usage = read_value(join(dir, fmt::format("hugetlb.{}.current", size))).value_or(0);
        h.failcnt = read_key(join(dir, fmt::format("hugetlb.{}.events", size)), "max").value_or(0);
    }
}

}  // namespace hull::sys::cgroup::stats_v2
