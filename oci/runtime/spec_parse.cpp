// config.json → Spec. Each parse_X reads the fields of one object, in the
// order config.md lists them, and keeps the rest in `extra`.
#include <fmt/format.h>

#include "oci/runtime/fields.hpp"
#include "oci/runtime/spec.hpp"
#include "oci/runtime/spec_io.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace hull::oci {

using namespace fields;

IdMapping detail::parse_id_mapping(const Reader& r) {
    ObjectReader o(r);
    IdMapping m;
    m.container_id = o.required("containerID").integer<std::uint32_t>();
    m.host_id = o.required("hostID").integer<std::uint32_t>();
    m.size = o.required("size").integer<std::uint32_t>();
    m.extra = o.rest();
    return m;
}

namespace {

using detail::parse_id_mapping;

Root parse_root(const Reader& r) {
    ObjectReader o(r);
    Root root;
    root.path = o.required("path").string();
    root.readonly = opt_bool(o, "readonly");
    root.extra = o.rest();
    return root;
}

Mount parse_mount(const Reader& r) {
    ObjectReader o(r);
    Mount m;
    m.destination = o.required("destination").string();
    m.type = opt_string(o, "type");
    m.source = opt_string(o, "source");
    m.options = opt_strings(o, "options");
    m.uid_mappings = array<IdMapping>(o, "uidMappings", parse_id_mapping);
    m.gid_mappings = array<IdMapping>(o, "gidMappings", parse_id_mapping);
    m.extra = o.rest();
    return m;
}

ConsoleSize parse_console_size(const Reader& r) {
    ObjectReader o(r);
    ConsoleSize c;
    c.height = o.required("height").integer<std::uint32_t>();
    c.width = o.required("width").integer<std::uint32_t>();
    c.extra = o.rest();
    return c;
}

User parse_user(const Reader& r) {
    ObjectReader o(r);
    User u;
    u.uid = o.required("uid").integer<std::uint32_t>();
    u.gid = o.required("gid").integer<std::uint32_t>();
    u.umask = opt_int<std::uint32_t>(o, "umask");
    u.additional_gids = array<std::uint32_t>(o, "additionalGids", [](const Reader& g) {
        return g.integer<std::uint32_t>();
    });
    u.username = opt_string(o, "username");
    u.extra = o.rest();
    return u;
}

Capabilities parse_capabilities(const Reader& r) {
    ObjectReader o(r);
    Capabilities c;
    c.bounding = opt_strings(o, "bounding");
    c.effective = opt_strings(o, "effective");
    c.inheritable = opt_strings(o, "inheritable");
    c.permitted = opt_strings(o, "permitted");
    c.ambient = opt_strings(o, "ambient");
    c.extra = o.rest();
    return c;
}

Rlimit parse_rlimit(const Reader& r) {
    ObjectReader o(r);
    Rlimit l;
    l.type = o.required("type").string();
    l.soft = o.required("soft").u64();
    l.hard = o.required("hard").u64();
    l.extra = o.rest();
    return l;
}

Scheduler parse_scheduler(const Reader& r) {
    ObjectReader o(r);
    Scheduler s;
    s.policy = o.required("policy").string();
    s.nice = opt_int<std::int32_t>(o, "nice");
    s.priority = opt_int<std::int32_t>(o, "priority");
    s.flags = opt_strings(o, "flags");
    s.runtime = opt_int<std::uint64_t>(o, "runtime");
    s.deadline = opt_int<std::uint64_t>(o, "deadline");
    s.period = opt_int<std::uint64_t>(o, "period");
    s.extra = o.rest();
    return s;
}

IoPriority parse_io_priority(const Reader& r) {
    ObjectReader o(r);
    IoPriority p;
    p.io_class = o.required("class").string();
    p.priority = o.required("priority").integer<std::int32_t>();
    p.extra = o.rest();
    return p;
}

ExecCpuAffinity parse_exec_cpu_affinity(const Reader& r) {
    ObjectReader o(r);
    ExecCpuAffinity a;
    a.initial = opt_string(o, "initial");
    a.final_ = opt_string(o, "final");
    a.extra = o.rest();
    return a;
}

Process parse_process(const Reader& r) {
    ObjectReader o(r);
    Process p;
    p.terminal = opt_bool(o, "terminal");
    p.console_size = opt_object<ConsoleSize>(o, "consoleSize", parse_console_size);
    // Optional: config.md never requires it (the schema requires only cwd),
    // and runc takes a missing one as uid 0, gid 0 (Go's zero User).
    p.user = opt_object<User>(o, "user", parse_user).value_or(User{});
    p.args = strings(o, "args");
    p.command_line = opt_string(o, "commandLine");
    p.env = strings(o, "env");
    p.cwd = o.required("cwd").string();
    p.capabilities = opt_object<Capabilities>(o, "capabilities", parse_capabilities);
    p.rlimits = array<Rlimit>(o, "rlimits", parse_rlimit);
    p.apparmor_profile = opt_string(o, "apparmorProfile");
    p.selinux_label = opt_string(o, "selinuxLabel");
    p.no_new_privileges = opt_bool(o, "noNewPrivileges");
    p.oom_score_adj = opt_int<std::int32_t>(o, "oomScoreAdj");
    p.scheduler = opt_object<Scheduler>(o, "scheduler", parse_scheduler);
    p.io_priority = opt_object<IoPriority>(o, "ioPriority", parse_io_priority);
    p.exec_cpu_affinity = opt_object<ExecCpuAffinity>(o, "execCPUAffinity", parse_exec_cpu_affinity);
    p.extra = o.rest();
    return p;
}

Hook parse_hook(const Reader& r) {
    ObjectReader o(r);
    Hook h;
    h.path = o.required("path").string();
    h.args = opt_strings(o, "args");
    h.env = opt_strings(o, "env");
    h.timeout = opt_int<std::int64_t>(o, "timeout");
    h.extra = o.rest();
    return h;
}

}  // namespace

