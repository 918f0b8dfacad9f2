// linux.resources as systemd unit properties, the way runc's systemd
// managers ask for them (opencontainers/cgroups systemd/common.go, v1.go,
// v2.go), so a hull container under --systemd-cgroup looks to systemd the
// way a runc one does. systemd re-applies a unit's properties to its cgroup
// (daemon-reload, set-property), so what it is not told it may undo.
// Pure functions; the D-Bus calls that carry them are systemd_scope.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "linux/cgroup/device_rules.hpp"
#include "linux/cgroup/systemd_path.hpp"
#include "oci/runtime/spec.hpp"

namespace hull::sys::cgroup {

// (path, access) pairs of DeviceAllow: ("/dev/char/1:3", "rwm"), ("char-*", "m").
using DeviceAllowList = std::vector<std::pair<std::string, std::string>>;

// A unit property as StartTransientUnit and SetUnitProperties take it: the
// value is one of the D-Bus types 'b', 't', 's', 'as', 'au', 'ay', 'a(ss)'.
using PropertyValue = std::variant<bool, std::uint64_t, std::string, std::vector<std::string>,
                                   std::vector<std::uint32_t>, std::vector<std::uint8_t>, DeviceAllowList>;

struct UnitProperty {
    std::string name;
    PropertyValue value;
    bool operator==(const UnitProperty&) const = default;
};

// "MemoryMax=1048576", "TasksMax=infinity", "PIDs=[42]", "AllowedCPUs=[0f 00 03]",
// "DeviceAllow=[/dev/char/1:3 rwm, char-* m]".
std::string to_string(const UnitProperty& property);

// What the translation depends on besides the config.
struct SystemdHost {
    // A unified host (Layout::unified) takes the v2 names (MemoryMax,
    // CPUWeight, IOWeight); legacy and hybrid hosts take the v1 ones
    // (MemoryLimit, CPUShares, BlockIOWeight), as runc's legacy manager does.
    bool cgroup_v2 = false;
    // The manager's Version property (systemd_version). Properties newer
    // than it are left out; the cgroupfs side still writes those values.
    int version = 0;
    // The text of /proc/devices, wanted only by systemd < 240 on v1 hosts,
    // which names a device major by its group there ("char-pts").
    std::string proc_devices = {};
};

// The properties of a new unit holding pid: runc's Apply (Description,
// Slice, Delegate, PIDs, accounting, DefaultDependencies=false, OOMPolicy
// from unified memory.oom.group), then device_properties of the container's
// device policy (linux.resources.devices and the default rules), then
// resource_properties, so the limits hold from the moment systemd moves pid. A slice unit (the path's
// name ends in ".slice") gets Wants= on its parent instead of Slice=, and
// neither Delegate nor PIDs, which systemd refuses for slices: the caller
// moves the process into the slice's cgroup itself.
std::vector<UnitProperty> scope_properties(const SystemdPath& path, pid_t pid, const oci::Resources& resources,
                                           const SystemdHost& host);

// The limits resources sets, and only those (for `update` too): runc's
// genV1ResourcesProperties / genV2ResourcesProperties. On cgroup v2 it also
// gives IOWeight for blockIO.weight, which runc leaves to cgroupfs, so that
// systemd re-applying the unit keeps the weight instead of resetting it.
// Throws naming the field for values that cannot be converted.
std::vector<UnitProperty> resource_properties(const oci::Resources& resources, const SystemdHost& host);

// The container's device policy as systemd's DevicePolicy and DeviceAllow,
// on v1 hosts (runc's devices.systemdProperties). systemd re-applies a unit's
// device rules whenever it reloads, and on v1 a unit without any writes "a"
// to devices.allow: every device would open to the container. Hence
// DevicePolicy=strict with the policy's allow list (an allow-by-default
// policy with deny exceptions cannot be said to systemd: runc then asks for
// deny-all and leaves the exceptions to cgroupfs; so does hull). What
// systemd cannot name (a wildcard major with a fixed minor; a wildcard minor
// before systemd 240 when /proc/devices has no group for the major) is left
// out: systemd denies it and cgroupfs, written after systemd, allows it.
// On cgroup v2 there is nothing to say: systemd keeps its own eBPF program
// beside hull's and never detaches another's, and a second program of
// systemd's would deny what it cannot express (runc warns about exactly
// that). Changing DeviceAllow on a running v1 container makes systemd
// rewrite the rules through deny-all, so runc freezes the container around
// such a SetUnitProperties; `update` leaves devices alone and needs none.
std::vector<UnitProperty> device_properties(const DevicePolicy& policy, const SystemdHost& host);

// systemd keeps a CPU quota as a whole percentage of one CPU
// (CPUQuotaPerSecUSec, in steps of 10 ms per second), so runc rounds the
// quota up to the next step and writes the rounded quota to cgroupfs too:
// the systemd driver must write .quota, not the configured one.
struct SystemdCpuQuota {
    std::uint64_t per_sec_usec;  // UINT64_MAX: no limit
    std::int64_t quota;          // the cpu.cfs_quota_us / cpu.max quota that agrees with it
};
// quota <= 0 means no limit; period 0 means the kernel's 100000 us.
SystemdCpuQuota systemd_cpu_quota(std::int64_t quota, std::uint64_t period);

// A cpuset list ("0-3,8", as cpuset.cpus takes it) as the byte mask
// systemd's AllowedCPUs / AllowedMemoryNodes take: byte i holds CPUs 8i to
// 8i+7, lowest bit first, no trailing zero bytes. field names the source in
// errors ("linux.resources.cpu.cpus").
std::vector<std::uint8_t> cpuset_mask(std::string_view list, std::string_view field);

}  // namespace hull::sys::cgroup
