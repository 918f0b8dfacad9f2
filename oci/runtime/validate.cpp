#include "oci/runtime/validate.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::oci {
namespace {

template <std::size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

[[noreturn]] void fail(std::string_view path, std::string_view message) {
    throw_error("config.json: {}: {}", path, message);
}

template <std::size_t N>
void expect_one_of(std::string_view path, std::string_view value, const std::array<std::string_view, N>& allowed) {
    if (one_of(value, allowed)) return;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    fail(path, fmt::format("unknown value {}: expected one of {}", util::quote(value), list));
}

void expect_absolute(std::string_view path, std::string_view value) {
    if (value.empty() || value[0] != '/') fail(path, fmt::format("{} is not an absolute path", util::quote(value)));
}

constexpr std::array<std::string_view, 41> kCapabilities = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
    "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

constexpr std::array<std::string_view, 16> kRlimits = {
    "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_LOCKS",
    "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_RSS",
    "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK",
};

constexpr std::array<std::string_view, 7> kSchedPolicies = {"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
                                                            "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE"};
constexpr std::array<std::string_view, 3> kIoClasses = {"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"};

// MAJOR.MINOR.PATCH without leading zeros, then an optional -pre or +build.
bool is_semver(std::string_view v) {
    auto end = v.find_first_of("-+");
    auto parts = util::split(v.substr(0, end), '.');
    if (parts.size() != 3) return false;
    for (const auto& part : parts) {
        if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) return false;
        if (part.size() > 1 && part[0] == '0') return false;
    }
    return end == std::string_view::npos || end + 1 < v.size();
}

void validate_version(const Spec& spec) {
    // config.md: ociVersion MUST be SemVer; hull runs 1.x documents.
    if (!is_semver(spec.oci_version)) {
        fail("ociVersion", fmt::format("{} is not a SemVer version such as 1.3.0", util::quote(spec.oci_version)));
    }
    if (!spec.oci_version.starts_with("1.")) {
        fail("ociVersion", fmt::format("version {} is not supported: expected 1.x", spec.oci_version));
    }
}

void validate_capability_set(std::string_view set, const std::optional<std::vector<std::string>>& names) {
    if (!names) return;
    for (std::size_t i = 0; i < names->size(); ++i) {
        if (!is_known_capability((*names)[i])) {
            fail(fmt::format("process.capabilities.{}[{}]", set, i),
                 fmt::format("unknown capability {}", util::quote((*names)[i])));
        }
    }
}

void validate_process(const Process& p) {
    expect_absolute("process.cwd", p.cwd);  // config.md "Process": cwd MUST be absolute
    if (p.args.empty() && !p.command_line) fail("process.args", "expected at least one argument (the program)");
    if (p.capabilities) {
        validate_capability_set("bounding", p.capabilities->bounding);
        validate_capability_set("effective", p.capabilities->effective);
        validate_capability_set("inheritable", p.capabilities->inheritable);
        validate_capability_set("permitted", p.capabilities->permitted);
        validate_capability_set("ambient", p.capabilities->ambient);
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < p.rlimits.size(); ++i) {
        const auto& r = p.rlimits[i];
        std::string path = fmt::format("process.rlimits[{}]", i);
        expect_one_of(path + ".type", r.type, kRlimits);
        // config.md: duplicated types MUST be an error.
        if (!seen.insert(r.type).second) fail(path + ".type", fmt::format("{} is set twice", r.type));
        if (r.soft > r.hard) fail(path, fmt::format("soft limit {} is above the hard limit {}", r.soft, r.hard));
    }
    for (std::size_t i = 0; i < p.env.size(); ++i) {
        if (p.env[i].find('=') == std::string::npos) {
            fail(fmt::format("process.env[{}]", i), fmt::format("{} is not of the form KEY=value", util::quote(p.env[i])));
        }
    }
    if (p.scheduler) expect_one_of("process.scheduler.policy", p.scheduler->policy, kSchedPolicies);
    if (p.io_priority) {
        expect_one_of("process.ioPriority.class", p.io_priority->io_class, kIoClasses);
        if (p.io_priority->priority < 0 || p.io_priority->priority > 7) {
            fail("process.ioPriority.priority", fmt::format("{} is outside 0..7", p.io_priority->priority));
        }
    }
    if (p.exec_cpu_affinity) {
        for (const auto& [name, value] : {std::pair{"initial", p.exec_cpu_affinity->initial},
                                          std::pair{"final", p.exec_cpu_affinity->final_}}) {
            if (value && value->find_first_not_of("0123456789, -") != std::string::npos) {
                fail(fmt::format("process.execCPUAffinity.{}", name), fmt::format("{} is not a cpu list", *value));
            }
        }
    }
}

void validate_hooks(const Hooks& hooks) {
    auto check_list = [](std::string_view kind, const std::vector<Hook>& list) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            std::string path = fmt::format("hooks.{}[{}]", kind, i);
            expect_absolute(path + ".path", list[i].path);  // config.md "POSIX-platform Hooks"
            if (list[i].timeout && *list[i].timeout <= 0) {
                fail(path + ".timeout", fmt::format("{} is not greater than zero", *list[i].timeout));
            }
        }
    };
    check_list("prestart", hooks.prestart);
    check_list("createRuntime", hooks.create_runtime);
    check_list("createContainer", hooks.create_container);
    check_list("startContainer", hooks.start_container);
    check_list("poststart", hooks.poststart);
    check_list("poststop", hooks.poststop);
}

void validate_mounts(const std::vector<Mount>& mounts) {
    for (std::size_t i = 0; i < mounts.size(); ++i) {
        // config.md "Mounts": on Linux a relative destination is allowed and means relative to "/".
        if (mounts[i].destination.empty()) fail(fmt::format("mounts[{}].destination", i), "expected a path, got \"\"");
    }
}

}  // namespace

bool is_known_capability(std::string_view name) { return one_of(name, kCapabilities); }

void validate_linux(const Spec& spec);

void validate_spec(const Spec& spec) {
    validate_version(spec);
    if (!spec.root) fail("root", "missing: a Linux container needs root.path");  // config.md "Root"
    if (spec.root->path.empty()) fail("root.path", "expected a path, got \"\"");
    validate_mounts(spec.mounts);
    if (spec.process) validate_process(*spec.process);
    if (spec.hooks) validate_hooks(*spec.hooks);
    validate_linux(spec);
}

}  // namespace hull::oci
