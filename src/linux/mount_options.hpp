// An OCI mount's options (config.md "Mounts", the words of mount(8) and
// runc's parseMountOptions) turned into what the kernel takes: MS_* flags,
// propagation, recursive mount_setattr attributes and the filesystem's data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hull::sys {

struct MountOptions {
    unsigned long flags = 0;          // MS_* to set on mount(2)
    unsigned long cleared_flags = 0;  // MS_* a word explicitly cleared ("rw", "suid"): a bind remount keeps them off
    unsigned long propagation = 0;    // MS_SHARED/MS_PRIVATE/... | MS_REC; the last word wins
    std::uint64_t attr_set = 0;       // MOUNT_ATTR_* for the recursive r* words (mount_setattr, AT_RECURSIVE)
    std::uint64_t attr_clear = 0;
    bool bind = false;                // bind or rbind
    bool recursive_bind = false;      // rbind
    bool idmap = false;               // idmap or ridmap (MOUNT_ATTR_IDMAP)
    bool recursive_idmap = false;     // ridmap
    bool tmpcopyup = false;           // tmpfs seeded with the lower directory's contents
    std::string data;                 // every other word, in order: "mode=755,size=65536k"
};

// Never fails: a word hull does not know is filesystem data, as in runc.
MountOptions parse_mount_options(const std::vector<std::string>& options);

// A bind mount is type "bind" or any mount with the bind/rbind option
// (config.md "Mounts": the type is ignored for binds).
bool is_bind_mount(std::string_view type, const std::vector<std::string>& options);

// The MOUNT_ATTR_* equivalent of the per-mount MS_* flags (ro, nosuid,
// nodev, noexec, nodiratime, nosymfollow, the atime mode), for a mount made
// with the new mount API instead of mount(2). Flags with no mount attribute
// (sync, dirsync, lazytime, ...) belong to the filesystem and are dropped.
struct MountAttributes {
    std::uint64_t set = 0;
    std::uint64_t clear = 0;
};
MountAttributes mount_attributes(unsigned long flags);

// Every option word hull understands, for `features` (mountOptions).
std::vector<std::string> known_mount_options();

}  // namespace hull::sys
