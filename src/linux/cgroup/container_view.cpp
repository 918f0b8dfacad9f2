#include "linux/cgroup/container_view.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/lsm.hpp"
#include "linux/mount_tree.hpp"
#include "linux/path_resolve.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

constexpr unsigned long kKeptFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME | MS_NOATIME | MS_RDONLY;

// A bind takes no flags but MS_REC: the rest need a remount, on the new
// mount (reopen() reaches it; the fd behind target is beneath it).
template <typename Reopen>
void bind_with_flags(const std::string& source, const std::string& target, unsigned long flags, Reopen&& reopen) {
    check(::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr), "bind {} on {}", source, target);
    unsigned long remount = flags & kKeptFlags;
    if (remount == 0) return;
    UniqueFd mounted = reopen();
    with_context(fmt::format("remount {}", source), [&] { remount_bind(mounted.get(), remount); });
}

// The directory name a hierarchy has under /sys/fs/cgroup.
std::string dir_name(const std::string& hierarchy) {
    if (hierarchy.empty()) return "unified";
    if (hierarchy.starts_with("name=")) return hierarchy.substr(5);
    return hierarchy;
}

void mount_hierarchy(int view_fd, const std::string& hierarchy, const std::string& host_dir,
                     const ContainerView& view, unsigned long flags) {
    std::string name = dir_name(hierarchy);
    if (::mkdirat(view_fd, name.c_str(), 0755) < 0 && errno != EEXIST) throw_errno(errno, "mkdir {}", name);
    UniqueFd dir(::openat(view_fd, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir) throw_errno(errno, "open {}", name);
    std::string target = fd_path(dir.get());
    if (!view.own_namespace) {
        bind_with_flags(host_dir, target, flags, [&] {
            UniqueFd fd(::openat(view_fd, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!fd) throw_errno(errno, "open {}", name);
            return fd;
        });
    } else if (hierarchy.empty()) {
        check(::mount("cgroup2", target.c_str(), "cgroup2", flags & kKeptFlags, nullptr), "mount cgroup2 on {}", name);
    } else {
        std::string data = hierarchy.starts_with("name=") ? "none," + hierarchy : hierarchy;
        check(::mount("cgroup", target.c_str(), "cgroup", flags & kKeptFlags, data.c_str()), "mount cgroup {} on {}",
              data, name);
    }
    // cpu,cpuacct is also reachable as cpu and cpuacct, as on the host.
    if (hierarchy.find(',') == std::string::npos) return;
    for (const auto& controller : util::split(hierarchy, ',')) {
        if (::symlinkat(name.c_str(), view_fd, controller.c_str()) < 0 && errno != EEXIST) {
            throw_errno(errno, "symlink {} -> {}", controller, name);
        }
    }
}

}  // namespace

void mount_container_view(int root_fd, const std::string& destination, const std::string& target,
                          unsigned long flags, const ContainerView& view, std::string_view mount_label) {
    bool unified_only = view.paths.size() == 1 && view.paths.count("") == 1;
    if (unified_only || view.paths.empty()) {
        if (view.own_namespace || view.paths.empty()) {
            check(::mount("cgroup2", target.c_str(), "cgroup2", flags & kKeptFlags, nullptr), "mount cgroup2");
        } else {
            bind_with_flags(view.paths.at(""), target, flags,
                            [&] { return open_in_root(root_fd, destination, O_PATH | O_DIRECTORY); });
        }
        return;
    }
    std::string data = format_mount_label("mode=755", mount_label);
    check(::mount("tmpfs", target.c_str(), "tmpfs", (flags & kKeptFlags) & ~MS_RDONLY, data.c_str()),
          "mount a tmpfs for the cgroup hierarchies");
    // The tmpfs sits on top of target's fd: reach it by path again.
    UniqueFd view_fd = open_in_root(root_fd, destination, O_PATH | O_DIRECTORY);
    UniqueFd dir_fd(::openat(view_fd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd) throw_errno(errno, "open the cgroup tmpfs");
    for (const auto& [hierarchy, host_dir] : view.paths) mount_hierarchy(dir_fd.get(), hierarchy, host_dir, view, flags);
    if (flags & MS_RDONLY) {
        std::string tmpfs = fd_path(view_fd.get());
        check(::mount(nullptr, tmpfs.c_str(), nullptr, MS_REMOUNT | (flags & kKeptFlags), "mode=755"),
              "make the cgroup tmpfs read-only");
    }
}

}  // namespace hull::sys::cgroup
