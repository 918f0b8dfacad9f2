#include "oci/runtime/state.hpp"

#include "oci/runtime/fields.hpp"

namespace hull::oci {

using namespace fields;

State parse_state(const json::Value& doc) {
    ObjectReader o(Reader(doc, ""));
    State s;
    s.oci_version = o.required("ociVersion").string();
    s.id = o.required("id").string();
    s.status = o.required("status").string();
    if (auto pid = o.optional("pid")) {
        // The schema's "minimum": 0; a pid_t is an int.
        auto v = pid->integer<std::int32_t>();
        if (v < 0) pid->fail_expected("a non-negative integer");
        s.pid = v;
    }
    s.bundle = o.required("bundle").string();
    s.rootfs = opt_string(o, "rootfs");
    s.created = opt_string(o, "created");
    if (auto a = o.optional("annotations")) s.annotations = string_members(*a);
    s.owner = opt_string(o, "owner");
    s.extra = o.rest();
    return s;
}

void write_state(Writer& w, const State& s) {
    // runc's field order: ociVersion, id, pid, status, bundle, rootfs, created, annotations, owner.
    w.begin_object();
    w.key("ociVersion").string(s.oci_version);
    w.key("id").string(s.id);
    put_int(w, "pid", s.pid);
    w.key("status").string(s.status);
    w.key("bundle").string(s.bundle);
    put(w, "rootfs", s.rootfs);
    put(w, "created", s.created);
    if (!s.annotations.empty()) w.key("annotations").begin_object().members(s.annotations).end_object();
    put(w, "owner", s.owner);
    w.members(s.extra).end_object();
}

std::string state_to_json(const State& state) {
    Writer w(json::WriteOptions{true});
    write_state(w, state);
    std::string out = w.str();
    while (!out.empty() && out.back() == '\n') out.pop_back();  // MarshalIndent adds none
    return out;
}

}  // namespace hull::oci
