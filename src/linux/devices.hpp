// /dev inside the container (config-linux.md "Default Devices", "Devices"):
// the spec's default devices and linux.devices, made with mknod, or
// bind-mounted from the host inside a user namespace (where mknod is
// refused), plus the /dev/fd, stdio and ptmx symlinks.
#pragma once

#include "oci/runtime/spec.hpp"

namespace hull::sys {

void setup_dev(int root_fd, const oci::Spec& spec, bool in_user_namespace);

}  // namespace hull::sys
