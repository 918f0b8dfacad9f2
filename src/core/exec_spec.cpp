#include "core/exec_spec.hpp"

#include <limits>

#include <fmt/format.h>

#include "oci/runtime/validate.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

std::uint32_t parse_id(std::string_view flag, std::string_view text) {
    auto id = util::parse_u64(text);
    if (!id || *id > std::numeric_limits<std::uint32_t>::max() - 1) {
        throw_error("{}: {} is not a numeric id", flag, util::quote(text));
    }
    return static_cast<std::uint32_t>(*id);
}

// runc's --user takes numbers only: names would have to be looked up in
// the container's /etc/passwd.
void apply_user_flag(oci::User& user, const std::string& value) {
    auto colon = value.find(':');
    user.uid = parse_id("--user", value.substr(0, colon));
    if (colon != std::string::npos) user.gid = parse_id("--user", value.substr(colon + 1));
}

void add_capability(std::optional<std::vector<std::string>>& set, const std::string& cap) {
    if (!set) set.emplace();
    set->push_back(cap);
}

// As runc: into bounding, effective and permitted; into ambient only when
// the process has an inheritable set, since an ambient capability must
// also be inheritable.
void add_capabilities(oci::Process& process, const std::vector<std::string>& caps) {
    if (caps.empty()) return;
    if (!process.capabilities) process.capabilities.emplace();
    auto& sets = *process.capabilities;
    for (const auto& cap : caps) {
        if (!oci::is_known_capability(cap)) throw_error("--cap: unknown capability {}", util::quote(cap));
        add_capability(sets.bounding, cap);
        add_capability(sets.effective, cap);
        add_capability(sets.permitted, cap);
        if (sets.inheritable) add_capability(sets.ambient, cap);
    }
}

oci::Process from_container(const oci::Spec& container, const ExecRequest& request) {
    if (!container.process) throw_error("the container's config.json has no process to base the exec on");
    oci::Process p = *container.process;
    p.args = request.args;
    if (!request.cwd.empty()) p.cwd = request.cwd;
    p.env.insert(p.env.end(), request.env.begin(), request.env.end());
    if (!request.user.empty()) apply_user_flag(p.user, request.user);
    for (const auto& gid : request.additional_gids) p.user.additional_gids.push_back(parse_id("--additional-gids", gid));
    add_capabilities(p, request.caps);
    if (!request.apparmor.empty()) p.apparmor_profile = request.apparmor;
    if (!request.process_label.empty()) p.selinux_label = request.process_label;
    p.terminal = request.tty.value_or(false);
    if (request.no_new_privs) p.no_new_privileges = *request.no_new_privs;
    return p;
}

}  // namespace

oci::Process process_file_spec(oci::Process p, const std::string& name, std::optional<bool> tty) {
    // The flags that runc's exec still applies on top of a process file.
    if (tty) p.terminal = *tty;
    try {
        oci::validate_process(p);
    } catch (const Error& e) {
        // The checks speak of config.json; the process came from this file.
        std::string_view message = e.message();
        if (message.starts_with("config.json: ")) message.remove_prefix(13);
        throw Error(e.error_number(), fmt::format("{}: {}", name, message));
    }
    return p;
}

oci::Process exec_process_spec(const oci::Spec& container, const ExecRequest& request) {
    if (!request.process_file.empty()) {
        return process_file_spec(oci::load_process(request.process_file), request.process_file, request.tty);
    }
    if (request.args.empty()) throw_error("exec: a command to run is required (or --process FILE)");
    oci::Process p = from_container(container, request);
    oci::validate_process(p);
    return p;
}

}  // namespace hull::core
