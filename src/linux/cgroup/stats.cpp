#include "linux/cgroup/stats.hpp"

#include "linux/cgroup/saved_paths.hpp"
#include "linux/cgroup/stats_readers.hpp"
#include "util/error.hpp"

namespace hull::sys::cgroup {
namespace {

using Paths = std::map<std::string, std::string>;

void read_cpu(const Paths& paths, Stats& s) {
    const std::string* cpu = v1_dir(paths, "cpu");
    const std::string* cpuacct = v1_dir(paths, "cpuacct");
    if (cpu || cpuacct) return stats_v1::read_cpu(cpu ? *cpu : "", cpuacct ? *cpuacct : "", s.cpu);
    if (const std::string* v2 = v2_dir(paths)) stats_v2::read_cpu(*v2, s.cpu);
}

// Reads controller from its v1 hierarchy with read_v1, else from the v2
// directory with read_v2 (when there is one).
template <typename Part, typename V1, typename V2>
void read_part(const Paths& paths, std::string_view controller, Part& part, V1 read_v1, V2 read_v2) {
    if (const std::string* dir = v1_dir(paths, controller)) return read_v1(*dir, part);
    if (const std::string* dir = v2_dir(paths)) read_v2(*dir, part);
}

}  // namespace

Stats read_stats(const Paths& paths) {
    return with_context("read cgroup statistics", [&] {
        Stats s;
        read_cpu(paths, s);
        // runc reads no cpuset statistics on v2.
        if (const std::string* dir = v1_dir(paths, "cpuset")) stats_v1::read_cpuset(*dir, s.cpuset);
        read_part(paths, "memory", s.memory, stats_v1::read_memory, stats_v2::read_memory);
        read_part(paths, "pids", s.pids, stats_v1::read_pids, stats_v2::read_pids);
        read_part(paths, "blkio", s.blkio, stats_v1::read_blkio, stats_v2::read_io);
        read_part(paths, "hugetlb", s.hugetlb, stats_v1::read_hugetlb, stats_v2::read_hugetlb);
        return s;
    });
}

}  // namespace hull::sys::cgroup
