// Device access control on cgroup v2: the v2 hierarchy has no devices
// controller; a BPF_PROG_TYPE_CGROUP_DEVICE program attached to the cgroup
// decides every open and mknod of a device node by its processes (it needs no
// controller enabled, so it works on a hybrid host's v2 hierarchy too).
// Raw bpf(2) with <linux/bpf.h>: hull links no libbpf.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <vector>

#include "linux/cgroup/device_rules.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys::cgroup {

// The program for a policy: it returns 1 (allow) or 0 (deny) for the
// (type, major, minor, access) in its struct bpf_cgroup_dev_ctx, with the v1
// kernel's matching rules (device_policy_allows), so one config means the
// same on v1 and v2. Since every exception of a policy has the same verdict,
// the order of the checks does not change the result.
std::vector<bpf_insn> compile_device_filter(const DevicePolicy& policy);

// Loads a program (license "Apache", as runc's); the fd owns it. A rejected
// program's error carries the verifier's log.
UniqueFd load_device_filter(const std::vector<bpf_insn>& program);

// The ids of the device programs attached to the cgroup itself (not inherited).
std::vector<std::uint32_t> attached_device_filters(int cgroup_dir_fd);

// Attaches the program to the cgroup (BPF_F_ALLOW_MULTI) in place of the
// device programs already attached there, as runc does: one old program is
// swapped atomically with BPF_F_REPLACE, so no open ever runs unfiltered;
// with several (or a kernel before 5.6) the new one is attached first and the
// old ones detached after, so for a moment both apply and the stricter wins.
// Programs this process may not open (an LSM's, a systemd's) are left as they
// are: a device program can only take access away.
void attach_device_filter(int cgroup_dir_fd, int program_fd);

// compile + load + attach. The program stays attached after the fd closes.
void apply_device_filter(int cgroup_dir_fd, const DevicePolicy& policy);

}  // namespace hull::sys::cgroup
