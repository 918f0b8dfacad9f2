// The state root (--root, default /run/hull, made 0700 with its parents when
// missing; docs/process-model.md "The state root"): one directory per
// container, named by its id, mode 0700, holding
//   state.json   the ContainerRecord, written atomically (state.json.tmp,
//                fsync, rename into place)
//   config.json  the config.json text create parsed; exec and update read
//                it, update writes it back with the merged resources
//   exec.fifo    from create until `start` released the init: while it is
//                there (and the init lives) the container is "created"
//   notify/      with --notify-socket only: the socket bound into the
//                container at /run/notify (notify_socket.hpp)
// Beside the containers' directories, `.seccomp:cache/` (no valid id can
// name it) holds the compiled seccomp filters (linux/seccomp/cache.hpp).
// A lock (flock on the container directory, held as long as its ContainerDir
// lives) serialises commands on one id.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "linux/cgroup/manager.hpp"
#include "oci/json.hpp"
#include "oci/runtime/spec.hpp"
#include "util/unique_fd.hpp"

namespace hull::core {

// What hull remembers about a container between commands.
struct ContainerRecord {
    std::string id;
    std::string bundle;
    std::string rootfs;
    std::string created;   // RFC 3339 with nanoseconds
    std::uint32_t owner = 0;
    pid_t init_pid = 0;                 // 0 until the init is cloned
    std::uint64_t init_start_time = 0;  // with the pid, survives pid reuse
    bool setup_done = false;            // set once the init is ready; false after a killed create
    bool no_new_keyring = false;        // created with --no-new-keyring: exec joins no keyring either
    oci::json::Object annotations;
    // No paths: the container has no cgroups (--cgroup-manager disabled, or a
    // rootless create that could not make them and was asked for no limits).
    sys::cgroup::SavedCgroups cgroups;
    // The poststart and poststop hooks, kept here so that start and delete
    // need not parse config.json (tens of KB with a seccomp profile).
    // nullopt in the records of hulls before it: config.json has them then.
    std::optional<oci::Hooks> hooks;
};

std::string record_to_json(const ContainerRecord& record);
ContainerRecord record_from_json(std::string_view text, const std::string& name);

// Refuses ids that could escape the root or confuse engines (runc's rule:
// letters, digits, '_', '+', '-', '.', not "." or "..").
void validate_container_id(std::string_view id);

class ContainerDir;

class StateRoot {
public:
    explicit StateRoot(std::string path) : path_(std::move(path)) {}
    const std::string& path() const noexcept { return path_; }

    // Creates the root (0700) if missing.
    void ensure_exists() const;
    // Sorted names of the root's directories: the containers' ids, and
    // `.seccomp:cache`, which open() refuses as an id (list skips it).
    std::vector<std::string> list_ids() const;
    // Creates and locks a new container directory; fails if the id exists.
    ContainerDir create(const std::string& id) const;
    // Opens and locks an existing container; "container \"x\" does not exist" otherwise.
    ContainerDir open(const std::string& id) const;
    // As open, but nullopt when there is no such container.
    std::optional<ContainerDir> try_open(const std::string& id) const;

private:
    std::string path_;
};

// An open, locked container directory. The lock is released on destruction.
class ContainerDir {
public:
    ContainerDir(std::string id, std::string path, UniqueFd dir_fd)
        : id_(std::move(id)), path_(std::move(path)), dir_fd_(std::move(dir_fd)) {}

    const std::string& id() const noexcept { return id_; }
    const std::string& path() const noexcept { return path_; }
    int fd() const noexcept { return dir_fd_.get(); }
    std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

    ContainerRecord load() const;
    // nullopt when create was killed before it wrote state.json.
    std::optional<ContainerRecord> try_load() const;
    void save(const ContainerRecord& record) const;
    bool has_exec_fifo() const;
    // Removes the directory and everything in it; the lock goes with it.
    void remove();

private:
    std::string id_;
    std::string path_;
    UniqueFd dir_fd_;
};

}  // namespace hull::core