Hooks parse_hooks(const Reader& r) {
    ObjectReader o(r);
    Hooks h;
    h.prestart = array<Hook>(o, "prestart", parse_hook);
    h.create_runtime = array<Hook>(o, "createRuntime", parse_hook);
    h.create_container = array<Hook>(o, "createContainer", parse_hook);
    h.start_container = array<Hook>(o, "startContainer", parse_hook);
    h.poststart = array<Hook>(o, "poststart", parse_hook);
    h.poststop = array<Hook>(o, "poststop", parse_hook);
    h.extra = o.rest();
    return h;
}

Spec parse_spec(const json::Value& doc) {
    Reader root(doc, "");
    ObjectReader o(root);
    Spec s;
    s.oci_version = o.required("ociVersion").string();
    s.root = opt_object<Root>(o, "root", parse_root);
    s.mounts = array<Mount>(o, "mounts", parse_mount);
    s.process = opt_object<Process>(o, "process", parse_process);
    s.hostname = opt_string(o, "hostname");
    s.domainname = opt_string(o, "domainname");
    s.hooks = opt_object<Hooks>(o, "hooks", parse_hooks);
    if (auto a = o.optional("annotations")) s.annotations = string_members(*a);
    s.linux = opt_object<Linux>(o, "linux", detail::parse_linux);
    s.extra = o.rest();
    return s;
}

Spec parse_spec_text(std::string_view text, const std::string& name) {
    return with_context(name, [&] { return parse_spec(json::parse(text, json::ParseLimits{})); });
}

std::string read_spec_text(const std::string& path) {
    return util::read_file(path, json::ParseLimits{}.max_bytes);
}

Spec load_spec(const std::string& path) {
    auto slash = path.rfind('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    return parse_spec_text(with_context(name, [&] { return read_spec_text(path); }), name);
}

Process parse_process_text(std::string_view text, const std::string& name) {
    return with_context(name, [&] {
        json::Value doc = json::parse(text, json::ParseLimits{});
        return parse_process(Reader(doc, ""));
    });
}

Process load_process(const std::string& path) {
    return parse_process_text(with_context(path, [&] { return util::read_file(path, json::ParseLimits{}.max_bytes); }),
                              path);
}

}  // namespace hull::oci
