#include "linux/rootfs.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <array>

#include <fmt/format.h>

#include "linux/copy_tree.hpp"
#include "linux/devices.hpp"
#include "linux/lsm.hpp"
#include "linux/mount_options.hpp"
#include "linux/path_protection.hpp"
#include "linux/path_resolve.hpp"
#include "linux/process_attrs.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

unsigned long propagation_flag(const std::string& name) {
    if (name == "private") return MS_PRIVATE;
    if (name == "rprivate") return MS_PRIVATE | MS_REC;
    if (name == "shared") return MS_SHARED;
    if (name == "rshared") return MS_SHARED | MS_REC;
    if (name == "slave") return MS_SLAVE;
    if (name == "rslave") return MS_SLAVE | MS_REC;
    if (name == "unbindable") return MS_UNBINDABLE;
    if (name == "runbindable") return MS_UNBINDABLE | MS_REC;
    throw_error("linux.rootfsPropagation: unknown propagation {}", util::quote(name));
}

void set_mount_attr(int fd, std::uint64_t set, std::uint64_t clear, bool recursive, std::string_view what) {
    if (set == 0 && clear == 0) return;
    mount_attr attr{};
    attr.attr_set = set;
    attr.attr_clr = clear;
    unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
    if (::syscall(SYS_mount_setattr, fd, "", flags, &attr, sizeof attr) < 0) {
        throw_errno(errno, "set mount attributes on {}", what);
    }
}

// Recursive attributes of the whole rootfs view: the spec's "rro" and friends
// (config.md "Mounts"), and root.readonly.
void apply_recursive_attributes(const MountOptions& opts, const std::string& target, const std::string& dest) {
    if (opts.attr_set == 0 && opts.attr_clear == 0) return;
    UniqueFd fd(::open(target.c_str(), O_PATH | O_CLOEXEC));
    if (!fd) throw_errno(errno, "open mount {}", dest);
    set_mount_attr(fd.get(), opts.attr_set, opts.attr_clear, true, dest);
}

