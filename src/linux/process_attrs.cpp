#include "linux/process_attrs.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "linux/path_resolve.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

struct RlimitName {
    std::string_view name;
    int resource;
};

constexpr std::array<RlimitName, 16> kRlimits = {{
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},       {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},       {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},   {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},   {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
}};

int rlimit_resource(const std::string& name) {
    for (const auto& r : kRlimits) {
        if (r.name == name) return r.resource;
    }
    throw_error("process.rlimits: unknown type {}", util::quote(name));
}

void write_proc_file(const std::string& path, std::string_view value) {
    UniqueFd fd = util::open_fd(path, O_WRONLY);
    util::write_all(fd.get(), value, path);
}

std::string env_value(const std::vector<std::string>& env, std::string_view key) {
    for (const auto& entry : env) {
        if (entry.size() > key.size() && entry.compare(0, key.size(), key) == 0 && entry[key.size()] == '=') {
            return entry.substr(key.size() + 1);
        }
    }
    return {};
}

int check_executable(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) < 0) return errno;
    if (S_ISDIR(st.st_mode)) return EACCES;
    if (::access(path.c_str(), X_OK) < 0) return errno;
    return 0;
}

}  // namespace

void set_hostname(const std::string& hostname) {
    check(::sethostname(hostname.data(), hostname.size()), "set hostname {}", util::quote(hostname));
}

void set_domainname(const std::string& domainname) {
    check(::setdomainname(domainname.data(), domainname.size()), "set domainname {}", util::quote(domainname));
}

void apply_sysctls(const oci::Spec& spec, int root_fd) {
    if (!spec.linux || spec.linux->sysctl.empty()) return;
    // The container's /proc/sys, and below it nothing but procfs: a mount
    // over a sysctl file (through a symlinked mount destination, say) would
    // take the write to the mount's source on the host (CVE-2025-52881).
    UniqueFd proc_sys = open_in_root(root_fd, "/proc/sys", O_PATH | O_DIRECTORY);
    require_procfs(proc_sys.get(), "the container's /proc/sys");
    // Not a structured binding: clang 14 cannot capture one in the lambda.
    for (const auto& entry : spec.linux->sysctl) {
        const std::string& key = entry.first;
        const std::string& value = entry.second;
        std::string path = key;
        for (auto& c : path) {
            if (c == '.') c = '/';
        }
        with_context(fmt::format("sysctl {}", util::quote(key)), [&] {
            UniqueFd fd = open_beneath_same_mount(proc_sys.get(), path, O_WRONLY);
            util::write_all(fd.get(), value, "/proc/sys/" + path);
        });
    }
}

void apply_rlimits(const oci::Process& process) {
    for (const auto& r : process.rlimits) {
        rlimit limit{static_cast<rlim_t>(r.soft), static_cast<rlim_t>(r.hard)};
        check(::setrlimit(rlimit_resource(r.type), &limit), "set {} to soft {} hard {}", r.type, r.soft, r.hard);
    }
}

void apply_oom_score_adj(const oci::Process& process) {
    if (!process.oom_score_adj) return;
    with_context("process.oomScoreAdj",
                 [&] { write_proc_file("/proc/self/oom_score_adj", std::to_string(*process.oom_score_adj)); });
}

void apply_personality(const oci::Spec& spec) {
    if (!spec.linux || !spec.linux->personality) return;
    const auto& p = *spec.linux->personality;
    unsigned long domain = p.domain == "LINUX32" ? PER_LINUX32 : PER_LINUX;
    check(::personality(domain), "set personality {}", p.domain);
}

void apply_scheduler(const oci::Process& process) {
    if (!process.scheduler) return;
    const auto& s = *process.scheduler;
    // sched_setattr covers every policy incl. SCHED_DEADLINE (sched(7)).
    struct SchedAttr {
        std::uint32_t size, policy;
        std::uint64_t flags;
        std::int32_t nice;
        std::uint32_t priority;
        std::uint64_t runtime, deadline, period;
    } attr{};
    static constexpr std::array<std::pair<std::string_view, int>, 6> kPolicies = {{
        {"SCHED_OTHER", SCHED_OTHER}, {"SCHED_FIFO", SCHED_FIFO}, {"SCHED_RR", SCHED_RR},
        {"SCHED_BATCH", SCHED_BATCH}, {"SCHED_IDLE", SCHED_IDLE}, {"SCHED_DEADLINE", 6},
    }};
    attr.size = sizeof attr;
    attr.policy = 0;
    for (const auto& [name, value] : kPolicies) {
        if (name == s.policy) attr.policy = static_cast<std::uint32_t>(value);
    }
    attr.nice = s.nice.value_or(0);
    attr.priority = static_cast<std::uint32_t>(s.priority.value_or(0));
    attr.runtime = s.runtime.value_or(0);
    attr.deadline = s.deadline.value_or(0);
    attr.period = s.period.value_or(0);
    check(static_cast<int>(::syscall(SYS_sched_setattr, 0, &attr, 0)), "process.scheduler: sched_setattr {}",
          s.policy);
}

