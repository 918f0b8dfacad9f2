// runc's conversions between cgroup v1 values (what the OCI spec speaks)
// and cgroup v2 files (libcontainer/cgroups/utils.go). Engines and users
// compare hull's files with runc's, so the formulas are runc's exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hull::sys::cgroup {

// cpu.shares [2, 262144] → cpu.weight [1, 10000]; 0 stays 0 (unset).
std::uint64_t shares_to_weight(std::uint64_t shares);
// blkio.weight [10, 1000] → io.weight [1, 10000]; 0 stays 0 (unset).
std::uint64_t blkio_weight_to_io_weight(std::uint64_t weight);
// memory.swap.max from the spec's memory+swap total: nullopt = leave
// unset, -1 = "max". Throws when the pair makes no sense.
std::optional<std::int64_t> swap_to_v2(std::int64_t swap, std::int64_t limit);
// cpu.max ("QUOTA PERIOD", "max PERIOD", "max"); nullopt when neither is set.
std::optional<std::string> cpu_max(std::int64_t quota, std::uint64_t period);
// A v1/v2 limit: -1 (or any negative) is "max" on v2 and -1 on v1.
std::string v2_limit(std::int64_t value);

}  // namespace hull::sys::cgroup
