#include "linux/path_resolve.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

int openat2_in_root(int root_fd, const std::string& path, int flags) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    while (true) {
        int fd = static_cast<int>(::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
        // EAGAIN: a rename raced with the lookup; the kernel asks us to retry.
        if (fd >= 0 || (errno != EAGAIN && errno != EINTR)) return fd;
    }
}

std::string relative(std::string_view path) {
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    return path.empty() ? std::string(".") : std::string(path);
}

}  // namespace

std::string fd_path(int fd) { return fmt::format("/proc/self/fd/{}", fd); }

UniqueFd open_in_root(int root_fd, std::string_view path, int flags) {
    int fd = openat2_in_root(root_fd, relative(path), flags);
    if (fd < 0) throw_errno(errno, "resolve {} in the rootfs", util::quote(path));
    return UniqueFd(fd);
}

UniqueFd mkdir_all_in_root(int root_fd, std::string_view path, mode_t mode) {
    std::string walked;
    UniqueFd current(openat2_in_root(root_fd, ".", O_PATH | O_DIRECTORY));
    if (!current) throw_errno(errno, "open the rootfs");
    for (const auto& part : util::split(path, '/')) {
        if (part.empty() || part == ".") continue;
        walked += "/" + part;
        // Each step is resolved from the root again: a component that is a
        // symlink (even to "/etc" or "../../..") lands inside the rootfs.
        int fd = openat2_in_root(root_fd, relative(walked), O_PATH | O_DIRECTORY);
        if (fd < 0 && errno == ENOENT) {
            UniqueFd parent = std::move(current);
            if (::mkdirat(parent.get(), part.c_str(), mode) < 0 && errno != EEXIST) {
                throw_errno(errno, "create directory {} in the rootfs", util::quote(walked));
            }
            fd = openat2_in_root(root_fd, relative(walked), O_PATH | O_DIRECTORY);
        }
        if (fd < 0) throw_errno(errno, "resolve {} in the rootfs", util::quote(walked));
        current.reset(fd);
    }
    return current;
}

UniqueFd create_file_in_root(int root_fd, std::string_view path, mode_t mode) {
    std::string rel = relative(path);
    auto slash = rel.rfind('/');
    std::string dir = slash == std::string::npos ? "." : rel.substr(0, slash);
    std::string name = slash == std::string::npos ? rel : rel.substr(slash + 1);
    UniqueFd parent = mkdir_all_in_root(root_fd, dir, 0755);
    int fd = openat2_in_root(root_fd, rel, O_PATH);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != ENOENT) throw_errno(errno, "resolve {} in the rootfs", util::quote(path));
    // mknodat on the O_PATH parent: a regular empty file, never following a symlink.
    if (::mknodat(parent.get(), name.c_str(), S_IFREG | mode, 0) < 0 && errno != EEXIST) {
        throw_errno(errno, "create file {} in the rootfs", util::quote(path));
    }
    return open_in_root(root_fd, path, O_PATH);
}

}  // namespace hull::sys
