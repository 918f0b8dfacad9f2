// Copying a directory's contents between two directory fds, as tmpcopyup
// needs (config.md "Mounts": the tmpfs is seeded with what the rootfs had
// at the mount point). Nothing is resolved by path: every step is an *at()
// call on a parent fd with O_NOFOLLOW, so a symlink in the tree is copied
// as a symlink and never followed.
#pragma once

#include <sys/stat.h>

namespace hull::sys {

// Copies every entry of from_dir into to_dir: directories (recursively),
// regular files, symlinks, device nodes, fifos and sockets, each with its
// owner, mode and times. Hard links become separate files. Throws naming the
// entry ("copy \"a/b\": ...").
void copy_directory_contents(int from_dir, int to_dir);

// Gives `to` (an fd) the owner, permission bits and times of `st`.
void copy_attributes(int to, const struct stat& st);

}  // namespace hull::sys
