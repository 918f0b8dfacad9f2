// An OCI mount's options (config.md "Mounts", the words of mount(8)) turned
// into what the kernel takes: MS_* flags, propagation, recursive
// mount_setattr attributes and the filesystem's data string.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hull::sys {

struct MountOptions {
    unsigned long flags = 0;        // MS_* to set on mount(2)
    unsigned long propagation = 0;  // MS_SHARED/MS_PRIVATE/... | MS_REC, applied after mounting
    std::uint64_t attr_set = 0;     // MOUNT_ATTR_* for the recursive r* options
    std::uint64_t attr_clear = 0;
    bool bind = false;
    bool recursive_bind = false;
    bool idmap = false;             // idmap / ridmap (mount_setattr MOUNT_ATTR_IDMAP)
    bool tmpcopyup = false;
    std::string data;               // everything else: "mode=755,size=65536k"
};

MountOptions parse_mount_options(const std::vector<std::string>& options);

// Every option word hull understands, for `features` (mountOptions).
std::vector<std::string> known_mount_options();

}  // namespace hull::sys