bool is_file_source(const oci::Mount& m) {
    struct stat st {};
    return ::stat(m.source.value_or("").c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// Files a mount may cover inside /proc: those lxcfs emulates (runc's
// checkProcMount list).
constexpr std::array<const char*, 10> kProcMountAllowed = {
    "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",   "/proc/stat",    "/proc/swaps",
    "/proc/uptime",  "/proc/loadavg",   "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

// CVE-2025-52881: a mount over a procfs file takes whatever the runtime
// writes there next (a sysctl, oom_score_adj) to the mount's source, a host
// file. The check is on where the destination resolved, so an image's
// symlink ("/link" -> "/proc/sys/net/ipv4") cannot lead a mount into /proc:
// as runc, only proc itself, or a file lxcfs emulates, may be mounted there.
void check_proc_destination(int root_fd, int dest_fd, std::string_view type, std::string_view destination) {
    struct statfs fs {};
    check(::fstatfs(dest_fd, &fs), "statfs mount destination {}", util::quote(destination));
    if (fs.f_type != PROC_SUPER_MAGIC || type == "proc") return;
    struct stat dest {};
    check(::fstat(dest_fd, &dest), "stat mount destination {}", util::quote(destination));
    for (const char* allowed : kProcMountAllowed) {
        try {
            struct stat st {};
            UniqueFd fd = open_in_root(root_fd, allowed, O_PATH | O_NOFOLLOW);
            if (::fstat(fd.get(), &st) == 0 && same_file(st, dest)) return;
        } catch (const Error&) {
            // not there (no /proc/net without a net namespace's proc, say)
        }
    }
    throw_error("mount destination {} is inside /proc, where only proc and the files lxcfs emulates may be mounted",
                util::quote(destination));
}

// Resolves (creating) a mount destination inside the rootfs.
UniqueFd resolve_destination(int root_fd, const oci::Mount& m, bool file_target) {
    UniqueFd dest = file_target ? create_file_in_root(root_fd, m.destination, 0644)
                                : mkdir_all_in_root(root_fd, m.destination, 0755);
    check_proc_destination(root_fd, dest.get(), m.type.value_or(""), m.destination);
    return dest;
}

void mount_bind(int root_fd, const oci::Mount& m, const MountOptions& opts, const std::string& target) {
    const std::string source = m.source.value_or("");
    unsigned long rec = opts.recursive_bind ? MS_REC : 0;
    check(::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | rec, nullptr), "bind mount {} on {}",
          util::quote(source), util::quote(m.destination));
    // A bind ignores every flag but MS_REC: the others need a remount, of
    // the top mount only, as runc's (an "r" word asks for the whole tree).
    unsigned long remount_flags = opts.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
    if (remount_flags == 0) return;
    // target is the fd beneath the new mount: reach the mount by path again.
    UniqueFd mounted = open_in_root(root_fd, m.destination, O_PATH | O_NOFOLLOW);
    with_context(fmt::format("remount {} with its options", util::quote(m.destination)),
                 [&] { remount_bind(mounted.get(), remount_flags); });
}

// A tree the host prepared (an idmapped bind): attached, then given the
// per-mount flags a bind would get from its remount.
void attach_detached(int tree_fd, const MountOptions& opts, int dest_fd) {
    attach_mount_tree(tree_fd, dest_fd);
    MountAttributes attrs = mount_attributes(opts.flags);
    set_tree_attributes(tree_fd, attrs.set, attrs.clear, false);
}

// tmpcopyup (runc, crun): a tmpfs over a directory starts with the
// directory's contents. The lower directory is opened before the tmpfs
// covers it; the copy is made writable and turns read-only after, if asked.
void mount_tmpfs_copyup(int root_fd, const oci::Mount& m, const MountOptions& opts, const std::string& target) {
    if (m.type.value_or("") != "tmpfs") {
        throw_error("tmpcopyup needs a tmpfs mount, not type {}", util::quote(m.type.value_or("")));
    }
    UniqueFd lower = open_in_root(root_fd, m.destination, O_RDONLY | O_DIRECTORY);
    struct stat lower_st {};
    check(::fstat(lower.get(), &lower_st), "stat the directory under the tmpfs");
    check(::mount("tmpfs", target.c_str(), "tmpfs", opts.flags & ~MS_RDONLY, opts.data.c_str()), "mount tmpfs");
    UniqueFd upper = open_in_root(root_fd, m.destination, O_RDONLY | O_DIRECTORY);
    copy_directory_contents(lower.get(), upper.get());
    // The top directory too, unless the options say what it should be.
    if (opts.data.find("mode=") == std::string::npos && opts.data.find("uid=") == std::string::npos &&
        opts.data.find("gid=") == std::string::npos) {
        copy_attributes(upper.get(), lower_st);
    }
    if (opts.flags & MS_RDONLY) set_tree_attributes(upper.get(), MOUNT_ATTR_RDONLY, 0, false);
}

void mount_cgroup(int root_fd, const oci::Mount& m, MountOptions& opts, const std::string& target,
                  const RootfsContext& ctx, std::string_view label);

// linux.mountLabel, "" for none; create refused it unless SELinux is
// enabled (lsm.hpp).
std::string_view mount_label(const oci::Spec& spec) {
    return spec.linux && spec.linux->mount_label ? std::string_view(*spec.linux->mount_label) : std::string_view();
}

void mount_one(int root_fd, const oci::Mount& m, const RootfsContext& ctx, const DetachedMount* detached,
               std::string_view label) {
    MountOptions opts = parse_mount_options(m.options.value_or(std::vector<std::string>{}));
    std::string type = m.type.value_or("");
    bool bind = opts.bind || type == "bind";
    if (!bind && mount_type_takes_label(type)) opts.data = format_mount_label(opts.data, label);
    UniqueFd dest = resolve_destination(root_fd, m, bind && is_file_source(m));
    std::string target = fd_path(dest.get());
    with_context(fmt::format("mount {} on {}", util::quote(m.source.value_or(type)), util::quote(m.destination)), [&] {
        if (detached != nullptr) {
            attach_detached(detached->tree.get(), opts, dest.get());
        } else if (opts.idmap) {
            throw_error("idmap: the mount was not prepared by the host");  // prepare_idmapped_mounts missed it
        } else if (opts.tmpcopyup) {
            mount_tmpfs_copyup(root_fd, m, opts, target);
        } else if (bind) {
            mount_bind(root_fd, m, opts, target);
        } else if (type == "cgroup" || type == "cgroup2") {
            mount_cgroup(root_fd, m, opts, target, ctx, label);
        } else {
            std::string source = m.source.value_or(type);
            check(::mount(source.c_str(), target.c_str(), type.c_str(), opts.flags, opts.data.c_str()), "mount");
        }
        // The new mount sits on top of the resolved fd; reopen it by its path to reach it.
        UniqueFd mounted = open_in_root(root_fd, m.destination, O_PATH);
        // runc mounts mqueue without context= and labels its root instead.
        if (type == "mqueue" && !bind) label_mount_root(mounted.get(), label);
        std::string mounted_path = fd_path(mounted.get());
        if (opts.propagation != 0) {
            check(::mount(nullptr, mounted_path.c_str(), nullptr, opts.propagation, nullptr), "set propagation");
        }
        apply_recursive_attributes(opts, mounted_path, m.destination);
    });
}

bool host_is_cgroup2() {
    struct stat st {};
    return ::stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
}

// The container's own cgroups (cgroup/container_view.hpp). Without cgroups
// of its own (--cgroup-manager=disabled), cgroup2 is mounted directly, or on
// v1 and hybrid hosts the host's hierarchies are bind-mounted read-only.
void mount_cgroup(int root_fd, const oci::Mount& m, MountOptions& opts, const std::string& target,
                  const RootfsContext& ctx, std::string_view label) {
    if (!ctx.cgroups.paths.empty()) {
        cgroup::mount_container_view(root_fd, m.destination, target, opts.flags, ctx.cgroups, label);
        return;
    }
    if (host_is_cgroup2()) {
        check(::mount("cgroup2", target.c_str(), "cgroup2", opts.flags, nullptr), "mount cgroup2");
        return;
    }
    check(::mount("/sys/fs/cgroup", target.c_str(), nullptr, MS_BIND | MS_REC, nullptr), "bind /sys/fs/cgroup");
    std::uint64_t attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
    if (opts.flags & MS_RDONLY) attrs |= MOUNT_ATTR_RDONLY;
    opts.attr_set |= attrs & ~opts.attr_clear;
}

const DetachedMount* find_detached(const RootfsContext& ctx, std::size_t spec_index) {
    for (const auto& d : ctx.detached) {
        if (d.spec_index == spec_index) return &d;
    }
    return nullptr;
}

void attach_extra_mounts(int root_fd, const RootfsContext& ctx) {
    for (const auto& d : ctx.detached) {
        if (d.spec_index != DetachedMount::kExtraMount) continue;
        UniqueFd dest = mkdir_all_in_root(root_fd, d.destination, 0755);
        check_proc_destination(root_fd, dest.get(), "", d.destination);
        with_context(fmt::format("mount on {}", util::quote(d.destination)),
                     [&] { attach_mount_tree(d.tree.get(), dest.get()); });
    }
}

// The parent of the rootfs mount must not be shared, or pivot_root fails
// with EINVAL (pivot_root(2) "new_root ... must not have shared propagation").
void make_parent_private(const std::string& rootfs) {
    std::string path = rootfs;
    while (true) {
        if (::mount(nullptr, path.c_str(), nullptr, MS_PRIVATE, nullptr) == 0) return;
        if (errno != EINVAL || path == "/") return;
        auto slash = path.rfind('/');
        path = slash == 0 ? "/" : path.substr(0, slash);
    }
}

}  // namespace

void prepare_rootfs(const oci::Spec& spec, const RootfsContext& ctx) {
    const auto& linux_cfg = spec.linux;
    std::string propagation = linux_cfg && linux_cfg->rootfs_propagation ? *linux_cfg->rootfs_propagation : "";
    // runc's default: mounts made by the host may still reach the container, never the reverse.
    unsigned long root_propagation = propagation.empty() ? (MS_SLAVE | MS_REC) : propagation_flag(propagation);
    check(::mount(nullptr, "/", nullptr, root_propagation, nullptr), "set propagation of / in the container");
    make_parent_private(ctx.rootfs);
    check(::mount(ctx.rootfs.c_str(), ctx.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr),
          "bind mount the rootfs {} on itself", ctx.rootfs);

    UniqueFd root_fd(::open(ctx.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root_fd) throw_errno(errno, "open rootfs {}", ctx.rootfs);
    bool dev_is_bind = false;
    for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
        const oci::Mount& m = spec.mounts[i];
        mount_one(root_fd.get(), m, ctx, find_detached(ctx, i), mount_label(spec));
        if (m.destination == "/dev" && (m.type.value_or("") == "bind")) dev_is_bind = true;
    }
    attach_extra_mounts(root_fd.get(), ctx);
    if (!dev_is_bind) setup_dev(root_fd.get(), spec, ctx.in_user_namespace);
    if (!propagation.empty()) {
        check(::mount(nullptr, ctx.rootfs.c_str(), nullptr, root_propagation, nullptr), "set rootfs propagation {}",
              propagation);
    }
}

void apply_path_protections(const oci::Spec& spec, const RootfsContext& ctx) {
    if (!spec.linux) return;
    UniqueFd root_fd(::open(ctx.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root_fd) throw_errno(errno, "open rootfs {}", ctx.rootfs);
    apply_sysctls(spec, root_fd.get());
    // Opened here, in the container's mount namespace: a bind source must
    // belong to the caller's namespace (mount(2) EINVAL otherwise).
    UniqueFd dev_null(open_verified_dev_null());
    for (const auto& path : spec.linux->masked_paths) {
        mask_path(root_fd.get(), path, dev_null.get(), mount_label(spec));
    }
    for (const auto& path : spec.linux->readonly_paths) make_path_readonly(root_fd.get(), path);
}

void enter_rootfs(const std::string& rootfs, bool no_pivot) {
    check(::chdir(rootfs.c_str()), "chdir to the rootfs {}", rootfs);
    if (no_pivot) {
        check(::mount(rootfs.c_str(), "/", nullptr, MS_MOVE, nullptr), "move the rootfs {} to /", rootfs);
        check(::chroot("."), "chroot into the rootfs {}", rootfs);
    } else {
        // pivot_root(".", ".") stacks the old root on top of the new one;
        // detaching "." then removes it without needing a directory for it.
        check(static_cast<int>(::syscall(SYS_pivot_root, ".", ".")), "pivot_root into {}", rootfs);
        check(::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr), "make the old root a slave");
        check(::umount2(".", MNT_DETACH), "detach the old root");
    }
    check(::chdir("/"), "chdir to / in the container");
}

void finish_rootfs(const oci::Spec& spec) {
    if (!spec.root || !spec.root->readonly.value_or(false)) return;
    UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root) throw_errno(errno, "open / in the container");
    set_mount_attr(root.get(), MOUNT_ATTR_RDONLY, 0, false, "/ (root.readonly)");
}

}  // namespace hull::sys