void apply_io_priority(const oci::Process& process) {
    if (!process.io_priority) return;
    const auto& io = *process.io_priority;
    int cls = io.io_class == "IOPRIO_CLASS_RT" ? 1 : io.io_class == "IOPRIO_CLASS_BE" ? 2 : 3;
    int value = (cls << 13) | static_cast<int>(io.priority);
    check(static_cast<int>(::syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, value)),
          "process.ioPriority: ioprio_set {} {}", io.io_class, io.priority);
}

void apply_initial_cpu_affinity(const oci::Process& process) {
    if (!process.exec_cpu_affinity || !process.exec_cpu_affinity->initial) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    for (const auto& range : util::split(*process.exec_cpu_affinity->initial, ',')) {
        auto dash = range.find('-');
        auto lo = util::parse_u64(range.substr(0, dash));
        auto hi = dash == std::string::npos ? lo : util::parse_u64(range.substr(dash + 1));
        if (!lo || !hi || *hi < *lo || *hi >= CPU_SETSIZE) {
            throw_error("process.execCPUAffinity.initial: invalid cpu list {}", *process.exec_cpu_affinity->initial);
        }
        for (auto cpu = *lo; cpu <= *hi; ++cpu) CPU_SET(cpu, &set);
    }
    check(::sched_setaffinity(0, sizeof set, &set), "process.execCPUAffinity.initial");
}

void apply_user(const oci::Process& process) {
    const auto& user = process.user;
    std::vector<gid_t> groups(user.additional_gids.begin(), user.additional_gids.end());
    // setgroups is refused in a user namespace whose setgroups file says deny; only call it when asked.
    if (!groups.empty() || ::setgroups(0, nullptr) == 0) {
        if (!groups.empty()) check(::setgroups(groups.size(), groups.data()), "process.user.additionalGids: setgroups");
    }
    check(::setresgid(user.gid, user.gid, user.gid), "process.user.gid: setgid {}", user.gid);
    check(::setresuid(user.uid, user.uid, user.uid), "process.user.uid: setuid {}", user.uid);
    if (user.umask) ::umask(static_cast<mode_t>(*user.umask));
}

bool try_enter_cwd(const std::string& cwd) {
    if (::chdir(cwd.c_str()) == 0) return true;
    if (errno == EACCES || errno == EPERM) return false;
    throw_errno(errno, "process.cwd: chdir to {}", util::quote(cwd));
}

void enter_cwd(const std::string& cwd) {
    check(::chdir(cwd.c_str()), "process.cwd: chdir to {}", util::quote(cwd));
}

void verify_cwd(const std::string& cwd) {
    char buf[4096];
    // getcwd reports "(unreachable)/..." for a directory outside our root (CVE-2024-21626).
    if (::getcwd(buf, sizeof buf) == nullptr || buf[0] != '/') {
        throw_error("process.cwd {} is outside the container's root", util::quote(cwd));
    }
}

std::string find_executable(const std::string& name, const std::vector<std::string>& env) {
    if (name.find('/') != std::string::npos) {
        if (int err = check_executable(name); err != 0) throw_errno(err, "exec {}", util::quote(name));
        return name;
    }
    std::string path = env_value(env, "PATH");
    if (path.empty()) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    int first_error = ENOENT;
    for (const auto& dir : util::split(path, ':')) {
        std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        int err = check_executable(candidate);
        if (err == 0) return candidate;
        if (err != ENOENT && first_error == ENOENT) first_error = err;
    }
    if (first_error == ENOENT) {
        throw Error(ENOENT, fmt::format("exec: {}: executable file not found in $PATH", util::quote(name)));
    }
    throw_errno(first_error, "exec {}", util::quote(name));
}

}  // namespace hull::sys
