// cgroups behind one interface (DESIGN.md "cgroups"): cgroupfs v1 (and the
// hybrid layout, where a v2 hierarchy sits beside the v1 controllers), pure
// cgroup v2, and systemd transient scopes. `create` drives a Manager through
//   prepare() -> clone (into clone_fd() on v2) -> enter(pid) -> set(resources)
// and saves state() in state.json; later commands rebuild the Manager from
// that saved state with load_manager, never from config.json.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
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
    std::string systemd_unit;  // "hull-ID.scope" with the systemd driver
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

    // Creates the directories (cgroupfs). Before the init is cloned.
    virtual void prepare() = 0;
    // A directory fd for clone3's CLONE_INTO_CGROUP (v2), or -1.
    virtual int clone_fd() const { return -1; }
    // Moves pid into every hierarchy (the systemd driver starts its scope here).
    virtual void enter(pid_t pid) = 0;
    // Applies linux.resources but the device list; on `update`, fields
    // absent from r are unchanged.
    virtual void set(const oci::Resources& r) = 0;
    // Applies linux.resources.devices (with runc's default devices), once, at create.
    virtual void set_devices(const std::vector<oci::DeviceRule>& rules) = 0;
    // Freezes or thaws and waits until the kernel reports the new state.
    virtual void freeze(bool frozen) = 0;
    virtual bool frozen() const = 0;
    // Every process in the container's cgroups (recursively).
    virtual std::vector<pid_t> pids() const = 0;
    // Signals every process (cgroup.kill for SIGKILL on v2 kernels that have it).
    virtual void kill_all(int signal) = 0;
    virtual Stats stats() const = 0;
    // Removes the cgroups; what is still running there must be killed first.
    virtual void destroy() = 0;
    virtual SavedCgroups saved() const = 0;
};

// The manager for a new container.
std::unique_ptr<Manager> make_manager(const Placement& placement);
// The manager of an existing container, from what create saved.
std::unique_ptr<Manager> load_manager(const SavedCgroups& saved);

}  // namespace hull::sys::cgroup
