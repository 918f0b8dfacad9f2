#include "linux/cgroup/manager.hpp"

#include "linux/cgroup/fs_manager.hpp"
#include "linux/cgroup/systemd_manager.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {

std::unique_ptr<Manager> make_manager(const Placement& placement) {
    HostCgroups host = detect_host_cgroups();
    if (placement.systemd) {
        return std::make_unique<SystemdManager>(parse_systemd_path(placement.cgroups_path, placement.container_id),
                                                host);
    }
    return std::make_unique<FsManager>(FsManager::plan(placement, host));
}

std::unique_ptr<Manager> load_manager(const SavedCgroups& saved) {
    if (saved.driver == "cgroupfs" || saved.driver.empty()) return std::make_unique<FsManager>(saved);
    if (saved.driver == "systemd") return std::make_unique<SystemdManager>(saved);
    throw_error("unknown cgroup driver {} in the container's state", util::quote(saved.driver));
}

}  // namespace hull::sys::cgroup
