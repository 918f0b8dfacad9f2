#include "core/exec.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "core/container.hpp"
#include "core/exec_cgroups.hpp"
#include "core/foreground.hpp"
#include "core/process_setup.hpp"
#include "core/seccomp_listener.hpp"
#include "core/state_json.hpp"
#include "core/sync_protocol.hpp"
#include "linux/capabilities.hpp"
#include "linux/cgroup/manager.hpp"
#include "linux/clone.hpp"
#include "linux/console.hpp"
#include "linux/keyring.hpp"
#include "linux/lsm.hpp"
#include "linux/namespaces.hpp"
#include "linux/pidfd.hpp"
#include "linux/seccomp/cache.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/scope_exit.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

// The container as exec finds it, read under its lock.
struct Target {
    ContainerRecord record;
    oci::Spec spec;
    sys::Pidfd init;
};

Target find_target(const StateRoot& root, const ExecOptions& options) {
    ContainerDir dir = root.open(options.id);
    ContainerRecord record = dir.load();
    Status status = container_status(dir, record);
    if (status == Status::stopped) throw_error("cannot exec in a stopped container");
    if (status == Status::creating) throw_error("cannot exec in a container that is still being created");
    if (status == Status::paused && !options.ignore_paused) {
        throw_error("cannot exec in a paused container (use --ignore-paused to override)");
    }
    // The pidfd pins the init; the start time read after opening it proves
    // the pid was not reused in between.
    auto init = sys::Pidfd::open(record.init_pid);
    if (!init || !sys::process_alive(record.init_pid, record.init_start_time)) {
        throw_error("cannot exec in a stopped container");
    }
    oci::Spec spec = oci::load_spec(dir.file("config.json"));
    return Target{std::move(record), std::move(spec), std::move(*init)};
}

bool same_namespace_as_ours(pid_t pid, std::string_view name) {
    struct stat theirs {}, ours {};
    auto path = fmt::format("/proc/{}/ns/{}", pid, name);
    auto own = fmt::format("/proc/self/ns/{}", name);
    return ::stat(path.c_str(), &theirs) == 0 && ::stat(own.c_str(), &ours) == 0 && theirs.st_ino == ours.st_ino &&
           theirs.st_dev == ours.st_dev;
}

// The container's namespaces are those its config lists (made or joined
// by path): the init is in each of them.
int container_namespaces(const oci::Spec& spec, pid_t init_pid) {
    int flags = 0;
    if (spec.linux) {
        for (const auto& ns : spec.linux->namespaces) flags |= sys::namespace_kind(ns.type)->clone_flag;
    }
    // setns refuses the caller's own user namespace (EINVAL).
    if ((flags & CLONE_NEWUSER) && same_namespace_as_ours(init_pid, "user")) flags &= ~CLONE_NEWUSER;
    return flags;
}

void check_console_flags(const oci::Process& process, const ExecOptions& options) {
    bool terminal = process.terminal.value_or(false);
    if (terminal && options.detach && options.console_socket.empty()) {
        throw_error("cannot allocate a terminal for a detached exec without --console-socket");
    }
    if (!terminal && !options.console_socket.empty()) {
        throw_error("--console-socket was given but the process has no terminal (use --tty)");
    }
}

