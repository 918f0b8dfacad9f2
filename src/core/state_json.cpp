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

std::string state_json(const ContainerRecord& record, Status status, bool pretty) {
    // Field order and names as runc's `state` (ENGINES.md): pid is 0 once stopped.
    oci::json::Writer w(oci::json::WriteOptions{pretty});
    w.begin_object();
    w.key("ociVersion").string("1.3.0");
    w.key("id").string(record.id);
    w.key("pid").integer(status == Status::stopped ? 0 : record.init_pid);
    w.key("status").string(status_name(status));
    w.key("bundle").string(record.bundle);
    w.key("rootfs").string(record.rootfs);
    w.key("created").string(record.created);
    w.key("owner").string("");
    if (!record.annotations.empty()) w.key("annotations").begin_object().members(record.annotations).end_object();
    w.end_object();
    std::string out = w.str();
    if (pretty && !out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace hull::core
