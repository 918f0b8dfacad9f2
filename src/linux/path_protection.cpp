#include "linux/path_protection.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux/lsm.hpp"
#include "linux/path_resolve.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

// Resolves path inside the rootfs without following a final symlink: a
// masked path that is a symlink would otherwise redirect the mount
// (CVE-2025-31133); nullopt-like invalid fd when it does not exist.
UniqueFd open_target(int root_fd, const std::string& path) {
    try {
        return open_in_root(root_fd, path, O_PATH | O_NOFOLLOW);
    } catch (const Error& e) {
        if (e.error_number() == ENOENT) return UniqueFd();
        throw;
    }
}

}  // namespace

int open_verified_dev_null() {
    int fd = ::open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw_errno(errno, "open the host's /dev/null");
    UniqueFd owned(fd);
    struct stat st {};
    check(::fstat(fd, &st), "stat the host's /dev/null");
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3) {
        throw_error("the host's /dev/null is not the 1:3 character device");
    }
    return owned.release();
}

void mask_path(int root_fd, const std::string& path, int dev_null_fd, std::string_view mount_label) {
    with_context(fmt::format("mask {}", util::quote(path)), [&] {
        UniqueFd target = open_target(root_fd, path);
        if (!target) return;
        struct stat st {};
        check(::fstat(target.get(), &st), "stat");
        if (S_ISLNK(st.st_mode)) return;  // never mount through a symlink the container controls
        std::string target_path = fd_path(target.get());
        if (S_ISDIR(st.st_mode)) {
            std::string data = format_mount_label("size=0k", mount_label);
            check(::mount("tmpfs", target_path.c_str(), "tmpfs", MS_RDONLY, data.c_str()), "mount tmpfs");
        } else {
            std::string source = fd_path(dev_null_fd);
            check(::mount(source.c_str(), target_path.c_str(), nullptr, MS_BIND, nullptr), "bind /dev/null");
        }
    });
}

void make_path_readonly(int root_fd, const std::string& path) {
    with_context(fmt::format("make {} read-only", util::quote(path)), [&] {
        UniqueFd target = open_target(root_fd, path);
        if (!target) return;
        struct stat st {};
        check(::fstat(target.get(), &st), "stat");
        if (S_ISLNK(st.st_mode)) return;
        std::string target_path = fd_path(target.get());
        check(::mount(target_path.c_str(), target_path.c_str(), nullptr, MS_BIND | MS_REC, nullptr), "bind");
        UniqueFd mounted = open_in_root(root_fd, path, O_PATH | O_NOFOLLOW);
        mount_attr attr{};
        attr.attr_set = MOUNT_ATTR_RDONLY;
        if (::syscall(SYS_mount_setattr, mounted.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) {
            throw_errno(errno, "set read-only");
        }
    });
}

}  // namespace hull::sys
