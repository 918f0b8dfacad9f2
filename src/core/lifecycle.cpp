// start, state, kill, delete and list (runtime.md "Operations").
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "core/container.hpp"
#include "core/hooks.hpp"
#include "core/state_json.hpp"
#include "linux/cgroup/manager.hpp"
#include "linux/pidfd.hpp"
#include "oci/runtime/spec.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

constexpr int kStartTimeoutMs = 10'000;

// The poststart and poststop hooks: from the record, or from config.json
// for a container an older hull created.
oci::Hooks saved_hooks(const ContainerDir& dir, const ContainerRecord& record) {
    if (record.hooks) return *record.hooks;
    return oci::load_spec(dir.file("config.json")).hooks.value_or(oci::Hooks{});
}

// Opens a pidfd for the init only if the pid still belongs to it: the pidfd
// pins the process, and the start time read after opening it proves the pid
// was not reused before.
std::optional<sys::Pidfd> open_init(const ContainerRecord& record) {
    if (record.init_pid <= 0) return std::nullopt;
    auto pidfd = sys::Pidfd::open(record.init_pid);
    if (!pidfd) return std::nullopt;
    if (!sys::process_alive(record.init_pid, record.init_start_time)) return std::nullopt;
    return pidfd;
}

// Releases the init blocked on the exec FIFO and waits for its byte. The
// byte is what counts: a short-lived process may have exited again by the
// time we look, and that is a successful start.
void release_init(const ContainerDir& dir, const ContainerRecord& record) {
    std::string fifo = dir.file("exec.fifo");
    UniqueFd fd(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) throw_errno(errno, "open the exec fifo {}", fifo);
    auto init = open_init(record);
    pollfd fds[2] = {{fd.get(), POLLIN, 0}, {init ? init->fd() : -1, POLLIN, 0}};
    while (true) {
        int n = ::poll(fds, 2, kStartTimeoutMs);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(errno, "wait for the container to start");
        break;
    }
    char byte = 0;
    if (::read(fd.get(), &byte, 1) != 1) {
        throw_error("container {} did not start: its init exited or did not answer", util::quote(record.id));
    }
    ::unlink(fifo.c_str());
}

// Without its own pid namespace a container's other processes outlive its
// init: they are killed through the cgroup before it goes (as runc).
void remove_cgroups(const ContainerRecord& record, const util::Logger& log) {
    if (record.cgroups.paths.empty()) return;
    auto cgroups = sys::cgroup::load_manager(record.cgroups);
    try {
        if (cgroups->frozen()) cgroups->freeze(false);
        cgroups->kill_all(SIGKILL);
    } catch (const Error& e) {
        log.debug("delete {}: {}", record.id, e.what());
    }
    cgroups->destroy();
}

// `delete --force` of a container whose state.json cannot be read (cut
// short or overwritten on disk): the pid it recorded is lost, but its
// cgroups follow from the config.json create kept beside it, as create
// placed them, and everything in them goes with them. A systemd-style
// cgroupsPath (slice:prefix:name) names the systemd driver's scope.
void remove_unrecorded(const ContainerDir& dir, const Error& why, const util::Logger& log) {
    log.warning(fmt::format("delete {}: {}; removing it from the config.json kept at create", dir.id(), why.what()));
    try {
        oci::Spec spec = oci::load_spec(dir.file("config.json"));
        std::string path = spec.linux && spec.linux->cgroups_path ? *spec.linux->cgroups_path : "";
        bool systemd = path.find(':') != std::string::npos;
        sys::cgroup::SavedCgroups saved = sys::cgroup::make_manager({path, dir.id(), systemd})->saved();
        // Which directories create made is lost with the record: the leaves
        // go, as before that was recorded (and as runc removes them).
        saved.created.reset();
        auto cgroups = sys::cgroup::load_manager(saved);
        if (cgroups->frozen()) cgroups->freeze(false);
        cgroups->kill_all(SIGKILL);
        cgroups->destroy();
    } catch (const Error& e) {
        log.warning(fmt::format("delete {}: {}", dir.id(), e.what()));
    }
}

}  // namespace

Status container_status(const ContainerDir& dir, const ContainerRecord& record) {
    if (!record.setup_done) return sys::process_alive(record.init_pid, record.init_start_time) ? Status::creating
                                                                                                : Status::stopped;
    if (!sys::process_alive(record.init_pid, record.init_start_time)) return Status::stopped;
    // Before the exec fifo: a created container can be paused too (as
    // runc), and must say so, or resume refuses it and start waits on a
    // frozen init.
    if (!record.cgroups.paths.empty() && sys::cgroup::load_manager(record.cgroups)->frozen()) return Status::paused;
    if (dir.has_exec_fifo()) return Status::created;
    return Status::running;
}