std::map<std::string, std::string> exec_cgroups(const ContainerRecord& record, const ExecOptions& options) {
    std::map<std::string, std::string> dirs = exec_cgroup_dirs(record.cgroups.paths, options.sub_cgroups);
    for (const auto& entry : dirs) {
        struct stat st {};
        if (::stat(entry.second.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) {
            throw_error("--cgroup: cgroup {} does not exist", util::quote(entry.second));
        }
    }
    return dirs;
}

// Through the cgroupfs driver whatever the container's: an exec joins the
// container's directories (the systemd scope's too), it does not start a
// unit (runc does the same).
void join_cgroups(const std::map<std::string, std::string>& dirs, pid_t pid) {
    if (dirs.empty()) return;
    sys::cgroup::SavedCgroups exec_cgroups;
    exec_cgroups.driver = "cgroupfs";
    exec_cgroups.paths = dirs;
    sys::cgroup::load_manager(exec_cgroups)->enter(pid);
}

struct ChildContext {
    const oci::Spec& spec;
    const oci::Process& process;
    SyncSocket& sync;
    const sys::Pidfd& init;
    int host_proc_fd;  // the host's /proc, for the LSM attribute files
    const sys::seccomp::Filter* seccomp;  // the container's linux.seccomp, compiled; null without
    int namespaces;  // CLONE_NEW* to join, the pid namespace already joined by the parent
    int preserve_fds;
    std::string session_keyring;  // the init's (keyring.hpp); empty: the container has none of its own
    // The init's root, for a container without a mount namespace of its
    // own (joining the caller's would leave the process at the host's /);
    // -1 otherwise: joining the mount namespace sets the root.
    int root_fd = -1;
};

// The init of a container in the caller's mount namespace is only
// chrooted: the exec'd process goes into the same root.
void enter_init_root(int root_fd) {
    if (root_fd < 0) return;
    check(::fchdir(root_fd), "chdir to the container's root");
    check(::chroot("."), "chroot into the container's root");
    check(::chdir("/"), "chdir to / in the container");
}

void child_sequence(const ChildContext& ctx) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    expect_message(ctx.sync, SyncType::parent_setup_done);
    sys::join_namespaces_of(ctx.init.fd(), ctx.init.pid(), ctx.namespaces);
    enter_init_root(ctx.root_fd);
    if (ctx.namespaces & CLONE_NEWUSER) {
        // Unmapped ids until process.user is applied; see init.cpp.
        check(::setresgid(0, 0, 0), "become root in the user namespace (gid)");
        check(::setresuid(0, 0, 0), "become root in the user namespace (uid)");
    }
    check(::setsid(), "setsid");
    if (!ctx.session_keyring.empty()) {
        sys::set_keyring_label(ctx.process, ctx.host_proc_fd);
        sys::join_session_keyring(ctx.session_keyring);
    }
    if (ctx.process.terminal.value_or(false)) send_console(ctx.process, ctx.sync);
    auto caps = sys::parse_capabilities(ctx.process.capabilities);
    ProcessSeccomp seccomp{ctx.seccomp, &ctx.sync};
    apply_process_attributes(ctx.spec, ctx.process, caps.sets, seccomp);
    std::string executable = find_program(ctx.process);
    sys::apply_exec_labels(ctx.process, ctx.host_proc_fd);
    load_seccomp_at(SeccompPoint::before_ready, ctx.process, seccomp);
    exec_process(ctx.process, executable, ctx.preserve_fds, {ctx.seccomp, nullptr});
}

int child_main(const ChildContext& ctx) noexcept {
    // A copy of hull's binary in the container's pid namespace until it
    // execs: non-dumpable, so no container process can open its
    // /proc/PID/exe (CVE-2019-5736).
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    close_fds_except(3 + ctx.preserve_fds, {ctx.sync.fd(), ctx.init.fd(), ctx.host_proc_fd, ctx.root_fd});
    try {
        child_sequence(ctx);
    } catch (const Error& e) {
        try {
            ctx.sync.send_error(e);
        } catch (...) {
        }
        return e.exit_status();
    } catch (const std::exception& e) {
        try {
            ctx.sync.send_error(Error(fmt::format("exec: {}", e.what())));
        } catch (...) {
        }
    }
    return 255;
}

// A notifying filter's listener goes to the agent, as create's does
// (runc sends one for every exec'd process too).
void hand_over_seccomp_listener(const SyncSocket& sync, const Target& target, pid_t pid) {
    SyncMessage listener = expect_message(sync, SyncType::seccomp_listener);
    if (!listener.fd) throw_error("exec: the process sent no seccomp listener");
    send_seccomp_listener(*target.spec.linux->seccomp, std::move(listener.fd),
                          to_oci_state(target.record, Status::running), pid);
    sync.send(SyncType::seccomp_listener_done);
}

// Until EOF: the console master and the seccomp listener if any, or the
// child's error.
UniqueFd await_exec(const SyncSocket& sync, const oci::Process& process, const Target& target,
                    const sys::seccomp::Filter* seccomp, pid_t pid) {
    UniqueFd master;
    if (process.terminal.value_or(false)) {
        master = std::move(expect_message(sync, SyncType::console_master).fd);
        if (!master) throw_error("exec: the process sent no pty master");
    }
    if (seccomp != nullptr && seccomp->notify) hand_over_seccomp_listener(sync, target, pid);
    if (auto message = sync.receive()) {
        if (message->type == SyncType::error) {
            throw Error(message->err, message->payload);
        }
        throw_error("exec: unexpected {} message from the process", sync_type_name(message->type));
    }
    return master;
}

