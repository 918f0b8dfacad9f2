// The container lifecycle as the commands use it (runtime.md "Operations").
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/notify_socket.hpp"
#include "core/state_store.hpp"
#include "oci/runtime/spec.hpp"
#include "util/log.hpp"
#include "util/unique_fd.hpp"

namespace hull::core {

enum class Status { creating, created, running, paused, stopped };
std::string_view status_name(Status status);

struct CreateOptions {
    std::string id;
    std::string bundle = ".";
    std::string console_socket;
    std::string pid_file;
    bool no_pivot = false;
    bool no_new_keyring = false;
    int preserve_fds = 0;
    bool systemd_cgroup = false;    // --systemd-cgroup: cgroupsPath is slice:prefix:name
    bool cgroups_disabled = false;  // --cgroup-manager=disabled
    // --rootless (true, or auto for a non-root caller): cgroups that cannot be
    // made for lack of permission are skipped when no resources are asked for.
    bool rootless = false;
    // The caller's NOTIFY_SOCKET (notify_socket.hpp); empty: none.
    std::string notify_socket;
    // `run` in the foreground takes the pty master itself instead of a socket.
    std::function<void(UniqueFd master)> console_handler;
};

struct CreatedContainer {
    pid_t pid = -1;
    UniqueFd pidfd;  // valid when the caller is init's parent (create in this process)
};

CreatedContainer create_container(const StateRoot& root, const CreateOptions& options, const util::Logger& log);
// Releases the init and runs the poststart hooks. With notify_socket (the
// caller's NOTIFY_SOCKET) and a container created with one, then relays its
// notifications until READY=1 or its exit, as runc's `start` does.
void start_container(const StateRoot& root, const std::string& id, const util::Logger& log,
                     const std::string& notify_socket = {});
// start_container's first half, for `run` in the foreground: the relay is
// returned still waiting for READY=1, for the caller to drive with its own
// pid as MAINPID.
std::optional<NotifyRelay> release_container(const StateRoot& root, const std::string& id, const util::Logger& log,
                                             const std::string& notify_socket);
// runc's state JSON.
std::string container_state_json(const StateRoot& root, const std::string& id);
void kill_container(const StateRoot& root, const std::string& id, int signal, bool all);
void delete_container(const StateRoot& root, const std::string& id, bool force, const util::Logger& log);

// cgroup_ops.cpp
void pause_container(const StateRoot& root, const std::string& id);
void resume_container(const StateRoot& root, const std::string& id);
// Merges changes into the container's resources (zero = unchanged) and applies them.
void update_container(const StateRoot& root, const std::string& id, const oci::Resources& changes);
std::vector<pid_t> container_pids(const StateRoot& root, const std::string& id);

// events.cpp
struct EventsOptions {
    bool stats_only = false;                   // --stats: one stats line, then return
    std::chrono::milliseconds interval{5000};  // --interval
};
// Calls emit with one JSON line per event until the container stops.
void watch_events(const StateRoot& root, const std::string& id, const EventsOptions& options,
                  const std::function<void(const std::string&)>& emit);

struct ContainerSummary {
    ContainerRecord record;
    Status status;
};
std::vector<ContainerSummary> list_containers(const StateRoot& root);

// The status of a container from its record, checking the init process by
// pid and start time (a reused pid is not our init).
Status container_status(const ContainerDir& dir, const ContainerRecord& record);

}  // namespace hull::core
