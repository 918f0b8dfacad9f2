// `create` (runtime.md "Create"): validate, clone the init, drive it
// through the sync protocol, record the state. A failure at any step kills
// the init and removes the state directory: nothing is left behind.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include <fmt/format.h>

#include "core/container.hpp"
#include "core/hooks.hpp"
#include "core/init.hpp"
#include "core/notify_socket.hpp"
#include "core/seccomp_listener.hpp"
#include "core/state_json.hpp"
#include "linux/bind_sources.hpp"
#include "linux/cgroup/manager.hpp"
#include "linux/clone.hpp"
#include "linux/console.hpp"
#include "linux/idmapped_mounts.hpp"
#include "linux/keyring.hpp"
#include "linux/lsm.hpp"
#include "linux/namespaces.hpp"
#include "linux/pidfd.hpp"
#include "linux/seccomp/cache.hpp"
#include "oci/runtime/validate.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/scope_exit.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

std::string real_path(const std::string& path, std::string_view what) {
    char buf[PATH_MAX];
    if (::realpath(path.c_str(), buf) == nullptr) throw_errno(errno, "{} {}", what, util::quote(path));
    return buf;
}

std::string rootfs_path(const std::string& bundle, const oci::Spec& spec) {
    const std::string& path = spec.root->path;
    std::string full = path.starts_with('/') ? path : bundle + "/" + path;
    std::string resolved = real_path(full, "root.path");
    struct stat st {};
    if (::stat(resolved.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) {
        throw_error("root.path: {} is not a directory", util::quote(full));
    }
    return resolved;
}

void check_console_flags(const oci::Spec& spec, const CreateOptions& options) {
    bool terminal = spec.process->terminal.value_or(false);
    if (terminal && options.console_socket.empty() && !options.console_handler) {
        throw_error("process.terminal is true but no --console-socket was given to receive the pty master");
    }
    if (!terminal && !options.console_socket.empty()) {
        throw_error("--console-socket was given but process.terminal is false");
    }
}

struct NamespacePlan {
    std::uint64_t clone_flags = 0;
    bool new_user = false;
    bool new_cgroup = false;  // unshared by the init, not cloned: see init.cpp
    bool mount = false;       // a mount namespace of its own, new or joined
    std::vector<UniqueFd> owned_fds;
    std::vector<std::pair<int, std::string>> join_fds;
    UniqueFd pid_join_fd;
};

NamespacePlan plan_namespaces(const oci::Spec& spec) {
    NamespacePlan plan;
    if (!spec.linux) return plan;
    for (const auto& ns : spec.linux->namespaces) {
        auto kind = sys::namespace_kind(ns.type);
        if (!kind) throw_error("linux.namespaces: unknown type {}", util::quote(ns.type));
        plan.mount = plan.mount || ns.type == "mount";
        if (ns.path && !ns.path->empty()) {
            UniqueFd fd = sys::open_namespace(*ns.path, *kind);
            // The init would mount and pivot_root in the caller's own table.
            if (ns.type == "mount" && sys::is_current_namespace(fd.get(), *kind)) {
                throw_error("linux.namespaces: mount namespace {} is the runtime's own: the container needs one "
                            "of its own",
                            util::quote(*ns.path));
            }
            if (ns.type == "pid") {
                plan.pid_join_fd = std::move(fd);
                continue;
            }
            plan.join_fds.emplace_back(fd.get(), ns.type);
            plan.owned_fds.push_back(std::move(fd));
        } else if (ns.type == "cgroup") {
            plan.new_cgroup = true;
        } else if (ns.type != "time") {  // time: unshared by init, see init.cpp
            plan.clone_flags |= static_cast<std::uint64_t>(kind->clone_flag);
            plan.new_user = plan.new_user || ns.type == "user";
        }
    }
    return plan;
}

int joined_user_namespace(const NamespacePlan& plan) {
    for (const auto& [fd, type] : plan.join_fds) {
        if (type == "user") return fd;
    }
    return -1;
}

// Step 0 (sync_protocol.hpp): in a user namespace the init could not reach
// a bind source below a directory only the host's root may search; the host
// opens them for it (linux/bind_sources.hpp), as runc does. Only in a mount
// namespace of the init's own (a joined one is entered after this step),
// and not for a caller without root, whose container's root reaches what
// the caller does (runc's rule too).
void send_bind_sources(const sys::ChildProcess& child, const SyncSocket& sync, const oci::Spec& spec,
                       const NamespacePlan& plan) {
    bool user_namespace = plan.new_user || joined_user_namespace(plan) >= 0;
    if (!user_namespace || (plan.clone_flags & CLONE_NEWNS) == 0 || ::geteuid() != 0) return;
    for (const auto& source : sys::open_bind_sources(spec, child.pidfd(), child.pid())) {
        sync.send(SyncType::bind_source, std::to_string(source.spec_index), source.fd.get());
    }
}

void write_id_maps(pid_t pid, const oci::Spec& spec) {
    with_context("linux.uidMappings",
                 [&] { sys::write_id_map(pid, "uid_map", sys::id_map_lines(spec.linux->uid_mappings)); });
    with_context("linux.gidMappings",
                 [&] { sys::write_id_map(pid, "gid_map", sys::id_map_lines(spec.linux->gid_mappings)); });
}

void hand_over_console(UniqueFd master, const CreateOptions& options) {
    if (options.console_handler) {
        options.console_handler(std::move(master));
        return;
    }
    UniqueFd socket = sys::connect_console_socket(options.console_socket);
    sys::send_fd(socket.get(), master.get(), "/dev/ptmx");
}

// The container's cgroups, made before the init exists; none with
// --cgroup-manager=disabled (podman's), as runc.
std::unique_ptr<sys::cgroup::Manager> make_cgroups(const oci::Spec& spec, const CreateOptions& options) {
    if (options.cgroups_disabled) return nullptr;
    std::string path = spec.linux && spec.linux->cgroups_path ? *spec.linux->cgroups_path : "";
    auto cgroups = with_context("linux.cgroupsPath", [&] {
        return sys::cgroup::make_manager({path, options.id, options.systemd_cgroup});
    });
    return cgroups;
}

// Makes the directories; false when a rootless caller may not and asked
// for no limits (runc's rootless rule), so the container goes without.
bool prepare_cgroups(sys::cgroup::Manager& cgroups, const oci::Spec& spec, const CreateOptions& options,
                     const util::Logger& log) {
    try {
        cgroups.prepare();
        return true;
    } catch (const Error& e) {
        bool denied = e.error_number() == EACCES || e.error_number() == EPERM || e.error_number() == EROFS;
        bool limits = spec.linux && spec.linux->resources && *spec.linux->resources != oci::Resources{};
        if (!options.rootless || !denied || limits) throw;
        log.debug("rootless: no cgroups for {}: {}", options.id, e.what());
        cgroups.destroy();
        return false;
    }
}

// Puts the init in its cgroups and applies linux.resources, before it
// does anything in the container.
void place_in_cgroups(sys::cgroup::Manager* cgroups, pid_t pid, const oci::Spec& spec) {
    if (cgroups == nullptr) return;
    cgroups->enter(pid);
    const auto& resources = spec.linux ? spec.linux->resources : std::nullopt;
    if (resources) cgroups->set(*resources);
    // runc's default devices apply even when the config lists none.
    cgroups->set_devices(resources ? resources->devices : std::vector<oci::DeviceRule>{});
}

// Compiled before any side effect, so a bad profile fails the create
// cleanly, and before clone, so the init only loads it.
std::optional<sys::seccomp::Filter> compile_seccomp(const oci::Spec& spec, const StateRoot& root,
                                                    const util::Logger& log) {
    if (!spec.linux || !spec.linux->seccomp) return std::nullopt;
    return sys::seccomp::compile_cached(*spec.linux->seccomp, root.path(), log);
}

// The init loaded a notifying filter: its listener goes to the agent
// before the container's process can make a notified call.
void hand_over_seccomp_listener(SyncSocket& sync, const oci::Spec& spec, const ContainerRecord& record) {
    SyncMessage listener = expect_message(sync, SyncType::seccomp_listener);
    if (!listener.fd) throw_error("container init sent no seccomp listener");
    send_seccomp_listener(*spec.linux->seccomp, std::move(listener.fd), to_oci_state(record, Status::creating),
                          record.init_pid);
    sync.send(SyncType::seccomp_listener_done);
}

// Drives the child through the protocol (sync_protocol.hpp) up to "ready".
void drive_init(const sys::ChildProcess& child, SyncSocket& sync, const oci::Spec& spec, const NamespacePlan& plan,
                const CreateOptions& options, const ContainerRecord& record, sys::cgroup::Manager* cgroups,
                const sys::seccomp::Filter* seccomp) {
    place_in_cgroups(cgroups, child.pid(), spec);
    if (plan.new_user) write_id_maps(child.pid(), spec);
    send_bind_sources(child, sync, spec, plan);
    sync.send(SyncType::parent_setup_done);
    expect_message(sync, SyncType::mounts_ready);
    std::string state = state_json(record, Status::creating, false);
    if (spec.hooks) {
        run_hooks(spec.hooks->prestart, "prestart", state);
        run_hooks(spec.hooks->create_runtime, "createRuntime", state);
    }
    sync.send(SyncType::continue_setup, state_json(record, Status::created, false));
    if (spec.process->terminal.value_or(false)) {
        SyncMessage console = expect_message(sync, SyncType::console_master);
        if (!console.fd) throw_error("container init sent no pty master");
        hand_over_console(std::move(console.fd), options);
    }
    if (seccomp != nullptr && seccomp->notify) hand_over_seccomp_listener(sync, spec, record);
    expect_message(sync, SyncType::ready);
}

// Socket activation passes through as runc does: the caller's LISTEN_FDS
// fds (3 .. 3+n-1) go to the container ahead of --preserve-fds, with
// LISTEN_PID=1 since the program is pid 1 of its namespace. As in
// sd_listen_fds(3), they are ours only when LISTEN_PID names us: variables
// inherited from a socket-activated ancestor describe its fds, not ours.
int pass_listen_fds(oci::Spec& spec) {
    const char* listen_pid = std::getenv("LISTEN_PID");
    auto pid = listen_pid != nullptr ? util::parse_u64(listen_pid) : std::nullopt;
    if (!pid || *pid != static_cast<std::uint64_t>(::getpid())) return 0;
    const char* value = std::getenv("LISTEN_FDS");
    auto n = value != nullptr ? util::parse_u64(value) : std::nullopt;
    if (!n || *n == 0 || *n > 1024) return 0;
    spec.process->env.push_back(fmt::format("LISTEN_FDS={}", *n));
    spec.process->env.push_back("LISTEN_PID=1");
    return static_cast<int>(*n);
}

// What start and delete will run, kept in the record.
oci::Hooks later_hooks(const oci::Spec& spec) {
    oci::Hooks kept;
    if (spec.hooks) {
        kept.poststart = spec.hooks->poststart;
        kept.poststop = spec.hooks->poststop;
    }
    return kept;
}

}  // namespace

