#include "linux/rootfs.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/openat2.h>
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
#include "linux/mountinfo.hpp"
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

// Whether a bind needs a file to mount on. What the host opened (a source
// fd, a tree) is asked rather than the path: the init may not be allowed to
// stat it.
bool binds_a_file(const oci::Mount& m, int opened_fd) {
    struct stat st {};
    int rc = opened_fd >= 0 ? ::fstat(opened_fd, &st) : ::stat(m.source.value_or("").c_str(), &st);
    return rc == 0 && !S_ISDIR(st.st_mode);
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

// proc and sysfs go on an ordinary directory, reached without a symlink:
// an image's "/proc -> /elsewhere" would otherwise take the proc mount,
// and every masked path after it, where the image chose (the
// CVE-2019-16884 class; runc: "must be mounted on ordinary directory").
void check_pseudo_fs_destination(int root_fd, std::string_view type, std::string_view destination) {
    if (type != "proc" && type != "sysfs") return;
    open_how how{};
    how.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    std::string path(destination);
    int fd = static_cast<int>(::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
    if (fd < 0 && errno == ENOENT) return;  // made below, as a directory
    if (fd < 0 && errno == ELOOP) {
        throw_error("filesystem {} must be mounted on an ordinary directory: {} has a symlink on its way",
                    util::quote(type), util::quote(destination));
    }
    if (fd < 0) throw_errno(errno, "resolve mount destination {} in rootfs", util::quote(destination));
    UniqueFd dest(fd);
    struct stat st {};
    check(::fstat(dest.get(), &st), "stat mount destination {}", util::quote(destination));
    if (!S_ISDIR(st.st_mode)) {
        throw_error("filesystem {} must be mounted on an ordinary directory: {} is not a directory",
                    util::quote(type), util::quote(destination));
    }
}

// Resolves (creating) a mount destination inside the rootfs.
UniqueFd resolve_destination(int root_fd, const oci::Mount& m, bool file_target) {
    if (!file_target) check_pseudo_fs_destination(root_fd, m.type.value_or(""), m.destination);
    UniqueFd dest = file_target ? create_file_in_root(root_fd, m.destination, 0644)
                                : mkdir_all_in_root(root_fd, m.destination, 0755);
    check_proc_destination(root_fd, dest.get(), m.type.value_or(""), m.destination);
    return dest;
}

// source_fd: the source as the host opened it, or -1 to take its path.
void mount_bind(int root_fd, const oci::Mount& m, const MountOptions& opts, int source_fd, const std::string& target) {
    const std::string source = m.source.value_or("");
    const std::string from = source_fd >= 0 ? fd_path(source_fd) : source;
    unsigned long rec = opts.recursive_bind ? MS_REC : 0;
    check(::mount(from.c_str(), target.c_str(), nullptr, MS_BIND | rec, nullptr), "bind mount {} on {}",
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

// A read-only tmpfs is mounted writable and made read-only once the
// rootfs is done (runc's finalizeRootfs does the same for /dev): what goes
// below it, /dev/pts, device nodes, the destinations of later mounts, must
// be created first. True when it clears MS_RDONLY for that.
bool defer_tmpfs_readonly(MountOptions& opts, std::string_view type, bool bind) {
    if (type != "tmpfs" || bind || opts.tmpcopyup || !(opts.flags & MS_RDONLY)) return false;
    opts.flags &= ~MS_RDONLY;
    return true;
}

// What the host prepared for a spec mount: a tree to attach, or the fd of
// a bind's source (both -1/null when neither).
struct HostPrepared {
    const DetachedMount* detached = nullptr;
    int source_fd = -1;
};

// Returns the new mount (an O_PATH fd of its root) when it must turn
// read-only later, else an invalid fd.
UniqueFd mount_one(int root_fd, const oci::Mount& m, const RootfsContext& ctx, HostPrepared prepared,
                   std::string_view label) {
    const DetachedMount* detached = prepared.detached;
    MountOptions opts = parse_mount_options(m.options.value_or(std::vector<std::string>{}));
    std::string type = m.type.value_or("");
    bool bind = opts.bind || type == "bind";
    bool readonly_later = defer_tmpfs_readonly(opts, type, bind);
    if (!bind && mount_type_takes_label(type)) opts.data = format_mount_label(opts.data, label);
    int opened_fd = detached != nullptr ? detached->tree.get() : prepared.source_fd;
    UniqueFd dest = resolve_destination(root_fd, m, bind && binds_a_file(m, opened_fd));
    std::string target = fd_path(dest.get());
    UniqueFd mounted;
    with_context(fmt::format("mount {} on {}", util::quote(m.source.value_or(type)), util::quote(m.destination)), [&] {
        if (detached != nullptr) {
            attach_detached(detached->tree.get(), opts, dest.get());
        } else if (opts.idmap) {
            throw_error("idmap: the mount was not prepared by the host");  // prepare_idmapped_mounts missed it
        } else if (opts.tmpcopyup) {
            mount_tmpfs_copyup(root_fd, m, opts, target);
        } else if (bind) {
            mount_bind(root_fd, m, opts, prepared.source_fd, target);
        } else if (type == "cgroup" || type == "cgroup2") {
            mount_cgroup(root_fd, m, opts, target, ctx, label);
        } else {
            std::string source = m.source.value_or(type);
            check(::mount(source.c_str(), target.c_str(), type.c_str(), opts.flags, opts.data.c_str()), "mount");
        }
        // The new mount sits on top of the resolved fd; reopen it by its path to reach it.
        mounted = open_in_root(root_fd, m.destination, O_PATH);
        // runc mounts mqueue without context= and labels its root instead.
        if (type == "mqueue" && !bind) label_mount_root(mounted.get(), label);
        std::string mounted_path = fd_path(mounted.get());
        if (opts.propagation != 0) {
            check(::mount(nullptr, mounted_path.c_str(), nullptr, opts.propagation, nullptr), "set propagation");
        }
        apply_recursive_attributes(opts, mounted_path, m.destination);
    });
    if (!readonly_later) mounted.reset();
    return mounted;
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

HostPrepared find_prepared(const RootfsContext& ctx, std::size_t spec_index) {
    HostPrepared out;
    for (const auto& d : ctx.detached) {
        if (d.spec_index == spec_index) out.detached = &d;
    }
    for (const auto& b : ctx.bind_sources) {
        if (b.spec_index == spec_index) out.source_fd = b.fd.get();
    }
    return out;
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

bool is_slave_propagation(unsigned long flags) { return (flags & MS_SLAVE) != 0; }

// pivot_root(2) refuses a new root, or a parent of it, with shared
// propagation, and a shared parent would also carry the rootfs bind back
// to the host. Only a shared mount is changed (as runc's
// rootfsParentMountPropagation): to a slave when the config asks for slave
// propagation, so the host's mounts still reach the container, else to
// private. A slave mount stays one, keeping the host's mounts flowing in.
void unshare_rootfs_parent(const std::string& rootfs, unsigned long root_propagation) {
    // After a recursive slave or private "/" (runc's default, and most
    // configs) no mount is shared: no need to read the mount table on
    // every start.
    if (root_propagation == (MS_SLAVE | MS_REC) || root_propagation == (MS_PRIVATE | MS_REC)) return;
    auto parent = mount_containing(read_own_mountinfo(), rootfs);
    if (!parent || !parent->has_optional("shared:")) return;
    unsigned long flag = is_slave_propagation(root_propagation) ? MS_SLAVE : MS_PRIVATE;
    check(::mount(nullptr, parent->mount_point.c_str(), nullptr, flag, nullptr),
          "make the mount {} holding the rootfs {}", util::quote(parent->mount_point),
          flag == MS_SLAVE ? "a slave" : "private");
}

// A procfs or sysfs mount left anywhere in the container's mount namespace
// lets a nested user namespace mount a fresh, unmasked one (the kernel
// allows it when a fully visible one exists: mount_too_revealing). With
// pivot_root the old root goes; with --no-pivot it stays under the chroot,
// so every full procfs and sysfs mount outside the rootfs is detached
// first, or covered with a tmpfs where that is refused (runc's msMoveRoot).
void hide_host_pseudo_filesystems(const std::string& rootfs) {
    for (const auto& m : read_own_mountinfo()) {
        if (m.root != "/" || (m.fs_type != "proc" && m.fs_type != "sysfs")) continue;
        if (path_is_within(m.mount_point, rootfs)) continue;
        const char* path = m.mount_point.c_str();
        // The namespace is the container's, but its mounts may still be
        // peers of the host's: nothing done here may travel back.
        if (::mount(nullptr, path, nullptr, MS_SLAVE | MS_REC, nullptr) < 0) {
            if (errno == ENOENT) continue;  // under one detached already
            throw_errno(errno, "make {} a slave before hiding it", util::quote(m.mount_point));
        }
        if (::umount2(path, MNT_DETACH) == 0) continue;
        if (errno != EINVAL && errno != EPERM) throw_errno(errno, "detach {}", util::quote(m.mount_point));
        check(::mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=0k"),
              "cover {} with a tmpfs", util::quote(m.mount_point));
    }
}

void pivot_into(const std::string& rootfs) {
    // pivot_root(".", ".") stacks the old root on top of the new one;
    // detaching "." then removes it without needing a directory for it.
    check(static_cast<int>(::syscall(SYS_pivot_root, ".", ".")), "pivot_root into {}", rootfs);
    check(::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr), "make the old root a slave");
    check(::umount2(".", MNT_DETACH), "detach the old root");
}

unsigned long root_propagation_of(const oci::Spec& spec) {
    const auto& linux_cfg = spec.linux;
    if (!linux_cfg || !linux_cfg->rootfs_propagation) return MS_SLAVE | MS_REC;
    return propagation_flag(*linux_cfg->rootfs_propagation);
}

}  // namespace

PreparedRootfs prepare_rootfs(const oci::Spec& spec, const RootfsContext& ctx) {
    // runc's default: mounts made by the host may still reach the
    // container, never the reverse. Set on the namespace's "/" first, the
    // rootfs bind below inherits it.
    unsigned long root_propagation = root_propagation_of(spec);
    check(::mount(nullptr, "/", nullptr, root_propagation, nullptr), "set propagation of / in the container");
    unshare_rootfs_parent(ctx.rootfs, root_propagation);
    check(::mount(ctx.rootfs.c_str(), ctx.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr),
          "bind mount the rootfs {} on itself", ctx.rootfs);

    UniqueFd root_fd(::open(ctx.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root_fd) throw_errno(errno, "open rootfs {}", ctx.rootfs);
    PreparedRootfs prepared;
    bool dev_is_bind = false;
    for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
        const oci::Mount& m = spec.mounts[i];
        UniqueFd readonly_later = mount_one(root_fd.get(), m, ctx, find_prepared(ctx, i), mount_label(spec));
        if (readonly_later) prepared.readonly_later.push_back(std::move(readonly_later));
        if (m.destination == "/dev" && (m.type.value_or("") == "bind")) dev_is_bind = true;
    }
    attach_extra_mounts(root_fd.get(), ctx);
    if (!dev_is_bind) setup_dev(root_fd.get(), spec, ctx.in_user_namespace);
    return prepared;
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

void enter_rootfs(const std::string& rootfs, RootEntry how) {
    check(::chdir(rootfs.c_str()), "chdir to the rootfs {}", rootfs);
    switch (how) {
        case RootEntry::pivot_root: pivot_into(rootfs); break;
        case RootEntry::move_and_chroot:
            hide_host_pseudo_filesystems(rootfs);
            check(::mount(rootfs.c_str(), "/", nullptr, MS_MOVE, nullptr), "move the rootfs {} to /", rootfs);
            check(::chroot("."), "chroot into the rootfs {}", rootfs);
            break;
        case RootEntry::chroot_only: check(::chroot("."), "chroot into the rootfs {}", rootfs); break;
    }
    check(::chdir("/"), "chdir to / in the container");
}

void finish_rootfs(const oci::Spec& spec, PreparedRootfs& prepared) {
    // Shared and unbindable propagation go on "/" only now: the kernel
    // refuses to pivot onto a shared mount, and set before the pivot they
    // would reach the host's mount (runc applies them here too; private and
    // slave were set on the namespace's "/" before the rootfs bind).
    unsigned long propagation = root_propagation_of(spec);
    if ((propagation & (MS_PRIVATE | MS_SLAVE)) == 0) {
        check(::mount(nullptr, "/", nullptr, propagation, nullptr), "set propagation of / (linux.rootfsPropagation)");
    }
    for (auto& fd : prepared.readonly_later) {
        set_mount_attr(fd.get(), MOUNT_ATTR_RDONLY, 0, false, "a read-only tmpfs");
    }
    prepared.readonly_later.clear();
    if (!spec.root || !spec.root->readonly.value_or(false)) return;
    UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root) throw_errno(errno, "open / in the container");
    set_mount_attr(root.get(), MOUNT_ATTR_RDONLY, 0, false, "/ (root.readonly)");
}

}  // namespace hull::sys
