#include "core/init.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "core/hooks.hpp"
#include "core/process_setup.hpp"
#include "linux/bind_sources.hpp"
#include "linux/capabilities.hpp"
#include "linux/keyring.hpp"
#include "linux/lsm.hpp"
#include "linux/loopback.hpp"
#include "linux/namespaces.hpp"
#include "linux/process_attrs.hpp"
#include "linux/rootfs.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace hull::core {
namespace {

// Joins the namespaces given by path. A namespace owned by another user
// namespace cannot be joined before that user namespace (EPERM), and once
// in it the host's ones cannot be joined either: try all, join the user
// namespace, retry what failed (as crun does).
void join_namespaces(const InitContext& ctx) {
    std::vector<std::pair<int, std::string>> retry;
    int user_fd = -1;
    for (const auto& [fd, type] : ctx.join_fds) {
        auto kind = sys::namespace_kind(type);
        if (type == "user") {
            // Already in it when the parent had it joined before the clone (create.cpp).
            if (!sys::is_current_namespace(fd, *kind)) user_fd = fd;
        } else if (::setns(fd, kind->clone_flag) < 0) {
            if (errno != EPERM) throw_errno(errno, "join {} namespace", type);
            retry.emplace_back(fd, type);
        }
    }
    if (user_fd >= 0) check(::setns(user_fd, CLONE_NEWUSER), "join user namespace");
    for (const auto& [fd, type] : retry) {
        check(::setns(fd, sys::namespace_kind(type)->clone_flag), "join {} namespace", type);
    }
}

bool in_user_namespace(const InitContext& ctx) {
    if (ctx.new_user_namespace) return true;
    return std::any_of(ctx.join_fds.begin(), ctx.join_fds.end(), [](const auto& j) { return j.second == "user"; });
}

// A new time namespace is entered by the next execve, after its offsets
// are written (time_namespaces(7)); clone3 cannot take offsets.
void setup_time_namespace(const oci::Spec& spec) {
    if (!spec.linux) return;
    bool wanted = false;
    for (const auto& ns : spec.linux->namespaces) {
        if (ns.type == "time" && !ns.path) wanted = true;
    }
    if (!wanted) return;
    check(::unshare(CLONE_NEWTIME), "create time namespace");
    std::string offsets;
    for (const auto& [clock, offset] : spec.linux->time_offsets) {
        offsets += fmt::format("{} {} {}\n", clock, offset.secs.value_or(0), offset.nanosecs.value_or(0));
    }
    if (offsets.empty()) return;
    UniqueFd fd(::open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC));
    if (!fd || ::write(fd.get(), offsets.data(), offsets.size()) < 0) {
        throw_errno(errno, "linux.timeOffsets: write /proc/self/timens_offsets");
    }
}

