#include "linux/path_resolve.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

int openat2_retrying(int dir_fd, const std::string& path, int flags, std::uint64_t resolve) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = resolve;
    while (true) {
        int fd = static_cast<int>(::syscall(SYS_openat2, dir_fd, path.c_str(), &how, sizeof how));
        // openat2(2): EAGAIN when a rename or mount raced with a
        // RESOLVE_IN_ROOT lookup; the kernel asks the caller to retry.
        if (fd >= 0 || (errno != EAGAIN && errno != EINTR)) return fd;
    }
}

int openat2_in_root(int root_fd, const std::string& path, int flags) {
    return openat2_retrying(root_fd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

// openat2 takes the path relative to root_fd; "/a" and "a" are the same
// inside the root, and "" is the root itself.
std::string relative(std::string_view path) {
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    return path.empty() ? std::string(".") : std::string(path);
}

[[noreturn]] void fail(int err, std::string_view path, std::string_view step = {}) {
    if (step.empty()) throw_errno(err, "resolve {} in rootfs", util::quote(path));
    throw_errno(err, "resolve {} in rootfs: {}", util::quote(path), step);
}

// path_resolution(7) gives up after 40 symlinks; so does our own walk.
constexpr int kMaxSymlinks = 40;

std::string parent_of(const std::string& rel) {
    auto slash = rel.rfind('/');
    return slash == std::string::npos ? std::string(".") : rel.substr(0, slash);
}

// When `name` in `parent` is a symlink, where it points, as a path relative
// to the root (an absolute target is read as rootfs-absolute, the way
// RESOLVE_IN_ROOT reads it); nullopt for anything that is not a symlink.
std::optional<std::string> link_target(int parent, const std::string& name, const std::string& rel_dir) {
    char buf[PATH_MAX];
    ssize_t n = ::readlinkat(parent, name.c_str(), buf, sizeof buf);
    if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf) return std::nullopt;
    std::string target(buf, static_cast<std::size_t>(n));
    return target.front() == '/' ? target : rel_dir + "/" + target;
}

UniqueFd mkdir_all(int root_fd, std::string_view path, mode_t mode, std::string_view original, int depth);

// One step of the walk: the directory `walked` (relative to the root),
// created in `parent` as `name` when missing.
UniqueFd open_or_mkdir(int root_fd, int parent, const std::string& walked, const std::string& name, mode_t mode,
                       std::string_view original, int depth) {
    int fd = openat2_in_root(root_fd, walked, O_PATH | O_DIRECTORY);
    if (fd < 0 && errno == ENOENT) {
        // mkdirat never follows a symlink in its last component. A dangling
        // symlink gives EEXIST; its target is created by the same walk, so
        // it too stays inside the root (runc creates through such links,
        // e.g. /var/run -> /run in an image without /run).
        if (::mkdirat(parent, name.c_str(), mode) < 0) {
            if (errno != EEXIST) fail(errno, original, fmt::format("create directory {}", util::quote("/" + walked)));
            if (auto target = link_target(parent, name, parent_of(walked))) {
                if (depth >= kMaxSymlinks) fail(ELOOP, original);
                mkdir_all(root_fd, *target, mode, original, depth + 1);
            }
        }
        // Resolve again from the root: a component swapped for a symlink
        // since mkdirat still lands inside the root.
        fd = openat2_in_root(root_fd, walked, O_PATH | O_DIRECTORY);
    }
    if (fd < 0) fail(errno, original, fmt::format("open directory {}", util::quote("/" + walked)));
    return UniqueFd(fd);
}

UniqueFd mkdir_all(int root_fd, std::string_view path, mode_t mode, std::string_view original, int depth) {
    UniqueFd current(openat2_in_root(root_fd, ".", O_PATH | O_DIRECTORY));
    if (!current) fail(errno, original, "open the root");
    std::string walked;
    for (const auto& part : util::split(path, '/')) {
        if (part.empty() || part == ".") continue;
        walked += (walked.empty() ? "" : "/") + part;
        // Each step is resolved from the root again, never by string
        // joining: a component that is a symlink (even to "/etc" or
        // "../../..") is followed inside the rootfs.
        current = open_or_mkdir(root_fd, current.get(), walked, part, mode, original, depth);
    }
    return current;
}

UniqueFd create_file(int root_fd, std::string_view path, mode_t mode, std::string_view original, int depth) {
    std::string rel = relative(path);
    std::string dir = parent_of(rel);
    std::string name = rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
    if (name.empty() || name == "." || name == "..") fail(EISDIR, original);
    UniqueFd parent = mkdir_all(root_fd, dir, 0755, original, depth);
    int fd = openat2_in_root(root_fd, rel, O_PATH);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != ENOENT) fail(errno, original);
    // O_CREAT|O_EXCL never follows a symlink, dangling or not, and never
    // opens an existing fifo (which would block); O_NOFOLLOW says so twice.
    // EEXIST: a dangling symlink (its target is created by the same rules)
    // or a file someone made meanwhile.
    UniqueFd created(::openat(parent.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!created && errno != EEXIST) fail(errno, original, "create file");
    if (!created) {
        if (auto target = link_target(parent.get(), name, dir)) {
            if (depth >= kMaxSymlinks) fail(ELOOP, original);
            create_file(root_fd, *target, mode, original, depth + 1);
        }
    }
    fd = openat2_in_root(root_fd, rel, O_PATH);
    if (fd < 0) fail(errno, original);
    return UniqueFd(fd);
}

}  // namespace

std::string fd_path(int fd) { return fmt::format("/proc/self/fd/{}", fd); }

UniqueFd open_in_root(int root_fd, std::string_view path, int flags) {
    int fd = openat2_in_root(root_fd, relative(path), flags);
    if (fd < 0) fail(errno, path);
    return UniqueFd(fd);
}

UniqueFd open_beneath_same_mount(int dir_fd, std::string_view path, int flags) {
    int fd = openat2_retrying(dir_fd, relative(path), flags, RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS);
    // EXDEV: RESOLVE_BENEATH or RESOLVE_NO_XDEV said no.
    if (fd < 0 && errno == EXDEV) throw_errno(errno, "open {}: a mount is in the way or it leads out", util::quote(path));
    if (fd < 0) throw_errno(errno, "open {}", util::quote(path));
    return UniqueFd(fd);
}

void require_procfs(int fd, std::string_view what) {
    struct statfs st {};
    check(::fstatfs(fd, &st), "statfs {}", what);
    if (st.f_type != PROC_SUPER_MAGIC) throw_error("{} is not on a procfs", what);
}

UniqueFd mkdir_all_in_root(int root_fd, std::string_view path, mode_t mode) {
    return mkdir_all(root_fd, path, mode, path, 0);
}

UniqueFd create_file_in_root(int root_fd, std::string_view path, mode_t mode) {
    return create_file(root_fd, path, mode, path, 0);
}

}  // namespace hull::sys