// /proc/PID/root of the init, checked to still be the init after the
// open (a pid reused meanwhile would hand over another process's root).
UniqueFd open_init_root(int host_proc_fd, const Target& target) {
    std::string path = fmt::format("{}/root", target.init.pid());
    int fd = ::openat(host_proc_fd, path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw_errno(errno, "open the root of the container's init /proc/{}", path);
    UniqueFd root(fd);
    // A pidfd polls readable once its process has exited.
    if (target.init.wait_exit(0)) throw_error("container init {} exited", target.init.pid());
    return root;
}

}  // namespace

int exec_in_container(const StateRoot& root, const ExecOptions& options, const util::Logger& log) {
    Target target = find_target(root, options);
    oci::Process process = exec_process_spec(target.spec, options.request);
    check_console_flags(process, options);
    sys::check_process_labels(process);
    auto cgroup_dirs = exec_cgroups(target.record, options);
    // The container's filter, from the cache create filled.
    std::optional<sys::seccomp::Filter> seccomp;
    if (target.spec.linux && target.spec.linux->seccomp) {
        seccomp = sys::seccomp::compile_cached(*target.spec.linux->seccomp, root.path(), log);
    }
    int namespaces = container_namespaces(target.spec, target.init.pid());
    // setns(CLONE_NEWPID) moves only the children: the child is born in it.
    sys::join_namespaces_of(target.init.fd(), target.init.pid(), namespaces & CLONE_NEWPID);

    // The child is in the container's pid namespace from its first
    // instruction: it must be born non-dumpable, or a container process
    // could open its /proc/PID/exe before child_main runs (CVE-2019-5736).
    check(::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "make hull non-dumpable");
    std::optional<ForwardedSignals> signals;
    if (!options.detach) signals.emplace();
    // Opened before any setns: the container's /proc may be missing or
    // fake (CVE-2019-16884).
    UniqueFd host_proc = util::open_fd("/proc", O_PATH | O_DIRECTORY);
    UniqueFd init_root;
    if (!(namespaces & CLONE_NEWNS)) init_root = open_init_root(host_proc.get(), target);
    auto sync_pair = SyncSocket::make_pair(SyncProtocol::exec);
    SyncSocket& parent_sync = sync_pair.first;
    SyncSocket& child_sync = sync_pair.second;
    ChildContext ctx{target.spec,     process, child_sync, target.init, host_proc.get(), seccomp ? &*seccomp : nullptr,
                     namespaces & ~CLONE_NEWPID, options.preserve_fds,
                     target.record.no_new_keyring ? "" : sys::session_keyring_name(options.id), init_root.get()};
    // Killed and reaped by its destructor on any failure below.
    sys::ChildProcess child = sys::clone_child(0, -1, [&] {
        parent_sync.close();
        return child_main(ctx);
    });
    child_sync.close();
    log.debug("exec in {}: process is pid {}", options.id, child.pid());

    join_cgroups(cgroup_dirs, child.pid());
    parent_sync.send(SyncType::parent_setup_done);
    UniqueFd master = await_exec(parent_sync, process, target, seccomp ? &*seccomp : nullptr, child.pid());
    if (master && !options.console_socket.empty()) {
        UniqueFd socket = sys::connect_console_socket(options.console_socket);
        sys::send_fd(socket.get(), master.get(), "/dev/ptmx");
        master.reset();
    }
    if (!options.pid_file.empty()) {
        // containerd parses it with strconv.Atoi: no trailing newline
        // (docs/engines.md "Exit status and output").
        util::write_file_atomic(options.pid_file, std::to_string(child.pid()), 0644);
    }
    // The process runs: detached, it is the caller's (reparented when we
    // exit); in the foreground, wait_in_foreground reaps it.
    pid_t pid = child.pid();
    UniqueFd pidfd = child.release();
    if (options.detach) return 0;
    return wait_in_foreground({pid, pidfd.get(), std::move(master), std::nullopt}, log);
}

}  // namespace hull::core