// Blocks until `hull start` opens the FIFO's read side. The FIFO lives in
// the host's state directory; the O_PATH fd taken before pivot_root is
// reopened through the host's /proc.
void wait_for_start(const InitContext& ctx) {
    std::string path = fmt::format("self/fd/{}", ctx.exec_fifo_fd);
    int fd = ::openat(ctx.host_proc_fd, path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw_errno(errno, "open the exec fifo");
    UniqueFd fifo(fd);
    if (::write(fifo.get(), "0", 1) != 1) throw_errno(errno, "write the exec fifo");
}

// Anything beyond --preserve-fds that the init does not use goes now, not
// at exec: see close_fds_except. The state lock goes too: flock belongs to
// the open file, and the child's copy would keep `start` out.
void close_inherited_fds(const InitContext& ctx) {
    std::vector<int> keep = {ctx.sync.fd(), ctx.exec_fifo_fd, ctx.host_proc_fd};
    for (const auto& [fd, type] : ctx.join_fds) keep.push_back(fd);
    for (const auto& m : ctx.detached_mounts) keep.push_back(m.tree.get());
    close_fds_except(3 + ctx.preserve_fds, std::move(keep));
}

sys::RootEntry root_entry(const InitContext& ctx) {
    if (!ctx.mount_namespace) return sys::RootEntry::chroot_only;
    return ctx.no_pivot ? sys::RootEntry::move_and_chroot : sys::RootEntry::pivot_root;
}

// config.md "CreateContainer Hooks": in the container's namespaces, after
// its mounts and before pivot_root. They run from the rootfs, as runc's
// do (prepareRootfs chdirs there first): hooks with relative paths rely
// on it.
void run_create_container_hooks(const InitContext& ctx, std::string_view state) {
    if (!ctx.spec.hooks || ctx.spec.hooks->create_container.empty()) return;
    check(::chdir(ctx.rootfs.c_str()), "chdir to the rootfs {} for the createContainer hooks", ctx.rootfs);
    run_hooks(ctx.spec.hooks->create_container, "createContainer", state);
}

// config.md "StartContainer Hooks": they run in the container, so under its
// seccomp filter, as runc's do (it loads the filter before the exec fifo).
// With noNewPrivileges and no notify the filter's point is the execve,
// after them: then it goes in here, before them. Returns the filter
// exec_process has still to load.
ProcessSeccomp run_start_container_hooks(const InitContext& ctx, std::string_view state) {
    ProcessSeccomp at_exec{ctx.seccomp, nullptr};
    if (!ctx.spec.hooks || ctx.spec.hooks->start_container.empty()) return at_exec;
    load_seccomp_at(SeccompPoint::before_exec, *ctx.spec.process, at_exec);
    run_hooks(ctx.spec.hooks->start_container, "startContainer", state);
    return {};
}

// Steps 0 and 1 (sync_protocol.hpp): the bind sources the parent opened,
// then parent_setup_done.
std::vector<sys::BindSource> receive_bind_sources(const SyncSocket& sync, const oci::Spec& spec) {
    std::vector<sys::BindSource> sources;
    while (true) {
        SyncMessage msg = expect_message(sync, SyncType::bind_source, SyncType::parent_setup_done);
        if (msg.type == SyncType::parent_setup_done) return sources;
        auto index = util::parse_u64(msg.payload);
        if (!index || *index >= spec.mounts.size() || !msg.fd) {
            throw_error("init sync socket: bind_source without a mount index and an fd");
        }
        sources.push_back(sys::BindSource{*index, std::move(msg.fd)});
    }
}

void init_sequence(InitContext& ctx) {
    const oci::Spec& spec = ctx.spec;
    // `run` blocks the signals it forwards; the container must start with none blocked.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<sys::BindSource> bind_sources = receive_bind_sources(ctx.sync, spec);
    join_namespaces(ctx);
    bool user_namespace = in_user_namespace(ctx);
    if (user_namespace) {
        // The host's root is unmapped there: files it created would fail
        // (EOVERFLOW). runc's nsexec does the same.
        check(::setresgid(0, 0, 0), "become root in the user namespace (gid)");
        check(::setresuid(0, 0, 0), "become root in the user namespace (uid)");
    }
    if (ctx.new_network_namespace) sys::bring_up_loopback();
    // Only now, inside the container's cgroups: a cgroup namespace is
    // rooted where its creator stands (cgroup_namespaces(7)).
    if (ctx.new_cgroup_namespace) check(::unshare(CLONE_NEWCGROUP), "create cgroup namespace");
    setup_time_namespace(spec);
    // Its own session: the container must not share the caller's terminal
    // job control, and a pty can only become the controlling tty of a leader.
    check(::setsid(), "setsid");
    if (!ctx.session_keyring.empty()) {
        sys::set_keyring_label(*spec.process, ctx.host_proc_fd);
        sys::create_session_keyring(ctx.session_keyring);
    }
    sys::RootfsContext rootfs{ctx.rootfs, user_namespace, {ctx.cgroup_paths, ctx.new_cgroup_namespace},
                              ctx.detached_mounts, bind_sources};
    // Without a mount namespace of its own the init is in the caller's:
    // nothing may be mounted there (validate refused every config that
    // needs a mount), only a chroot is made.
    sys::PreparedRootfs prepared;
    if (ctx.mount_namespace) prepared = sys::prepare_rootfs(spec, rootfs);
    bind_sources.clear();  // host paths: not held past the mounts made from them
    ctx.sync.send(SyncType::mounts_ready);
    SyncMessage go = expect_message(ctx.sync, SyncType::continue_setup);
    run_create_container_hooks(ctx, go.payload);
    if (ctx.mount_namespace) sys::apply_path_protections(spec, rootfs);
    sys::enter_rootfs(ctx.rootfs, root_entry(ctx));
    const auto& process = *spec.process;
    // Before finish_rootfs: /dev/console is made on a /dev that may turn
    // read-only there.
    if (process.terminal.value_or(false)) send_console(process, ctx.sync, ctx.mount_namespace);
    if (ctx.mount_namespace) sys::finish_rootfs(spec, prepared);
    if (spec.hostname) sys::set_hostname(*spec.hostname);
    if (spec.domainname) sys::set_domainname(*spec.domainname);
    auto caps = sys::parse_capabilities(process.capabilities);
    ProcessSeccomp seccomp{ctx.seccomp, &ctx.sync};
    apply_process_attributes(spec, process, caps.sets, seccomp);
    std::string executable = find_program(process);
    // After every step that could fail and before "ready", so create
    // reports a profile the kernel refuses; they take effect at execve.
    // Through the host's /proc: the container's may be missing or fake
    // (CVE-2019-16884).
    sys::apply_exec_labels(process, ctx.host_proc_fd);
    load_seccomp_at(SeccompPoint::before_ready, process, seccomp);
    ctx.sync.send(SyncType::ready);
    ctx.sync.close();
    wait_for_start(ctx);
    ProcessSeccomp at_exec = run_start_container_hooks(ctx, go.payload);
    exec_process(process, executable, ctx.preserve_fds, at_exec);
}

}  // namespace

int init_main(InitContext& ctx) noexcept {
    // Until it execs, the init runs hull's own binary: a non-dumpable
    // process's /proc/PID/exe cannot be opened by the container's other
    // processes (CVE-2019-5736). execve makes the container's program
    // dumpable again as usual.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    close_inherited_fds(ctx);
    try {
        init_sequence(ctx);
    } catch (const Error& e) {
        try {
            if (ctx.sync.fd() >= 0) {
                ctx.sync.send_error(e);
            } else {
                // After ready the parent is gone: the container's stderr is all we have.
                std::string line = fmt::format("hull init: {}\n", e.what());
                [[maybe_unused]] auto n = ::write(2, line.data(), line.size());
            }
        } catch (...) {
        }
        return e.exit_status();
    } catch (const std::exception& e) {
        try {
            ctx.sync.send_error(Error(fmt::format("container init: {}", e.what())));
        } catch (...) {
        }
    }
    return 1;
}

}  // namespace hull::core
