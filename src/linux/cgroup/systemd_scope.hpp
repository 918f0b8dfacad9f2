// The org.freedesktop.systemd1 calls of the systemd cgroup driver: start a
// transient scope holding the container's init, change its properties on
// `update`, find its cgroup, and stop it on delete. systemd does not always
// notice that a scope has emptied (the runtime removes the cgroup right
// after the last process dies, and systemd may read cgroup.events too
// late), so, as runc's Destroy does, the scope is stopped — once the
// runtime has killed everything in it — and a failed one reset.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "linux/cgroup/sd_bus.hpp"
#include "linux/cgroup/systemd_properties.hpp"

namespace hull::sys::cgroup {

// runc waits this long for a job; callers may pass their own.
inline constexpr std::chrono::seconds kSystemdTimeout{30};

// systemd's version as a number, from the Version property ("252.38-1~deb12u1",
// "v245.4-1.fc32" → 252, 245); -1 when it does not start with one.
int parse_systemd_version(std::string_view version);
// The running manager's version (Manager.Version), -1 if unreadable.
int systemd_version(Bus& bus, std::chrono::microseconds timeout);

// StartTransientUnit(unit, "replace", properties) and wait for its job to
// finish (the JobRemoved signal of that job), all within timeout. A unit of
// that name left failed by an earlier container is reset and the start
// retried once; an existing slice is fine (kubelet makes pod slices so).
// Throws with the job's result ("failed", "timeout", ...) otherwise.
void start_transient_unit(Bus& bus, const std::string& unit, const std::vector<UnitProperty>& properties,
                          std::chrono::microseconds timeout);

// SetUnitProperties(unit, runtime=true, properties): for `update`. runtime
// keeps the change out of /etc: it lasts as long as the unit.
void set_unit_properties(Bus& bus, const std::string& unit, const std::vector<UnitProperty>& properties,
                         std::chrono::microseconds timeout);

// StopUnit(unit, "replace"), waiting for its job, then ResetFailedUnit, as
// runc's Destroy: called only after the container's processes are dead, so
// it kills nothing. A unit systemd no longer knows is already gone.
void stop_unit(Bus& bus, const std::string& unit, std::chrono::microseconds timeout);

// The unit's cgroup below the hierarchy root, as systemd reports it (its
// ControlGroup property): "/system.slice/hull-ID.scope".
std::string unit_control_group(Bus& bus, const std::string& unit, std::chrono::microseconds timeout);

}  // namespace hull::sys::cgroup
