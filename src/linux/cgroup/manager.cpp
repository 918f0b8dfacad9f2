#include "linux/cgroup/manager.hpp"

#include "linux/cgroup/fs_manager.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {

std::unique_ptr<Manager> make_manager(const Placement& placement) {
    if (placement.systemd) throw_error("--systemd-cgroup: the systemd cgroup driver is not available yet");
    return std::make_unique<FsManager>(FsManager::plan(placement, detect_host_cgroups()));
}

std::unique_ptr<Manager> load_manager(const SavedCgroups& saved) {
    if (saved.driver == "cgroupfs" || saved.driver.empty()) return std::make_unique<FsManager>(saved);
    throw_error("unknown cgroup driver {} in the container's state", util::quote(saved.driver));
}

}  // namespace hull::sys::cgroup
