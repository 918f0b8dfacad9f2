// Spec → config.json, field order as config.md; unknown members written back.
#include "oci/runtime/fields.hpp"
#include "oci/runtime/spec.hpp"
#include "oci/runtime/spec_io.hpp"

namespace hull::oci {

using namespace fields;

void detail::write_id_mapping(Writer& w, const IdMapping& m) {
    w.begin_object();
    w.key("containerID").unsigned_integer(m.container_id);
    w.key("hostID").unsigned_integer(m.host_id);
    w.key("size").unsigned_integer(m.size);
    w.members(m.extra).end_object();
}

namespace {

using detail::write_id_mapping;

void write_mount(Writer& w, const Mount& m) {
    w.begin_object();
    w.key("destination").string(m.destination);
    put(w, "type", m.type);
    put(w, "source", m.source);
    put(w, "options", m.options);
    put_array(w, "uidMappings", m.uid_mappings, write_id_mapping);
    put_array(w, "gidMappings", m.gid_mappings, write_id_mapping);
    w.members(m.extra).end_object();
}

void write_user(Writer& w, const User& u) {
    w.begin_object();
    w.key("uid").unsigned_integer(u.uid);
    w.key("gid").unsigned_integer(u.gid);
    put_int(w, "umask", u.umask);
    if (!u.additional_gids.empty()) {
        w.key("additionalGids").begin_array();
        for (auto g : u.additional_gids) w.unsigned_integer(g);
        w.end_array();
    }
    put(w, "username", u.username);
    w.members(u.extra).end_object();
}

void write_capabilities(Writer& w, const Capabilities& c) {
    w.begin_object();
    put(w, "bounding", c.bounding);
    put(w, "effective", c.effective);
    put(w, "inheritable", c.inheritable);
    put(w, "permitted", c.permitted);
    put(w, "ambient", c.ambient);
    w.members(c.extra).end_object();
}

void write_rlimit(Writer& w, const Rlimit& r) {
    w.begin_object();
    w.key("type").string(r.type);
    w.key("soft").unsigned_integer(r.soft);
    w.key("hard").unsigned_integer(r.hard);
    w.members(r.extra).end_object();
}

void write_scheduler(Writer& w, const Scheduler& s) {
    w.begin_object();
    w.key("policy").string(s.policy);
    put_int(w, "nice", s.nice);
    put_int(w, "priority", s.priority);
    put(w, "flags", s.flags);
    put_int(w, "runtime", s.runtime);
    put_int(w, "deadline", s.deadline);
    put_int(w, "period", s.period);
    w.members(s.extra).end_object();
}

void write_process(Writer& w, const Process& p) {
    w.begin_object();
    put(w, "terminal", p.terminal);
    put_object(w, "consoleSize", p.console_size, [](Writer& ww, const ConsoleSize& c) {
        ww.begin_object().key("height").unsigned_integer(c.height).key("width").unsigned_integer(c.width);
        ww.members(c.extra).end_object();
    });
    w.key("user");
    write_user(w, p.user);
    put_nonempty(w, "args", p.args);
    put(w, "commandLine", p.command_line);
    put_nonempty(w, "env", p.env);
    w.key("cwd").string(p.cwd);
    put_object(w, "capabilities", p.capabilities, write_capabilities);
    put_array(w, "rlimits", p.rlimits, write_rlimit);
    put(w, "apparmorProfile", p.apparmor_profile);
    put(w, "selinuxLabel", p.selinux_label);
    put(w, "noNewPrivileges", p.no_new_privileges);
    put_int(w, "oomScoreAdj", p.oom_score_adj);
    put_object(w, "scheduler", p.scheduler, write_scheduler);
    put_object(w, "ioPriority", p.io_priority, [](Writer& ww, const IoPriority& io) {
        ww.begin_object().key("class").string(io.io_class).key("priority").integer(io.priority);
        ww.members(io.extra).end_object();
    });
    put_object(w, "execCPUAffinity", p.exec_cpu_affinity, [](Writer& ww, const ExecCpuAffinity& a) {
        ww.begin_object();
        put(ww, "initial", a.initial);
        put(ww, "final", a.final_);
        ww.members(a.extra).end_object();
    });
    w.members(p.extra).end_object();
}

void write_hook(Writer& w, const Hook& h) {
    w.begin_object();
    w.key("path").string(h.path);
    put(w, "args", h.args);
    put(w, "env", h.env);
    put_int(w, "timeout", h.timeout);
    w.members(h.extra).end_object();
}

}  // namespace

void write_hooks(Writer& w, const Hooks& h) {
    w.begin_object();
    put_array(w, "prestart", h.prestart, write_hook);
    put_array(w, "createRuntime", h.create_runtime, write_hook);
    put_array(w, "createContainer", h.create_container, write_hook);
    put_array(w, "startContainer", h.start_container, write_hook);
    put_array(w, "poststart", h.poststart, write_hook);
    put_array(w, "poststop", h.poststop, write_hook);
    w.members(h.extra).end_object();
}

void write_spec(Writer& w, const Spec& s) {
    w.begin_object();
    w.key("ociVersion").string(s.oci_version);
    put_object(w, "root", s.root, [](Writer& ww, const Root& r) {
        ww.begin_object().key("path").string(r.path);
        put(ww, "readonly", r.readonly);
        ww.members(r.extra).end_object();
    });
    put_array(w, "mounts", s.mounts, write_mount);
    put_object(w, "process", s.process, write_process);
    put(w, "hostname", s.hostname);
    put(w, "domainname", s.domainname);
    put_object(w, "hooks", s.hooks, write_hooks);
    if (!s.annotations.empty()) w.key("annotations").begin_object().members(s.annotations).end_object();
    put_object(w, "linux", s.linux, detail::write_linux);
    w.members(s.extra).end_object();
}

std::string spec_to_json(const Spec& spec, bool pretty) {
    Writer w(json::WriteOptions{pretty});
    write_spec(w, spec);
    return w.str();
}

}  // namespace hull::oci
