#include "linux/cgroup/convert.hpp"

#include "util/error.hpp"

namespace hull::sys::cgroup {

std::uint64_t shares_to_weight(std::uint64_t shares) {
    if (shares == 0) return 0;
    if (shares < 2) shares = 2;
    if (shares > 262144) shares = 262144;
    return 1 + ((shares - 2) * 9999) / 262142;
}

std::uint64_t blkio_weight_to_io_weight(std::uint64_t weight) {
    if (weight == 0) return 0;
    return 1 + (weight - 10) * 9999 / 990;
}

std::optional<std::int64_t> swap_to_v2(std::int64_t swap, std::int64_t limit) {
    // As runc: memory unlimited and swap unset means both unlimited.
    if (limit == -1 && swap == 0) return -1;
    if (swap == -1) return -1;
    if (swap == 0) return std::nullopt;
    if (limit == 0 || limit == -1) {
        throw_error("linux.resources.memory.swap: a swap limit needs a memory limit");
    }
    if (limit < 0) throw_error("linux.resources.memory.limit: {} is not a valid limit", limit);
    if (swap < limit) {
        throw_error("linux.resources.memory.swap: {} is below memory.limit {} (swap is memory+swap)", swap, limit);
    }
    return swap - limit;
}

std::optional<std::string> cpu_max(std::int64_t quota, std::uint64_t period) {
    if (quota == 0 && period == 0) return std::nullopt;
    std::string out = quota > 0 ? std::to_string(quota) : "max";
    if (period != 0) out += " " + std::to_string(period);
    return out;
}

std::string v2_limit(std::int64_t value) { return value < 0 ? "max" : std::to_string(value); }

}  // namespace hull::sys::cgroup
