// The systemd driver (--systemd-cgroup): the container's init goes into a
// transient scope that systemd creates (StartTransientUnit), limits are
// sent as unit properties, and everything else — the files systemd does not
// own, freezing, listing, statistics — is the cgroupfs manager's work on
// the scope's directories, as runc's systemd managers do. destroy() stops
// the scope before removing its directories (systemd_scope.hpp says why).
#pragma once

#include <optional>

#include "linux/cgroup/fs_manager.hpp"
#include "linux/cgroup/sd_bus.hpp"
#include "linux/cgroup/systemd_path.hpp"
#include "linux/cgroup/systemd_properties.hpp"

namespace hull::sys::cgroup {

class SystemdManager final : public Manager {
public:
    // A new container's scope (path) and where it will sit in each hierarchy.
    SystemdManager(SystemdPath path, const HostCgroups& host);
    // An existing container's, from state.json.
    explicit SystemdManager(SavedCgroups saved);

    void prepare() override {}
    void enter(pid_t pid) override;
    void set(const oci::Resources& r) override;
    void set_devices(const std::vector<oci::DeviceRule>& rules) override;
    void freeze(bool frozen) override { fs_.freeze(frozen); }
    bool frozen() const override { return fs_.frozen(); }
    std::vector<pid_t> pids() const override { return fs_.pids(); }
    void kill_all(int signal) override { fs_.kill_all(signal); }
    Stats stats() const override { return fs_.stats(); }
    void destroy() override;
    SavedCgroups saved() const override;

private:
    Bus& bus();
    SystemdHost host_info();

    std::optional<SystemdPath> path_;  // only for a container being created
    std::string unit_;
    bool unified_ = false;
    FsManager fs_;
    std::optional<Bus> bus_;
};

}  // namespace hull::sys::cgroup