namespace {

struct Released {
    ContainerRecord record;
    std::optional<sys::Pidfd> init;  // opened before the release: a short-lived process may be gone at once
    std::optional<NotifyRelay> relay;
};

// runtime.md "Lifecycle" step 9 (runtime-spec 1.3, the version hull
// implements): a failing poststart hook is an error; the runtime stops the
// container and the lifecycle goes on at step 12 (its process has exited),
// so the hooks after it do not run. 1.0.2 to 1.2 made it a warning; poststop
// (step 13) still is one.
void run_poststart_hooks(const ContainerDir& dir, const ContainerRecord& record) {
    oci::Hooks hooks = saved_hooks(dir, record);
    if (hooks.poststart.empty()) return;
    try {
        run_hooks(hooks.poststart, "poststart", state_json(record, Status::running, false));
    } catch (Error& e) {
        if (auto init = open_init(record)) {
            init->send_signal(SIGKILL);
            init->wait_exit(5000);
        }
        e.add_context(fmt::format("container {} stopped", util::quote(record.id)));
        throw;
    }
}

// Holds the container's lock only until it returns.
Released release(const StateRoot& root, const std::string& id, const util::Logger& log,
                 const std::string& notify_socket) {
    ContainerDir dir = root.open(id);
    ContainerRecord record = dir.load();
    Status status = container_status(dir, record);
    if (status != Status::created) {
        throw_error("cannot start a container that is {}: only a created container can start", status_name(status));
    }
    // Bound before the release: the process may notify as soon as it runs.
    std::optional<NotifyRelay> relay;
    std::optional<sys::Pidfd> init;
    if (!notify_socket.empty()) {
        relay = NotifyRelay::open(dir, notify_socket, log);
        init = open_init(record);
    }
    release_init(dir, record);
    run_poststart_hooks(dir, record);
    return Released{std::move(record), std::move(init), std::move(relay)};
}

}  // namespace

std::optional<NotifyRelay> release_container(const StateRoot& root, const std::string& id, const util::Logger& log,
                                             const std::string& notify_socket) {
    return release(root, id, log, notify_socket).relay;
}

void start_container(const StateRoot& root, const std::string& id, const util::Logger& log,
                     const std::string& notify_socket) {
    Released started = release(root, id, log, notify_socket);
    if (!started.relay) return;
    // Waited for without the container's lock: `state` and `kill` must
    // answer meanwhile.
    started.relay->relay_until_ready(started.init ? started.init->fd() : -1, started.record.init_pid, log);
}

std::string container_state_json(const StateRoot& root, const std::string& id) {
    ContainerDir dir = root.open(id);
    ContainerRecord record = dir.load();
    return state_json(record, container_status(dir, record), true);
}

void kill_container(const StateRoot& root, const std::string& id, int signal, bool all) {
    ContainerDir dir = root.open(id);
    ContainerRecord record = dir.load();
    auto init = open_init(record);
    if (!init) {
        // containerd's shim treats this text as "already finished"; --all is 0 then
        // (docs/engines.md "Errors").
        if (all) return;
        throw_error("container not running");
    }
    // Signal 0 delivers nothing (kill(2)): the live init answers the probe,
    // with --all too, without freezing the cgroup to list what is in it.
    if (all && signal != 0 && !record.cgroups.paths.empty()) {
        sys::cgroup::load_manager(record.cgroups)->kill_all(signal);
        return;
    }
    init->send_signal(signal);
}

void delete_container(const StateRoot& root, const std::string& id, bool force, const util::Logger& log) {
    auto dir = root.try_open(id);
    if (!dir) {
        if (force) return;  // `delete --force` of an unknown id exits 0 (docs/engines.md "Errors")
        throw_error("container {} does not exist", util::quote(id));
    }
    std::optional<ContainerRecord> record;
    try {
        record = dir->try_load();
    } catch (const Error& e) {
        if (!force) throw;
        remove_unrecorded(*dir, e, log);
        dir->remove();
        return;
    }
    if (record) {
        Status status = container_status(*dir, *record);
        if (status != Status::stopped && status != Status::created && !force) {
            throw_error("cannot delete container {} that is {}: stop it first or use --force", util::quote(id),
                        status_name(status));
        }
        if (auto init = open_init(*record)) {
            init->send_signal(SIGKILL);
            // A frozen task dies of its SIGKILL only once thawed (cgroup v1).
            if (status == Status::paused) sys::cgroup::load_manager(record->cgroups)->freeze(false);
            init->wait_exit(5000);
        }
        remove_cgroups(*record, log);
    }
    std::optional<oci::Hooks> hooks;
    try {
        if (record) hooks = saved_hooks(*dir, *record);
    } catch (const Error& e) {
        log.debug("delete {}: no saved config: {}", id, e.what());
    }
    dir->remove();
    // runtime.md "Lifecycle" step 13: a failing poststop hook is a warning;
    // the hooks after it run and the delete stands.
    if (hooks && !hooks->poststop.empty()) {
        run_hooks_warning_on_failure(hooks->poststop, "poststop", state_json(*record, Status::stopped, false), log);
    }
}

std::vector<ContainerSummary> list_containers(const StateRoot& root) {
    std::vector<ContainerSummary> out;
    for (const auto& id : root.list_ids()) {
        try {
            auto dir = root.try_open(id);
            if (!dir) continue;
            auto record = dir->try_load();
            if (!record) continue;
            out.push_back(ContainerSummary{*record, container_status(*dir, *record)});
        } catch (const Error&) {
            continue;  // a directory that is not a container's
        }
    }
    return out;
}

}  // namespace hull::core
