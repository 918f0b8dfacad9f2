// Checks of the top level, mounts, process and hooks (config.md).
#include "oci/runtime/validate.hpp"

#include <set>

#include "oci/runtime/validate_check.hpp"

namespace hull::oci {
namespace {

using check::expect_absolute;
using check::expect_one_of;
using check::fail;

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
constexpr std::array<std::string_view, 7> kSchedFlags = {
    "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
    "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX"};
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
    // config.md: ociVersion MUST be SemVer. hull implements 1.x; like runc it
    // also runs pre-1.0 documents (the spec's own example says "0.5.0-dev"),
    // but a 2.x document may mean things 1.x does not.
    if (!is_semver(spec.oci_version)) {
        fail("ociVersion", fmt::format("{} is not a SemVer version such as 1.3.0", util::quote(spec.oci_version)));
    }
    if (!spec.oci_version.starts_with("1.") && !spec.oci_version.starts_with("0.")) {
        fail("ociVersion", fmt::format("version {} is not supported: expected 1.x", spec.oci_version));
    }
}

void validate_capability_set(std::string_view set, const std::optional<std::vector<std::string>>& names) {
    if (!names) return;
    for (std::size_t i = 0; i < names->size(); ++i) {
        // config.md "Linux Process": names the kernel does not know are
        // logged as warnings, not refused (linux/capabilities skips them, as
        // runc does), so only a name that cannot be a capability fails here.
        if (!is_capability_name((*names)[i])) {
            fail(fmt::format("process.capabilities.{}[{}]", set, i),
                 fmt::format("{} is not a capability name such as CAP_CHOWN", util::quote((*names)[i])));
        }
    }
}

void validate_rlimits(const std::vector<Rlimit>& rlimits) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rlimits.size(); ++i) {
        const auto& r = rlimits[i];
        std::string path = fmt::format("process.rlimits[{}]", i);
        // config.md "POSIX process": a type that maps to no kernel resource is an error.
        expect_one_of(path + ".type", r.type, kRlimits);
        // config.md: duplicated types MUST be an error.
        if (!seen.insert(r.type).second) fail(path + ".type", fmt::format("{} is set twice", r.type));
        if (r.soft > r.hard) fail(path, fmt::format("soft limit {} is above the hard limit {}", r.soft, r.hard));
    }
}

void validate_env(const std::vector<std::string>& env) {
    for (std::size_t i = 0; i < env.size(); ++i) {
        // environ(7) entries are NAME=value; runc refuses others before exec.
        auto eq = env[i].find('=');
        if (eq == std::string::npos || eq == 0) {
            fail(fmt::format("process.env[{}]", i),
                 fmt::format("{} is not of the form NAME=value", util::quote(env[i])));
        }
    }
}

void validate_scheduler(const Scheduler& s) {
    expect_one_of("process.scheduler.policy", s.policy, kSchedPolicies);
    if (s.nice && (*s.nice < -20 || *s.nice > 19)) {
        fail("process.scheduler.nice", fmt::format("{} is outside -20..19", *s.nice));  // sched(7)
    }
    if (s.flags) {
        for (std::size_t i = 0; i < s.flags->size(); ++i) {
            expect_one_of(fmt::format("process.scheduler.flags[{}]", i), (*s.flags)[i], kSchedFlags);
        }
    }
}

void validate_cpu_list(std::string_view path, const std::optional<std::string>& list) {
    // The schema's pattern ^[0-9, -]*$.
    if (list && list->find_first_not_of("0123456789, -") != std::string::npos) {
        fail(path, fmt::format("{} is not a cpu list such as 0-3,7", util::quote(*list)));
    }
}

