// The last steps of every container process, shared by the init (create)
// and by `exec`: the process's attributes, credentials and security
// settings, its working directory, and the execve (config.md "Process",
// config-linux.md "Linux process").
#pragma once

#include <string>
#include <vector>

#include "core/sync_protocol.hpp"
#include "linux/capabilities.hpp"
#include "linux/seccomp/filter.hpp"
#include "oci/runtime/spec.hpp"

namespace hull::core {

// Closes every fd from `first` on but those in keep. The init and the exec
// child are copies of hull and hold whatever hull was given: an engine
// waiting for EOF on an fd it leaked to us (the containerd shim's fd 3)
// must not wait for the container, and no host fd may reach it
// (CVE-2024-21626).
void close_fds_except(int first, std::vector<int> keep);

// A pty from the container's /dev/ptmx, owned by process.user.uid: the
// master goes to the caller over sync (SyncType::console_master), the slave
// becomes the controlling terminal and stdio. The caller must be a session
// leader, still privileged (before apply_process_attributes).
// The init also binds the slave onto /dev/console (bind_dev_console).
void send_console(const oci::Process& process, const SyncSocket& sync, bool bind_console = false);

// The container's seccomp filter on its way into a process (compiled by the
// parent before clone). Where it is loaded follows runc: without
// no_new_privileges seccomp(2) needs CAP_SYS_ADMIN, so the filter goes in
// before the credentials change takes that away (and hull's remaining
// steps run under it); with no_new_privileges as late as possible, so the
// fewest of hull's own syscalls meet it: right before execve (in the init,
// before the startContainer hooks, which run in the container and so under
// its filter), or, when it notifies, before the process reports ready,
// because the listener must reach the agent while the parent still waits.
enum class SeccompPoint { before_credentials, before_ready, before_exec };
struct ProcessSeccomp {
    const sys::seccomp::Filter* filter = nullptr;  // none: no linux.seccomp
    const SyncSocket* sync = nullptr;               // where a listener goes
};
// Loads the filter if `point` is its point. A listener goes to the parent
// (SyncType::seccomp_listener), is closed here, and the step waits for
// seccomp_listener_done: the agent has it before anything else happens.
void load_seccomp_at(SeccompPoint point, const oci::Process& process, const ProcessSeccomp& seccomp);

// rlimits, oom_score_adj, personality, scheduler, I/O priority and the
// initial cpu affinity, then the bounding set, process.cwd, user and
// groups, the other capability sets and no_new_privileges, in the order the
// kernel needs: the bounding set while CAP_SETPCAP is still there, the cwd
// while root's rights still apply (as runc; checked to be inside the
// container's root, CVE-2024-21626), the capabilities kept across the uid
// change, no_new_privileges last. The seccomp filter goes in before the
// credentials when its point says so.
void apply_process_attributes(const oci::Spec& spec, const oci::Process& process, const sys::CapabilitySets& caps,
                              const ProcessSeccomp& seccomp = {});

// Resolves args[0] through the process's PATH (a relative one from
// process.cwd), after apply_process_attributes: as the process's user, as
// runc's LookPath after its finalizeNamespace. Done before the caller
// reports "ready", so a missing program is the caller's error; the exit
// status is 127 for one that is missing and 126 for one that cannot run, as
// a shell's.
std::string find_program(const oci::Process& process);

// Marks every fd from 3 + preserve_fds on close-on-exec (anything inherited
// beyond --preserve-fds, a shim's leaked socket say, must not reach the
// container), loads the seccomp filter when its point is before_exec, and
// execs the program, with HOME added from the image's /etc/passwd when the
// environment has none. Returns only by throwing.
[[noreturn]] void exec_process(const oci::Process& process, const std::string& executable, int preserve_fds,
                               const ProcessSeccomp& seccomp = {});

}  // namespace hull::core
