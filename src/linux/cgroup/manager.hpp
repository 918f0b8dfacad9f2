// cgroups behind one interface (docs/process-model.md "cgroups"): the
// cgroupfs driver (every v1 hierarchy, the hybrid layout where a v2
// hierarchy sits beside them, and pure cgroup v2) and the systemd driver
// (a transient scope). `create` drives a Manager through
//   make_manager -> saved() into state.json (before any directory exists,
//   so `delete --force` after a killed create finds them) -> prepare() ->
//   clone (into clone_fd() on a unified host) -> enter(pid) ->
//   set(resources) -> set_devices(devices)
// Later commands rebuild it with load_manager from the SavedCgroups in
// state.json, never from config.json.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "linux/cgroup/stats.hpp"
#include "oci/runtime/spec.hpp"

namespace hull::sys::cgroup {

// What a container's cgroups are, as saved in state.json: the driver and,
// per hierarchy, the absolute directory on the host. Keys are the v1
// hierarchy names as mounted under /sys/fs/cgroup ("cpu,cpuacct",
// "memory", "name=systemd", ...) and "" for the v2 hierarchy (unified or
// hybrid).
struct SavedCgroups {
    std::string driver;  // "cgroupfs" or "systemd"
    std::map<std::string, std::string> paths;
    // The systemd driver's unit: PREFIX-NAME.scope from "slice:prefix:name"
    // (hull-ID.scope by default), or NAME when it is a slice; empty with cgroupfs.
    std::string systemd_unit;
    // The directories create makes (cgroupfs driver), each hierarchy's
    // parents before their children: destroy removes these and nothing
    // else, so the parents of a cgroupsPath of several components go too,
    // and a cgroup that existed before the container stays. Planned before
    // they exist, so a killed create can be cleaned up. nullopt (systemd's
    // scope, a record of an older hull): each leaf is removed, as runc does.
    std::optional<std::vector<std::string>> created;
    bool operator==(const SavedCgroups&) const = default;
};

// Where to put a container: linux.cgroupsPath as given, the container id
// (for the default path) and whether --systemd-cgroup was given.
struct Placement {
    std::string cgroups_path;
    std::string container_id;
    bool systemd = false;
};

class Manager {
public:
    virtual ~Manager() = default;
    Manager() = default;
    Manager(const Manager&) = delete;
    Manager& operator=(const Manager&) = delete;

    // Creates the directories in every hierarchy and refuses a frozen
    // cgroup, which the init could not leave; before the init is cloned.
    // The systemd driver makes none here: they come with its scope, in enter().
    virtual void prepare() = 0;
    // A directory fd for clone3's CLONE_INTO_CGROUP, or -1: only the cgroupfs
    // driver on a unified host, where the v2 directory is the only one.
    virtual int clone_fd() const { return -1; }
    // Moves pid into every hierarchy (the systemd driver first starts its
    // scope with pid in it, then makes the directories systemd does not).
    virtual void enter(pid_t pid) = 0;
    // Applies linux.resources but the device list: only the fields r sets
    // are written, the others stay as they are. `update` passes the config's
    // resources merged with its changes (core/resources_update.hpp).
    virtual void set(const oci::Resources& r) = 0;
    // Applies linux.resources.devices, runc's default devices appended: at
    // create and again at every update (v1: only the differences are
    // written; v2: the eBPF program is replaced atomically).
    virtual void set_devices(const std::vector<oci::DeviceRule>& rules) = 0;
    // Freezes or thaws and waits until the kernel reports the new state.
    virtual void freeze(bool frozen) = 0;
    virtual bool frozen() const = 0;
    // Every process in the container's cgroups (recursively).
    virtual std::vector<pid_t> pids() const = 0;
    // Signals every process: SIGKILL through cgroup.kill where the v2
    // directory has it, else pid by pid with the cgroup frozen meanwhile (when
    // there is a freezer), so nothing forks between listing and signalling.
    virtual void kill_all(int signal) = 0;
    virtual Stats stats() const = 0;
    // Removes the cgroups in every hierarchy, sub-cgroups first; what still
    // runs there must be killed first. The systemd driver stops its scope first.
    virtual void destroy() = 0;
    virtual SavedCgroups saved() const = 0;
};

// The manager for a new container.
std::unique_ptr<Manager> make_manager(const Placement& placement);
// The manager of an existing container, from what create saved.
std::unique_ptr<Manager> load_manager(const SavedCgroups& saved);

}  // namespace hull::sys::cgroup