void check_process(const Process& p) {
    expect_absolute("process.cwd", p.cwd);  // config.md "Process": cwd MUST be absolute
    // config.md "Process": at least one entry is REQUIRED (non-Windows);
    // commandLine is Windows-only and does not stand in for it.
    if (p.args.empty()) fail("process.args", "expected at least one argument (the program to run)");
    if (p.capabilities) {
        validate_capability_set("bounding", p.capabilities->bounding);
        validate_capability_set("effective", p.capabilities->effective);
        validate_capability_set("inheritable", p.capabilities->inheritable);
        validate_capability_set("permitted", p.capabilities->permitted);
        validate_capability_set("ambient", p.capabilities->ambient);
    }
    validate_rlimits(p.rlimits);
    validate_env(p.env);
    if (p.scheduler) validate_scheduler(*p.scheduler);
    if (p.io_priority) {
        expect_one_of("process.ioPriority.class", p.io_priority->io_class, kIoClasses);
        if (p.io_priority->priority < 0 || p.io_priority->priority > 7) {
            fail("process.ioPriority.priority", fmt::format("{} is outside 0..7", p.io_priority->priority));
        }
    }
    if (p.exec_cpu_affinity) {
        validate_cpu_list("process.execCPUAffinity.initial", p.exec_cpu_affinity->initial);
        validate_cpu_list("process.execCPUAffinity.final", p.exec_cpu_affinity->final_);
    }
}

void validate_hook_list(std::string_view kind, const std::vector<Hook>& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string path = fmt::format("hooks.{}[{}]", kind, i);
        expect_absolute(path + ".path", list[i].path);  // config.md "POSIX-platform Hooks"
        // config.md: timeout "MUST be greater than zero".
        if (list[i].timeout && *list[i].timeout <= 0) {
            fail(path + ".timeout", fmt::format("{} is not greater than zero", *list[i].timeout));
        }
    }
}

void validate_hooks(const Hooks& hooks) {
    validate_hook_list("prestart", hooks.prestart);
    validate_hook_list("createRuntime", hooks.create_runtime);
    validate_hook_list("createContainer", hooks.create_container);
    validate_hook_list("startContainer", hooks.start_container);
    validate_hook_list("poststart", hooks.poststart);
    validate_hook_list("poststop", hooks.poststop);
}

void validate_mounts(const std::vector<Mount>& mounts) {
    for (std::size_t i = 0; i < mounts.size(); ++i) {
        const Mount& m = mounts[i];
        std::string path = fmt::format("mounts[{}]", i);
        // config.md "Mounts": on Linux a relative destination is deprecated
        // but allowed, and means relative to "/"; only an empty one is wrong.
        if (m.destination.empty()) fail(path + ".destination", "expected a path, got \"\"");
        // config.md "Linux mount options": uidMappings and gidMappings come together.
        if (m.uid_mappings.empty() != m.gid_mappings.empty()) {
            fail(path + (m.uid_mappings.empty() ? ".uidMappings" : ".gidMappings"),
                 "required with the other of uidMappings and gidMappings (an idmapped mount needs both)");
        }
    }
}

void validate_annotations(const json::Object& annotations) {
    // config.md "Annotations": keys MUST NOT be an empty string.
    for (const auto& m : annotations) {
        if (m.key.empty()) fail("annotations", "a key is the empty string");
    }
}

}  // namespace

bool is_known_capability(std::string_view name) { return check::one_of(name, kCapabilities); }

bool is_capability_name(std::string_view name) {
    // features-linux.md's schema pattern for capability names: ^CAP_[A-Z_]+$
    return name.size() > 4 && name.starts_with("CAP_") &&
           name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 4) == std::string_view::npos;
}

void validate_resources(const Resources& resources) { detail::validate_resources(resources); }

void validate_spec(const Spec& spec) {
    validate_version(spec);
    // config.md "Root": REQUIRED on every platform but Windows (and VM-based runtimes).
    if (!spec.root) fail("root", "missing: a Linux container needs root.path");
    if (spec.root->path.empty()) fail("root.path", "expected a path, got \"\"");
    validate_mounts(spec.mounts);
    if (spec.process) check_process(*spec.process);
    if (spec.hooks) validate_hooks(*spec.hooks);
    validate_annotations(spec.annotations);
    detail::validate_linux(spec);
}

void validate_process(const Process& process) { check_process(process); }

Spec load_and_validate_spec(const std::string& path) {
    Spec spec = load_spec(path);
    validate_spec(spec);
    return spec;
}

}  // namespace hull::oci
