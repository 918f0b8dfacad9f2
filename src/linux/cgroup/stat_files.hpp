// Reading the kernel's cgroup statistic files. A file that does not exist is
// a feature this kernel or hierarchy lacks (nullopt); a file that exists but
// cannot be read or parsed throws an Error naming it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linux/cgroup/stats.hpp"

namespace hull::sys::cgroup::stat_files {

// The whole file, or nullopt when it does not exist. PSI files also read as
// absent when the kernel refuses them (EOPNOTSUPP: booted with psi=0).
std::optional<std::string> read_optional(const std::string& path);
std::optional<std::string> read_pressure(const std::string& path);

// Whitespace-separated fields of a line; lines of a file (without the empty ones).
std::vector<std::string_view> fields(std::string_view line);
std::vector<std::string_view> lines(std::string_view text);

// One number as the cgroup files write it: "max" is UINT64_MAX and a negative
// value is 0 (as runc reads them: some v1 memory counters go below zero).
std::uint64_t parse_value(std::string_view text, const std::string& path);
// A one-value file (trailing newline allowed).
std::optional<std::uint64_t> read_value(const std::string& path);

// "key value" lines (memory.stat, cpu.stat, memory.events), keys in file order.
std::vector<std::pair<std::string, std::uint64_t>> parse_flat_keyed(std::string_view text, const std::string& path);
// One key of such a file; nullopt when the file or the key is missing.
std::optional<std::uint64_t> read_key(const std::string& path, std::string_view key);

// "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" / "full ..." lines.
Psi parse_psi(std::string_view text, const std::string& path);

// "0-3,8,10-11" (cpuset.cpus, cpuset.mems) as a list.
std::vector<std::uint16_t> parse_id_list(std::string_view text, const std::string& path);

// The page sizes ("2MB", "1GB") for which dir has a hugetlb.<size><suffix>
// file, suffix being ".usage_in_bytes" (v1) or ".current" (v2); sorted.
std::vector<std::string> hugetlb_page_sizes(const std::string& dir, std::string_view suffix);

// Throws "PATH: MESSAGE".
[[noreturn]] void fail(const std::string& path, std::string_view message);

}  // namespace hull::sys::cgroup::stat_files
