// The JSON lines `hull events` prints, field for field as runc's `events`
// (types/events.go encoded by Go's encoding/json: struct fields in
// declaration order, map keys sorted, "omitempty" fields left out when zero).
// Each function returns one line without its newline.
#pragma once

#include <string>
#include <string_view>

#include "linux/cgroup/stats.hpp"

namespace hull::core {

// {"type":"stats","id":ID,"data":{"cpu":...,"network_interfaces":null}}
std::string stats_event_json(std::string_view id, const sys::cgroup::Stats& stats);
// {"type":"oom","id":ID}
std::string oom_event_json(std::string_view id);

}  // namespace hull::core
