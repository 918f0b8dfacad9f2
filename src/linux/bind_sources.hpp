// The sources of a container's bind mounts, opened by the host for an init
// in a user namespace. The init looks paths up as the root of its user
// namespace, to which host files of unmapped owners grant only "other"
// access: a source below a directory only the host's root may search (a
// 0700 volume directory) fails there with EACCES. As runc's nsexec does,
// the host opens each source (O_PATH, with its own credentials) in the
// init's mount namespace before the init makes any mount, and the init
// binds from the fd (/proc/self/fd/N).
//
// Not a tree the host clones (open_tree, as for idmapped mounts): the mount
// bound is the init's own copy of the source, which carries the flags and
// submounts the kernel locked when the user namespace copied the host's
// mounts (mount_namespaces(7)). A host clone carries no locks: the
// container's root could remount a host read-only mount read-write, or
// unmount what hides a directory.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <vector>

#include "oci/runtime/spec.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys {

struct BindSource {
    std::size_t spec_index = 0;  // the mount in spec.mounts
    UniqueFd fd;                 // O_PATH, in the init's mount namespace
};

// The bind mounts of spec.mounts whose sources the host opens: all but the
// idmapped ones (prepared as trees, idmapped_mounts.hpp) and tmpcopyup's
// (a tmpfs option, refused on a bind by the init).
std::vector<std::size_t> host_opened_binds(const oci::Spec& spec);

// Opens the sources of host_opened_binds(spec), in that order, as the init
// would look them up: a short-lived helper joins the mount namespace of the
// init (pidfd, pid) and opens each path there, a relative one from this
// process's working directory. The init must not have mounted anything yet.
// Fails naming the mount whose source cannot be opened.
std::vector<BindSource> open_bind_sources(const oci::Spec& spec, int init_pidfd, pid_t init_pid);

}  // namespace hull::sys
