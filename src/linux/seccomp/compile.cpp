#include "linux/seccomp/compile.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "build_config.hpp"
#include "linux/seccomp/enosys_stub.hpp"
#include "linux/seccomp/flags.hpp"
#include "linux/seccomp/names.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

#if HULL_HAVE_SECCOMP
#include <seccomp.h>
#endif

namespace hull::sys::seccomp {
namespace {

const ActionName& action_of(const std::string& name, std::string_view path) {
    const ActionName* action = find_action(name);
    if (action == nullptr) throw_error("{}: unknown seccomp action {}", path, util::quote(name));
    return *action;
}

bool uses_notify(const oci::Seccomp& profile) {
    if (profile.default_action == "SCMP_ACT_NOTIFY") return true;
    return std::any_of(profile.syscalls.begin(), profile.syscalls.end(),
                       [](const auto& rule) { return rule.action == "SCMP_ACT_NOTIFY"; });
}

// The init hands the listener to hull with sendmsg(2) right after loading
// the filter. A notified sendmsg would wait for an agent that has not got
// the listener yet: forever. (runc refuses a notified write(2) for the
// same reason: its sync pipe uses write.)
void check_listener_handover(const oci::Seccomp& profile) {
    bool sendmsg_has_own_action = false;
    for (std::size_t i = 0; i < profile.syscalls.size(); ++i) {
        const auto& rule = profile.syscalls[i];
        if (std::find(rule.names.begin(), rule.names.end(), "sendmsg") == rule.names.end()) continue;
        if (rule.action == "SCMP_ACT_NOTIFY") {
            throw_error("linux.seccomp.syscalls[{}].action: SCMP_ACT_NOTIFY cannot apply to sendmsg: the runtime "
                        "sends the listener to the agent with it", i);
        }
        sendmsg_has_own_action = sendmsg_has_own_action || rule.args.empty();
    }
    if (profile.default_action == "SCMP_ACT_NOTIFY" && !sendmsg_has_own_action) {
        throw_error("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY would apply to sendmsg, which the runtime sends "
                    "the listener to the agent with: give sendmsg a rule without args");
    }
}

}  // namespace

Filter filter_settings(const oci::Seccomp& profile, const util::Logger& log) {
    Filter filter;
    filter.notify = uses_notify(profile);
    if (filter.notify) check_listener_handover(profile);
    filter.flags = filter_flags(profile.flags, filter.notify, log);
    return filter;
}

Filter compile(const oci::Seccomp& profile, const util::Logger& log) {
    Filter filter = filter_settings(profile, log);
    filter.program = compile_program(profile, log);
    return filter;
}

#if HULL_HAVE_SECCOMP
namespace {

class Context {
public:
    explicit Context(std::uint32_t default_action) : ctx_(::seccomp_init(default_action)) {
        if (ctx_ == nullptr) throw_error("linux.seccomp.defaultAction: libseccomp refused {:#x}", default_action);
    }
    ~Context() { ::seccomp_release(ctx_); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    scmp_filter_ctx get() const noexcept { return ctx_; }

private:
    scmp_filter_ctx ctx_;
};

std::uint32_t arch_token(const std::string& name, std::string_view path) {
    const ArchName* arch = find_arch(name);
    if (arch == nullptr) throw_error("{}: unknown architecture {}", path, util::quote(name));
    std::uint32_t token = ::seccomp_arch_resolve_name(std::string(arch->libseccomp).c_str());
    if (token == 0) throw_error("{}: {} is not known to libseccomp {}", path, name, libseccomp_identity());
    return token;
}

// The filter's architectures: the native one (seccomp_init adds it) and
// those the profile lists.
std::vector<std::uint32_t> add_architectures(const Context& ctx, const oci::Seccomp& profile) {
    std::vector<std::uint32_t> tokens = {::seccomp_arch_native()};
    if (!profile.architectures) return tokens;
    for (std::size_t i = 0; i < profile.architectures->size(); ++i) {
        std::string path = fmt::format("linux.seccomp.architectures[{}]", i);
        std::uint32_t token = arch_token((*profile.architectures)[i], path);
        int rc = ::seccomp_arch_add(ctx.get(), token);
        if (rc < 0 && rc != -EEXIST) throw_errno(-rc, "{}: add {}", path, (*profile.architectures)[i]);
        if (std::find(tokens.begin(), tokens.end(), token) == tokens.end()) tokens.push_back(token);
    }
    return tokens;
}

std::vector<scmp_arg_cmp> conditions(const oci::SeccompSyscall& rule, std::string_view path) {
    std::vector<scmp_arg_cmp> out;
    for (std::size_t j = 0; j < rule.args.size(); ++j) {
        const auto& arg = rule.args[j];
        const OperatorName* op = find_operator(arg.op);
        if (op == nullptr) throw_error("{}.args[{}].op: unknown operator {}", path, j, util::quote(arg.op));
        if (arg.index > 5) throw_error("{}.args[{}].index: {} is outside 0..5", path, j, arg.index);
        // MASKED_EQ: (arg & value) == valueTwo, as libseccomp's datum_a, datum_b.
        out.push_back(scmp_arg_cmp{arg.index, static_cast<scmp_compare>(op->value), arg.value,
                                   arg.value_two.value_or(0)});
    }
    return out;
}

bool shares_an_argument(const std::vector<scmp_arg_cmp>& conds) {
    for (std::size_t a = 0; a < conds.size(); ++a) {
        for (std::size_t b = a + 1; b < conds.size(); ++b) {
            if (conds[a].arg == conds[b].arg) return true;
        }
    }
    return false;
}

void add_rule(const Context& ctx, std::uint32_t action, int nr, const std::vector<scmp_arg_cmp>& conds,
              std::string_view path, const std::string& name) {
    auto add = [&](unsigned count, const scmp_arg_cmp* first) {
        int rc = ::seccomp_rule_add_array(ctx.get(), action, nr, count, first);
        if (rc < 0) throw_errno(-rc, "{}: add the rule for {}", path, name);
    };
    // libseccomp refuses two comparisons of one argument in a rule (EINVAL);
    // runc and crun then add each comparison as a rule of its own.
    if (shares_an_argument(conds)) {
        for (const auto& c : conds) add(1, &c);
    } else {
        add(static_cast<unsigned>(conds.size()), conds.data());
    }
}

void add_rules(const Context& ctx, const oci::Seccomp& profile, std::uint32_t default_action,
               const util::Logger& log) {
    for (std::size_t i = 0; i < profile.syscalls.size(); ++i) {
        const auto& rule = profile.syscalls[i];
        std::string path = fmt::format("linux.seccomp.syscalls[{}]", i);
        std::uint32_t action = action_value(action_of(rule.action, path + ".action"), rule.errno_ret);
        std::vector<scmp_arg_cmp> conds = conditions(rule, path);
        if (action == default_action) continue;
        for (std::size_t j = 0; j < rule.names.size(); ++j) {
            const std::string& name = rule.names[j];
            int nr = ::seccomp_syscall_resolve_name(name.c_str());
            if (nr == __NR_SCMP_ERROR) {
                log.debug("{}.names[{}]: syscall {} unknown to libseccomp, skipped", path, j, util::quote(name));
                continue;
            }
            add_rule(ctx, action, nr, conds, fmt::format("{}.names[{}]", path, j), name);
        }
    }
}

std::vector<sock_filter> export_program(const Context& ctx) {
    // libseccomp 2.5 exports only to an fd (seccomp_export_bpf_mem is 2.6).
    UniqueFd fd(::memfd_create("hull-seccomp-bpf", MFD_CLOEXEC));
    if (!fd) throw_errno(errno, "linux.seccomp: memfd_create for the compiled filter");
    int rc = ::seccomp_export_bpf(ctx.get(), fd.get());
    if (rc < 0) throw_errno(-rc, "linux.seccomp: export the compiled filter");
    check(::lseek(fd.get(), 0, SEEK_SET), "linux.seccomp: rewind the compiled filter");
    std::string bytes = util::read_fd(fd.get(), BPF_MAXINSNS * sizeof(sock_filter) + 1, "the compiled filter");
    if (bytes.empty() || bytes.size() % sizeof(sock_filter) != 0) {
        throw_error("linux.seccomp: libseccomp exported {} bytes, not a whole BPF program", bytes.size());
    }
    std::vector<sock_filter> program(bytes.size() / sizeof(sock_filter));
    std::memcpy(program.data(), bytes.data(), bytes.size());
    return program;
}

// Actions that let a syscall run (or, for TRACE, leave it to a tracer that
// should cope with new syscalls itself): nothing for the stub to fix.
bool lets_syscalls_through(std::string_view action) {
    return action == "SCMP_ACT_ALLOW" || action == "SCMP_ACT_LOG" || action == "SCMP_ACT_TRACE";
}

bool needs_enosys_stub(const oci::Seccomp& profile) {
    if (lets_syscalls_through(profile.default_action)) return false;
    return !(profile.default_action == "SCMP_ACT_ERRNO" && profile.default_errno_ret == ENOSYS);
}

ArchLimit& limit_for(std::vector<ArchLimit>& limits, std::uint32_t audit_arch) {
    for (auto& l : limits) {
        if (l.audit_arch == audit_arch) return l;
    }
    return limits.emplace_back(ArchLimit{audit_arch, {}, {}});
}

// The highest number any name of the profile has on each architecture.
// SCMP_ARCH_X32 is not an audit arch: its calls reach the filter as
// AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT in the number, which the
// numbers libseccomp gives for x32 include.
std::vector<ArchLimit> arch_limits(const oci::Seccomp& profile, const std::vector<std::uint32_t>& tokens) {
    std::vector<ArchLimit> limits;
    for (std::uint32_t token : tokens) {
        std::optional<std::uint32_t> max;
        for (const auto& rule : profile.syscalls) {
            for (const auto& name : rule.names) {
                int nr = ::seccomp_syscall_resolve_name_arch(token, name.c_str());
                if (nr >= 0 && (!max || static_cast<std::uint32_t>(nr) > *max)) max = static_cast<std::uint32_t>(nr);
            }
        }
        if (!max) continue;
        if (token == SCMP_ARCH_X32) {
            limit_for(limits, AUDIT_ARCH_X86_64).x32_max = max;
        } else {
            limit_for(limits, token).max = max;
        }
    }
    return limits;
}

}  // namespace

std::string libseccomp_identity() {
    const scmp_version* v = ::seccomp_version();
    return fmt::format("{}.{}.{} native {:#x}", v->major, v->minor, v->micro, ::seccomp_arch_native());
}

std::vector<sock_filter> compile_program(const oci::Seccomp& profile, const util::Logger& log) {
    std::uint32_t default_action =
        action_value(action_of(profile.default_action, "linux.seccomp.defaultAction"), profile.default_errno_ret);
    Context ctx(default_action);
    // A binary tree of syscall numbers instead of a linear list: podman's
    // profile loads in ~450 us instead of ~750 (the kernel JITs the program
    // and walks it once per syscall number for its allow cache), and each
    // syscall of the container runs a fraction of the instructions.
    int rc = ::seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2);
    if (rc < 0) throw_errno(-rc, "linux.seccomp: ask libseccomp for a binary-tree filter");
    std::vector<std::uint32_t> tokens = add_architectures(ctx, profile);
    add_rules(ctx, profile, default_action, log);
    std::vector<sock_filter> program = export_program(ctx);
    if (needs_enosys_stub(profile)) {
        std::vector<ArchLimit> limits = arch_limits(profile, tokens);
        std::vector<sock_filter> stub = enosys_stub(limits);
        program.insert(program.begin(), stub.begin(), stub.end());
    }
    if (program.size() > BPF_MAXINSNS) {
        throw_error("linux.seccomp: the filter has {} instructions, more than the kernel's {}", program.size(),
                    BPF_MAXINSNS);
    }
    return program;
}

#else

std::string libseccomp_identity() { return "none"; }

std::vector<sock_filter> compile_program(const oci::Seccomp&, const util::Logger&) {
    throw_error("linux.seccomp: this hull was built without libseccomp (-Dseccomp=disabled)");
}

#endif

}  // namespace hull::sys::seccomp
