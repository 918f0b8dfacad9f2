// The per-controller readers behind read_stats: one per controller and
// cgroup version, each given the directory that holds the controller.
// Internal to src/linux/cgroup (read_stats chooses which to call).
#pragma once

#include <string>

#include "linux/cgroup/stats.hpp"

namespace hull::sys::cgroup::stats_v1 {

// cpu.stat (throttling) lives in the "cpu" hierarchy and the usage files in
// "cpuacct"; hosts mount them together or apart, so either may be "".
void read_cpu(const std::string& cpu_dir, const std::string& cpuacct_dir, CpuStats& out);
void read_cpuset(const std::string& dir, CpusetStats& out);
void read_memory(const std::string& dir, MemoryStats& out);
void read_pids(const std::string& dir, PidsStats& out);
void read_blkio(const std::string& dir, BlkioStats& out);
void read_hugetlb(const std::string& dir, std::map<std::string, HugetlbStats>& out);

}  // namespace hull::sys::cgroup::stats_v1

namespace hull::sys::cgroup::stats_v2 {

void read_cpu(const std::string& dir, CpuStats& out);
void read_memory(const std::string& dir, MemoryStats& out);
void read_pids(const std::string& dir, PidsStats& out);
void read_io(const std::string& dir, BlkioStats& out);
void read_hugetlb(const std::string& dir, std::map<std::string, HugetlbStats>& out);

}  // namespace hull::sys::cgroup::stats_v2
