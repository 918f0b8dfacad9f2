// linux.resources.devices (config-linux.md "Allowed Device List") as the
// devices cgroup understands it. The spec refers to the v1 devices controller
// and says the entries apply in order, so the meaning of a list is what the v1
// kernel holds after writing them one by one: a default verdict and a set of
// exceptions to it (security/device_cgroup.c). That is a DevicePolicy. Both
// enforcement paths start from it, as runc's do (its devices "emulator"):
//   v1: v1_device_writes() turns the cgroup's current devices.list into the
//       policy with the fewest disruptive writes;
//   v2: device_filter.hpp compiles it into an eBPF program.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "linux/cgroup/resources.hpp"
#include "oci/runtime/spec.hpp"

namespace hull::sys::cgroup {

// Access bits, with the values of BPF_DEVCG_ACC_* so the eBPF program uses them unchanged.
inline constexpr unsigned kDeviceMknod = 1;
inline constexpr unsigned kDeviceRead = 2;
inline constexpr unsigned kDeviceWrite = 4;
inline constexpr unsigned kDeviceAllAccess = kDeviceMknod | kDeviceRead | kDeviceWrite;

// A major or minor that matches every number ("*" in the cgroup files).
inline constexpr std::int64_t kAnyDeviceNumber = -1;

// One rule with the spec's defaults filled in: type 'a', 'b' or 'c'.
struct DeviceRule {
    bool allow = false;
    char type = 'a';
    std::int64_t major = kAnyDeviceNumber;
    std::int64_t minor = kAnyDeviceNumber;
    unsigned access = kDeviceAllAccess;
    bool operator==(const DeviceRule&) const = default;
};

// "rwm", "rw", "m": access bits in the order the cgroup files and systemd write them.
std::string access_letters(unsigned access);
// "c 1:3 rwm", "b 8:* r", "a *:* rwm": the syntax of devices.allow/deny/list.
std::string cgroup_string(char type, std::int64_t major, std::int64_t minor, unsigned access);
std::string cgroup_string(const DeviceRule& rule);

// Fills in the defaults (type a, major/minor any, access rwm) and checks each
// entry; errors name linux.resources.devices[i].field. Type a (every device)
// only stands alone: the kernel treats any "a" rule as "all devices, rwm", so
// an "a" rule with a major, a minor or a partial access would silently mean
// more than it says, and is refused rather than widened.
std::vector<DeviceRule> normalize_device_rules(const std::vector<oci::DeviceRule>& rules);

// The rules runc appends to every container's list (specconv.AllowedDevices):
// mknod of any char or block device, /dev/null, random, full, tty, zero,
// urandom, /dev/pts/*, /dev/ptmx and /dev/net/tun. They are appended after the
// config's rules, so a config cannot take them away; runc does the same and
// engines rely on it (a `runc spec` config denies everything and still expects
// /dev/null to open). Unlike runc's createDevices, no rule is added for
// linux.devices entries: runc only uses those to drop a duplicate default,
// which changes nothing in the cgroup.
const std::vector<DeviceRule>& default_device_rules();

// The key of an exception: type ('b' or 'c'), major, minor (kAnyDeviceNumber for *).
using DeviceKey = std::tuple<char, std::int64_t, std::int64_t>;

// What a devices cgroup holds: a default verdict and exceptions to it, each
// with the access bits the exception covers. Every exception has the verdict
// opposite to the default, which is why the order of the exceptions never
// matters once the policy is built.
struct DevicePolicy {
    bool default_allow = false;
    std::map<DeviceKey, unsigned> exceptions;
    bool operator==(const DevicePolicy&) const = default;
};

// Applies rules in order, starting from "deny everything" (runc's starting
// point: a list that never says "allow a" is an allow list). An "a" rule
// resets the policy; a rule with the default's verdict removes access from
// the exception with exactly its key, as the kernel does. The kernel silently
// ignores a removal that a wildcard exception still covers (deny c 1:3 after
// allow c *:*); such a rule is refused, as runc refuses it, since it would
// leave the device open while the config says closed. Errors name
// linux.resources.devices[i] for the first `named` rules.
DevicePolicy device_policy(const std::vector<DeviceRule>& rules, std::size_t named);

// The policy of a container: the config's rules then default_device_rules().
DevicePolicy container_device_policy(const std::vector<oci::DeviceRule>& rules);

// Whether the policy lets (type 'b'/'c', major, minor) have every bit of access,
// with the kernel's v1 matching rules; the reference the eBPF program must agree with.
bool device_policy_allows(const DevicePolicy& policy, char type, std::uint32_t major, std::uint32_t minor,
                          unsigned access);

// --- cgroup v1 ---

// The current state of a v1 devices cgroup, from its devices.list. A cgroup
// whose default is allow lists only "a *:* rwm" and hides its deny
// exceptions, so such a policy's exceptions are unknown (and left empty).
DevicePolicy parse_devices_list(std::string_view devices_list);

// The writes ("devices.allow" or "devices.deny", "c 1:3 rwm"), in order,
// that take a v1 devices cgroup from `current` (what parse_devices_list read)
// to `target`. As runc's Transition: when the default changes, or the current
// default is allow (its deny exceptions cannot be known), the first write
// resets with "a *:* rwm" to the target default's file and every target
// exception follows; otherwise only the difference is written, so an update
// of a running container never passes through "deny everything" (a process
// opening /dev/null at that moment would fail).
std::vector<FileWrite> v1_device_writes(const DevicePolicy& current, const DevicePolicy& target);

// Throws when devices.list, read after the writes, is not the target: an
// allow list must list exactly its exceptions; an allow-by-default cgroup
// shows only its default (runc's read-back check).
void check_devices_list(const DevicePolicy& target, std::string_view devices_list);

}  // namespace hull::sys::cgroup
