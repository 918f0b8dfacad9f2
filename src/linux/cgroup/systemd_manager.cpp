#include "linux/cgroup/systemd_manager.hpp"

#include "linux/cgroup/device_rules.hpp"
#include "linux/cgroup/systemd_scope.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace hull::sys::cgroup {
namespace {

constexpr std::chrono::microseconds kCallTimeout = kSystemdTimeout;

SavedCgroups scope_paths(const SystemdPath& path, const HostCgroups& host) {
    SavedCgroups saved;
    saved.driver = "systemd";
    saved.systemd_unit = path.unit;
    for (const auto& h : host.hierarchies) saved.paths[h.v2 ? "" : h.name] = h.mount_point + path.cgroup;
    return saved;
}

// runc writes the quota systemd will have rounded it to, so that the
// cgroupfs file and the unit agree.
oci::Resources with_systemd_quota(oci::Resources r) {
    if (r.cpu && r.cpu->quota && *r.cpu->quota > 0) {
        r.cpu->quota = systemd_cpu_quota(*r.cpu->quota, r.cpu->period.value_or(0)).quota;
    }
    return r;
}

}  // namespace

SystemdManager::SystemdManager(SystemdPath path, const HostCgroups& host)
    : path_(std::move(path)), unit_(path_->unit), unified_(host.layout == Layout::unified),
      fs_(scope_paths(*path_, host)) {}

SystemdManager::SystemdManager(SavedCgroups saved)
    : unit_(saved.systemd_unit), unified_(saved.paths.size() == 1 && saved.paths.count("") == 1), fs_([&] {
          saved.driver = "cgroupfs";
          return saved;
      }()) {}

Bus& SystemdManager::bus() {
    if (!bus_) bus_.emplace(Bus::system(kCallTimeout));
    return *bus_;
}

SystemdHost SystemdManager::host_info() {
    SystemdHost host;
    host.cgroup_v2 = unified_;
    host.version = systemd_version(bus(), kCallTimeout);
    // Old systemd takes device rules by name only: "char-pts" from /proc/devices.
    if (host.version >= 0 && host.version < 240) host.proc_devices = util::read_file("/proc/devices", 1 << 20);
    return host;
}

void SystemdManager::enter(pid_t pid) {
    if (!path_) throw_error("internal: the systemd scope of an existing container cannot be started again");
    start_transient_unit(bus(), unit_, scope_properties(*path_, pid, oci::Resources{}, host_info()), kCallTimeout);
    // systemd made the scope in the hierarchies it manages; the others
    // (cpuset, blkio, ... on v1) are the cgroupfs manager's.
    fs_.prepare();
    fs_.enter(pid);
}

void SystemdManager::set(const oci::Resources& r) {
    auto properties = resource_properties(r, host_info());
    if (!properties.empty()) set_unit_properties(bus(), unit_, properties, kCallTimeout);
    fs_.set(with_systemd_quota(r));
}

void SystemdManager::set_devices(const std::vector<oci::DeviceRule>& rules) {
    fs_.set_devices(rules);
    // On v1 a reload of the unit would otherwise write "a" to devices.allow
    // and open every device: systemd must know the same list.
    if (!unified_) {
        auto properties = device_properties(container_device_policy(rules), host_info());
        if (!properties.empty()) set_unit_properties(bus(), unit_, properties, kCallTimeout);
    }
}

// Only a scope is stopped: a slice may be shared (kubelet's pod slices
// hold other containers too).
void SystemdManager::destroy() {
    std::string stop_error;
    if (unit_.ends_with(".scope")) {
        try {
            stop_unit(bus(), unit_, kCallTimeout);
        } catch (const Error& e) {
            stop_error = e.what();
        }
    }
    fs_.destroy();
    if (!stop_error.empty()) throw_error("the cgroups are removed, but not unit {}: {}", unit_, stop_error);
}

SavedCgroups SystemdManager::saved() const {
    SavedCgroups saved = fs_.saved();
    saved.driver = "systemd";
    saved.systemd_unit = unit_;
    return saved;
}

}  // namespace hull::sys::cgroup
