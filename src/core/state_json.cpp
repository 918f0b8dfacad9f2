#include "core/state_json.hpp"

#include "oci/json.hpp"

namespace hull::core {

std::string_view status_name(Status status) {
    switch (status) {
        case Status::creating: return "creating";
        case Status::created: return "created";
        case Status::running: return "running";
        case Status::paused: return "paused";
        case Status::stopped: return "stopped";
    }
    return "unknown";
}

oci::State to_oci_state(const ContainerRecord& record, Status status, std::string owner) {
    oci::State state;
    state.oci_version = "1.3.0";
    state.id = record.id;
    state.status = std::string(status_name(status));
    state.pid = status == Status::stopped ? 0 : record.init_pid;  // runc: 0 once stopped
    state.bundle = record.bundle;
    state.rootfs = record.rootfs;
    state.created = record.created;
    state.annotations = record.annotations;
    state.owner = std::move(owner);
    return state;
}

std::string state_json(const ContainerRecord& record, Status status, bool pretty) {
    oci::State state = to_oci_state(record, status);
    if (pretty) return oci::state_to_json(state);
    oci::json::Writer w;
    oci::write_state(w, state);
    return w.str();
}

}  // namespace hull::core
