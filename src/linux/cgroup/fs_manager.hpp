// The cgroupfs driver: directories under the host's cgroup mounts, one per
// hierarchy (every v1 hierarchy, plus the v2 one on hybrid and unified
// hosts), as runc's fs and fs2 managers. On a hybrid host a controller is
// driven where the host has it: v1 when a v1 hierarchy carries it, else
// the v2 hierarchy (hugetlb on the project's own machines).
#pragma once

#include "linux/cgroup/layout.hpp"
#include "linux/cgroup/manager.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys::cgroup {

class FsManager final : public Manager {
public:
    explicit FsManager(SavedCgroups saved) : saved_(std::move(saved)) {}
    // The directories for a new container on this host.
    static SavedCgroups plan(const Placement& placement, const HostCgroups& host);

    void prepare() override;
    int clone_fd() const override { return v2_fd_.get(); }
    void enter(pid_t pid) override;
    void set(const oci::Resources& r) override;
    void set_devices(const std::vector<oci::DeviceRule>& rules) override;
    void freeze(bool frozen) override;
    bool frozen() const override;
    std::vector<pid_t> pids() const override;
    void kill_all(int signal) override;
    Stats stats() const override;
    void destroy() override;
    SavedCgroups saved() const override { return saved_; }

private:
    const std::string* v2_dir() const;
    // The v1 directory whose hierarchy carries controller, or nullptr.
    const std::string* v1_dir(std::string_view controller) const;
    // The v2 directory if controller is usable there (enabling it in the
    // ancestors' cgroup.subtree_control on demand), or nullptr.
    const std::string* v2_dir_with(std::string_view controller) const;
    void make_planned_directories();
    void refuse_frozen() const;
    void apply_writes(const std::string& dir, const std::vector<struct FileWrite>& writes) const;
    void check_before_update(const oci::Resources& r) const;

    SavedCgroups saved_;
    UniqueFd v2_fd_;
};

}  // namespace hull::sys::cgroup
