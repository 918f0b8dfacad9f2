#include "core/resources_update.hpp"

#include <algorithm>
#include <type_traits>

namespace hull::core {
namespace {

// A set, non-zero value replaces the old one (strings: a non-empty one).
template <typename T>
void take(std::optional<T>& base, const std::optional<T>& change) {
    if (!change) return;
    if constexpr (std::is_same_v<T, std::string>) {
        if (change->empty()) return;
    } else if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
        if (*change == 0) return;
    }
    base = change;
}

template <typename T>
void take_list(std::vector<T>& base, const std::vector<T>& change) {
    if (!change.empty()) base = change;
}

void merge(oci::Memory& b, const oci::Memory& c) {
    take(b.limit, c.limit);
    take(b.reservation, c.reservation);
    take(b.swap, c.swap);
    // Unlimited memory under a memory+swap limit left in force is refused
    // on v1 (EINVAL) and meaningless on v2: as runc, memory lifted to -1
    // with no swap given lifts memory+swap too.
    if (c.limit == -1 && c.swap.value_or(0) == 0 && b.swap.value_or(0) != 0) b.swap = -1;
    take(b.kernel, c.kernel);
    take(b.kernel_tcp, c.kernel_tcp);
    take(b.swappiness, c.swappiness);
    take(b.disable_oom_killer, c.disable_oom_killer);
    take(b.use_hierarchy, c.use_hierarchy);
    take(b.check_before_update, c.check_before_update);
}

void merge(oci::Cpu& b, const oci::Cpu& c) {
    take(b.shares, c.shares);
    take(b.quota, c.quota);
    take(b.burst, c.burst);
    take(b.period, c.period);
    take(b.realtime_runtime, c.realtime_runtime);
    take(b.realtime_period, c.realtime_period);
    take(b.cpus, c.cpus);
    take(b.mems, c.mems);
    take(b.idle, c.idle);
}

void merge(oci::BlockIo& b, const oci::BlockIo& c) {
    take(b.weight, c.weight);
    take(b.leaf_weight, c.leaf_weight);
    take_list(b.weight_device, c.weight_device);
    take_list(b.throttle_read_bps_device, c.throttle_read_bps_device);
    take_list(b.throttle_write_bps_device, c.throttle_write_bps_device);
    take_list(b.throttle_read_iops_device, c.throttle_read_iops_device);
    take_list(b.throttle_write_iops_device, c.throttle_write_iops_device);
}

template <typename T>
void merge_optional(std::optional<T>& base, const std::optional<T>& change) {
    if (!change) return;
    if (!base) base.emplace();
    merge(*base, *change);
}

}  // namespace

void merge_resources(oci::Resources& base, const oci::Resources& changes) {
    merge_optional(base.memory, changes.memory);
    merge_optional(base.cpu, changes.cpu);
    merge_optional(base.block_io, changes.block_io);
    if (changes.pids && changes.pids->limit.value_or(0) != 0) base.pids = changes.pids;
    take_list(base.hugepage_limits, changes.hugepage_limits);
    take_list(base.rdma, changes.rdma);
    take_list(base.devices, changes.devices);
    if (changes.network) base.network = changes.network;
    for (const auto& change : changes.unified) {
        auto it = std::find_if(base.unified.begin(), base.unified.end(),
                               [&](const auto& kv) { return kv.first == change.first; });
        if (it != base.unified.end()) {
            it->second = change.second;
        } else {
            base.unified.push_back(change);
        }
    }
}

}  // namespace hull::core
