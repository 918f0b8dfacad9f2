// linux.maskedPaths and linux.readonlyPaths (config-linux.md), applied
// inside the rootfs before pivot_root.
#pragma once

#include <string>
#include <string_view>

namespace hull::sys {

// Hides path: an empty read-only tmpfs over a directory, the host's
// /dev/null (opened and verified by the caller) over anything else.
// A missing path is not an error (the spec lists paths a kernel may lack).
// mount_label: linux.mountLabel for the tmpfs, "" for none.
void mask_path(int root_fd, const std::string& path, int dev_null_fd, std::string_view mount_label);
// Makes path read-only with a recursive bind of itself.
void make_path_readonly(int root_fd, const std::string& path);

// Opens the host's /dev/null and checks it is the 1:3 character device, so
// a container (or a tampered host) cannot turn masking into a bind of
// something writable (CVE-2025-31133).
int open_verified_dev_null();

}  // namespace hull::sys
