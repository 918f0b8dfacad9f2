// The container init: what the cloned child does, in order, from the clone
// to the execve of process.args (docs/process-model.md "The init, step by step").
#pragma once

#include <map>
#include <span>
#include <string>

#include "core/sync_protocol.hpp"
#include "linux/mount_tree.hpp"
#include "linux/seccomp/filter.hpp"
#include "oci/runtime/spec.hpp"
#include "util/unique_fd.hpp"

namespace hull::core {

// Everything the child needs, opened by the parent before clone so the
// child never reaches back into host paths after pivot_root.
struct InitContext {
    const oci::Spec& spec;
    std::string rootfs;              // absolute host path
    SyncSocket& sync;                // the child's end
    int exec_fifo_fd = -1;           // O_PATH fd of the state dir's exec.fifo
    int host_proc_fd = -1;           // O_PATH fd of the host's /proc, to reopen the fifo
    bool new_user_namespace = false;
    bool new_network_namespace = false;  // its lo is brought up, as runc does
    bool new_cgroup_namespace = false;  // unshared by the init once it is in its cgroups
    std::map<std::string, std::string> cgroup_paths;  // the container's cgroups (SavedCgroups::paths)
    // A mount namespace of the container's own (new or joined by path);
    // without one the init shares the caller's and only chroots.
    bool mount_namespace = false;
    bool no_pivot = false;
    std::string session_keyring;  // its name (keyring.hpp); empty with --no-new-keyring
    int preserve_fds = 0;
    // Namespaces given by path, opened and type-checked by the parent.
    std::vector<std::pair<int, std::string>> join_fds;  // fd, spec type name
    // Mount trees the parent prepared (idmapped binds, /run/notify).
    std::span<const sys::DetachedMount> detached_mounts = {};
    // linux.seccomp, compiled by the parent; null without one.
    const sys::seccomp::Filter* seccomp = nullptr;
};

// The child's entry: never returns normally, never throws. Failures are sent
// to the parent as a SyncType::error message; the return value is the exit
// status for _exit.
int init_main(InitContext& ctx) noexcept;

}  // namespace hull::core
