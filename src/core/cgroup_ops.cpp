// The commands that act on a running container's cgroups: pause, resume,
// update, ps and the statistics of events.
#include <fmt/format.h>

#include "core/container.hpp"
#include "core/resources_update.hpp"
#include "linux/cgroup/manager.hpp"
#include "oci/runtime/validate.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

std::unique_ptr<sys::cgroup::Manager> cgroups_of(const ContainerRecord& record) {
    if (record.cgroups.paths.empty()) {
        throw_error("container {} has no cgroups (created with --cgroup-manager=disabled)", util::quote(record.id));
    }
    return sys::cgroup::load_manager(record.cgroups);
}

}  // namespace

void pause_container(const StateRoot& root, const std::string& id) {
    ContainerDir dir = root.open(id);
    ContainerRecord record = dir.load();
    Status status = container_status(dir, record);
    // runc pauses running and created containers; anything else is "not running".
    if (status != Status::running && status != Status::created) throw_error("container not running");
    cgroups_of(record)->freeze(true);
}

void resume_container(const StateRoot& root, const std::string& id) {
    ContainerDir dir = root.open(id);
    ContainerRecord record = dir.load();
    if (container_status(dir, record) != Status::paused) throw_error("container not paused");
    cgroups_of(record)->freeze(false);
}

void update_container(const StateRoot& root, const std::string& id, const oci::Resources& changes) {
    ContainerDir dir = root.open(id);
    ContainerRecord record = dir.load();
    if (container_status(dir, record) == Status::stopped) throw_error("cannot update a stopped container");
    oci::Spec spec = oci::load_spec(dir.file("config.json"));
    if (!spec.linux) spec.linux.emplace();
    oci::Resources merged = spec.linux->resources.value_or(oci::Resources{});
    merge_resources(merged, changes);
    oci::validate_resources(merged);
    // The merged set goes to the kernel (memory+swap pairs need both). The
    // device list is applied again as runc's Set does: on v1 only the
    // differences are written (no moment without /dev/null), on v2 the eBPF
    // program is replaced atomically.
    auto cgroups = cgroups_of(record);
    cgroups->set(merged);
    cgroups->set_devices(merged.devices);
    spec.linux->resources = std::move(merged);
    util::write_file_atomic(dir.file("config.json"), oci::spec_to_json(spec, false), 0600);
}

std::vector<pid_t> container_pids(const StateRoot& root, const std::string& id) {
    ContainerDir dir = root.open(id);
    ContainerRecord record = dir.load();
    return cgroups_of(record)->pids();
}

}  // namespace hull::core
