// Mounts with the idmap/ridmap options or their own uidMappings/gidMappings
// (config.md "Mounts"), prepared by the host before clone: mount_setattr
// with MOUNT_ATTR_IDMAP needs privilege over the filesystem's own user
// namespace, which the container init, born in a new one, never has.
#pragma once

#include <vector>

#include "linux/mount_tree.hpp"
#include "oci/runtime/spec.hpp"

namespace hull::sys {

// One detached, idmapped tree per such mount, in spec order. The mapping is
// the mount's own, or else the container's user namespace: the one it joins
// (joined_userns_fd, -1 if none) or the one it creates (linux.uidMappings).
// Fails naming the mount when it is not a bind mount, when there is no
// mapping to use, or when the kernel or filesystem refuses.
std::vector<DetachedMount> prepare_idmapped_mounts(const oci::Spec& spec, int joined_userns_fd);

// Whether spec.mounts[i] is one prepare_idmapped_mounts handles.
bool wants_idmap(const oci::Mount& mount);

}  // namespace hull::sys