CreatedContainer create_container(const StateRoot& root, const CreateOptions& options, const util::Logger& log) {
    std::string bundle = real_path(options.bundle, "bundle");
    // Read once: the copy in the state directory is the text parsed here,
    // whatever happens to the bundle's file meanwhile.
    std::string config_text = oci::read_spec_text(bundle + "/config.json");
    oci::Spec spec = oci::parse_spec_text(config_text, "config.json");
    oci::validate_spec(spec);
    if (!spec.process) throw_error("config.json: process: required to create a container");
    check_console_flags(spec, options);
    sys::check_spec_labels(spec);
    std::string rootfs = rootfs_path(bundle, spec);
    std::optional<sys::seccomp::Filter> seccomp = compile_seccomp(spec, root, log);
    int inherited_fds = pass_listen_fds(spec) + options.preserve_fds;
    NamespacePlan plan = plan_namespaces(spec);
    // The socket is mounted into the rootfs: never in the caller's namespace.
    if (!options.notify_socket.empty() && !plan.mount) {
        throw_error("--notify-socket needs a mount namespace in linux.namespaces");
    }
    std::vector<sys::DetachedMount> detached = sys::prepare_idmapped_mounts(spec, joined_user_namespace(plan));

    ContainerDir dir = root.create(options.id);
    sys::ChildProcess child;
    std::unique_ptr<sys::cgroup::Manager> cgroups;
    ScopeExit cleanup([&] {
        child.kill_and_reap();  // first: nothing may be left in the cgroups
        try {
            if (cgroups) cgroups->destroy();
        } catch (const Error& e) {
            log.warning(fmt::format("cleanup of {}: {}", options.id, e.what()));
        }
        try {
            dir.remove();
        } catch (const Error& e) {
            log.warning(fmt::format("cleanup of {}: {}", options.id, e.what()));
        }
    });
    std::string fifo = dir.file("exec.fifo");
    check(::mkfifo(fifo.c_str(), 0622), "create the exec fifo {}", fifo);
    // Not left to the umask: the init opens it after switching to
    // process.user. The 0700 state directory keeps everyone else out.
    check(::chmod(fifo.c_str(), 0622), "chmod the exec fifo {}", fifo);
    UniqueFd fifo_fd = util::open_fd(fifo, O_PATH);
    UniqueFd proc_fd = util::open_fd("/proc", O_PATH | O_DIRECTORY);
    util::write_file_atomic(dir.file("config.json"), config_text, 0600);
    ContainerRecord record{options.id, bundle, rootfs, util::rfc3339_now(true), ::getuid(), 0, 0, false,
                           options.no_new_keyring, spec.annotations, {}, later_hooks(spec)};
    cgroups = make_cgroups(spec, options);
    if (cgroups) {
        // Saved before the directories exist, so `delete --force` after a
        // SIGKILLed create finds them.
        record.cgroups = cgroups->saved();
        dir.save(record);
        if (!prepare_cgroups(*cgroups, spec, options, log)) {
            cgroups.reset();
            record.cgroups = {};
            dir.save(record);
        } else if (cgroups->saved() != record.cgroups) {
            // A planned directory someone else made meanwhile is not ours to remove.
            record.cgroups = cgroups->saved();
            dir.save(record);
        }
    }
    if (!options.notify_socket.empty()) detached.push_back(prepare_notify_socket(spec, dir));
    if (plan.pid_join_fd) check(::setns(plan.pid_join_fd.get(), CLONE_NEWPID), "join pid namespace");

    // Named, not a structured binding: clang 14 cannot capture those in a lambda.
    auto sync_pair = SyncSocket::make_pair(SyncProtocol::create);
    SyncSocket& parent_sync = sync_pair.first;
    SyncSocket& child_sync = sync_pair.second;
    std::string session_keyring = options.no_new_keyring ? "" : sys::session_keyring_name(options.id);
    InitContext init{spec, rootfs, child_sync, fifo_fd.get(), proc_fd.get(), plan.new_user,
                     (plan.clone_flags & CLONE_NEWNET) != 0, plan.new_cgroup, record.cgroups.paths,
                     plan.mount, options.no_pivot, session_keyring, inherited_fds, plan.join_fds, detached,
                     seccomp ? &*seccomp : nullptr};
    auto init_entry = [&] {
        parent_sync.close();
        return init_main(init);
    };
    // Born non-dumpable: in a pid namespace joined by path, other container
    // processes see the init from its first instruction (CVE-2019-5736).
    check(::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "make hull non-dumpable");
    int cgroup_fd = cgroups ? cgroups->clone_fd() : -1;
    // New namespaces beside a joined user namespace must belong to it (nsexec's order).
    int user_fd = joined_user_namespace(plan);
    child = user_fd >= 0 && plan.clone_flags != 0
                ? sys::clone_child_in_user_namespace(user_fd, plan.clone_flags, cgroup_fd, init_entry)
                : sys::clone_child(plan.clone_flags, cgroup_fd, init_entry);
    child_sync.close();
    log.debug("container {}: init is pid {}", options.id, child.pid());

    record.init_pid = child.pid();
    record.init_start_time = sys::process_start_time(child.pid()).value_or(0);
    dir.save(record);  // before anything can fail, so `delete --force` finds the init
    drive_init(child, parent_sync, spec, plan, options, record, cgroups.get(), seccomp ? &*seccomp : nullptr);
    record.setup_done = true;
    dir.save(record);
    if (!options.pid_file.empty()) {
        // containerd parses it with strconv.Atoi: no trailing newline
        // (docs/engines.md "Exit status and output").
        util::write_file_atomic(options.pid_file, std::to_string(child.pid()), 0644);
    }
    cleanup.dismiss();
    // The init outlives create: its parent is now whoever waits for it.
    pid_t pid = child.pid();
    return CreatedContainer{pid, child.release()};
}

}  // namespace hull::core
