// A container's cgroup statistics, in the shape of runc's types/events.go
// (what `events --stats` prints).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hull::sys::cgroup {

struct Stats {
    // Filled by the stats readers (stats.cpp).
};

}  // namespace hull::sys::cgroup
