// linux.resources → cgroup file writes, for v1 and v2 (config-linux.md
// "Control groups"). Pure: the manager decides, per controller, which
// hierarchy has it and applies the writes there. As in runc, a zero value
// means "leave as it is" (so `update` with zeros changes nothing), and the
// device list is not here (device_rules/device_filter).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oci/runtime/spec.hpp"

namespace hull::sys::cgroup {

struct FileWrite {
    std::string file;
    std::string value;
    bool operator==(const FileWrite&) const = default;
};

// A controller the resources ask something of.
struct ControllerRequest {
    std::string field;  // "linux.resources.memory", for errors
    std::string v1;     // v1 controller name; "" = not available on v1
    std::string v2;     // v2 controller name; "" = not available on v2
    bool operator==(const ControllerRequest&) const = default;
};

std::vector<ControllerRequest> requested_controllers(const oci::Resources& r);

// What the order of v1 writes depends on besides the resources.
struct InForce {
    // memory.limit_in_bytes now: the kernel keeps it at or below
    // memory.memsw.limit_in_bytes at every write. nullopt: unknown.
    std::optional<std::int64_t> memory_limit;
};

// The writes for one controller. Within a controller, order matters: the
// memory pair goes in an order the kernel takes (see InForce), and a write
// it refuses with EINVAL (cfs quota vs period) is retried once after the
// others, as runc does.
std::vector<FileWrite> v1_writes(const ControllerRequest& controller, const oci::Resources& r,
                                 const InForce& in_force = {});
std::vector<FileWrite> v2_writes(const ControllerRequest& controller, const oci::Resources& r);

}  // namespace hull::sys::cgroup
