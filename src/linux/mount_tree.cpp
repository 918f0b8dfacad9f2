#include "linux/mount_tree.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "linux/clone.hpp"
#include "linux/namespaces.hpp"
#include "linux/path_resolve.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/scope_exit.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

void mount_setattr_fd(int fd, mount_attr& attr, bool recursive, std::string_view what) {
    unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
    if (::syscall(SYS_mount_setattr, fd, "", flags, &attr, sizeof attr) < 0) throw_errno(errno, "{}", what);
}

}  // namespace

UniqueFd clone_mount_tree(const std::string& source, bool recursive) {
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
    int fd = static_cast<int>(::syscall(SYS_open_tree, AT_FDCWD, source.c_str(), flags));
    if (fd < 0) throw_errno(errno, "open_tree {}", util::quote(source));
    return UniqueFd(fd);
}

void remount_bind(int mounted_fd, unsigned long flags) {
    std::string path = fd_path(mounted_fd);
    unsigned long base = MS_REMOUNT | MS_BIND;
    if (::mount(nullptr, path.c_str(), nullptr, base | flags, nullptr) == 0) return;
    int error = errno;
    struct statvfs st {};
    if (error == EPERM && ::fstatvfs(mounted_fd, &st) == 0) {
        constexpr std::pair<unsigned long, unsigned long> kLockable[] = {
            {ST_RDONLY, MS_RDONLY},     {ST_NOSUID, MS_NOSUID},         {ST_NODEV, MS_NODEV},
            {ST_NOEXEC, MS_NOEXEC},     {ST_NOATIME, MS_NOATIME},       {ST_NODIRATIME, MS_NODIRATIME},
            {ST_RELATIME, MS_RELATIME},
        };
        unsigned long locked = 0;
        for (const auto& [st_flag, ms_flag] : kLockable) {
            if (st.f_flag & st_flag) locked |= ms_flag;
        }
        // The atime mode is one value: the source's replaces the one asked for.
        if (locked & (MS_NOATIME | MS_RELATIME)) flags &= ~(MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
        if ((flags | locked) != flags && ::mount(nullptr, path.c_str(), nullptr, base | flags | locked, nullptr) == 0) {
            return;
        }
    }
    throw_errno(error, "remount with the mount's options");
}

void set_tree_attributes(int tree_fd, std::uint64_t set, std::uint64_t clear, bool recursive) {
    if (set == 0 && clear == 0) return;
    mount_attr attr{};
    attr.attr_set = set;
    attr.attr_clr = clear;
    mount_setattr_fd(tree_fd, attr, recursive, "set mount attributes");
}

void idmap_mount_tree(int tree_fd, int userns_fd, bool recursive) {
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<std::uint64_t>(userns_fd);
    // EINVAL here is most often a filesystem without idmapped mount support
    // (FS_ALLOW_IDMAP), or a tree that is already idmapped.
    mount_setattr_fd(tree_fd, attr, recursive, "idmap the mount (mount_setattr MOUNT_ATTR_IDMAP)");
}

void attach_mount_tree(int tree_fd, int target_fd) {
    unsigned flags = MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH;
    if (::syscall(SYS_move_mount, tree_fd, "", target_fd, "", flags) < 0) throw_errno(errno, "move_mount");
}

bool idmapped_mounts_supported() {
    // An invalid fd: EBADF from a kernel that has the call, ENOSYS from one that has not.
    return ::syscall(SYS_mount_setattr, -1, "", AT_EMPTY_PATH, nullptr, 0) < 0 && errno != ENOSYS;
}

UniqueFd make_user_namespace(std::string_view uid_map, std::string_view gid_map) {
    int fds[2];
    check(::pipe2(fds, O_CLOEXEC), "pipe for a user namespace helper");
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    // The helper only waits for the pipe to close: the namespace lives as
    // long as a process or an fd holds it, and ours is the fd.
    ChildProcess helper = clone_child(CLONE_NEWUSER, -1, [&] {
        write_end.reset();
        char byte;
        [[maybe_unused]] ssize_t n = ::read(read_end.get(), &byte, 1);
        return 0;
    });
    read_end.reset();
    // The helper goes once the fd is open (or on a throw): closing the pipe
    // ends its wait, and helper's destructor reaps it.
    ScopeExit stop([&] { write_end.reset(); });
    write_id_map(helper.pid(), "uid_map", uid_map);
    write_id_map(helper.pid(), "gid_map", gid_map);
    std::string path = fmt::format("/proc/{}/ns/user", helper.pid());
    return util::open_fd(path, O_RDONLY);
}

}  // namespace hull::sys
