#include "core/process_setup.hpp"

#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "linux/console.hpp"
#include "linux/passwd.hpp"
#include "linux/process_attrs.hpp"
#include "linux/seccomp/filter.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace hull::core {

void close_fds_except(int first, std::vector<int> keep) {
    std::sort(keep.begin(), keep.end());
    auto next = static_cast<unsigned>(first);
    for (int fd : keep) {
        if (fd < 0 || static_cast<unsigned>(fd) < next) continue;
        if (static_cast<unsigned>(fd) > next) util::close_fd_range(next, static_cast<unsigned>(fd) - 1, false);
        next = static_cast<unsigned>(fd) + 1;
    }
    util::close_fd_range(next, ~0U, false);
}

void send_console(const oci::Process& process, const SyncSocket& sync, bool bind_console) {
    auto pty = sys::open_pty("/dev/ptmx");
    sys::give_pty_to(pty.slave.get(), process.user.uid);
    if (bind_console) sys::bind_dev_console(pty.slave.get());
    if (process.console_size) sys::set_window_size(pty.slave.get(), process.console_size->height,
                                                   process.console_size->width);
    sync.send(SyncType::console_master, "/dev/ptmx", pty.master.get());
    pty.master.reset();
    sys::make_controlling_tty(pty.slave.get());
    sys::setup_console_stdio(pty.slave.get());
}

void load_seccomp_at(SeccompPoint point, const oci::Process& process, const ProcessSeccomp& seccomp) {
    if (seccomp.filter == nullptr) return;
    bool nnp = process.no_new_privileges.value_or(false);
    SeccompPoint due = !nnp                     ? SeccompPoint::before_credentials
                       : seccomp.filter->notify ? SeccompPoint::before_ready
                                                : SeccompPoint::before_exec;
    if (point != due) return;
    UniqueFd listener = sys::seccomp::load(*seccomp.filter);
    if (!listener) return;
    if (seccomp.sync == nullptr) throw_error("linux.seccomp: nowhere to send the notify listener");
    seccomp.sync->send(SyncType::seccomp_listener, {}, listener.get());
    // The container must never hold its own listener: it could answer its
    // own notifications.
    listener.reset();
    expect_message(*seccomp.sync, SyncType::seccomp_listener_done);
}

namespace {

// process.cwd is entered before the user switch, as runc's finalizeNamespace
// does: a directory only root may enter (/root, 0700) works for another
// user too, who then starts in it. One that root is refused (in a user
// namespace, a directory of an unmapped owner open to the user's group; a
// root-squashing network filesystem) is tried again as the user. Either
// way the result is checked to be inside the container's root after the
// switch, as runc 1.1.12 does (CVE-2024-21626).
void apply_user_and_cwd(const oci::Process& process) {
    bool entered = sys::try_enter_cwd(process.cwd);
    sys::apply_user(process);
    if (!entered) sys::enter_cwd(process.cwd);
    sys::verify_cwd(process.cwd);
}

}  // namespace

void apply_process_attributes(const oci::Spec& spec, const oci::Process& process, const sys::CapabilitySets& caps,
                              const ProcessSeccomp& seccomp) {
    sys::apply_rlimits(process);
    sys::apply_oom_score_adj(process);
    sys::apply_personality(spec);
    sys::apply_scheduler(process);
    sys::apply_io_priority(process);
    sys::apply_initial_cpu_affinity(process);
    load_seccomp_at(SeccompPoint::before_credentials, process, seccomp);
    sys::drop_bounding_set(caps);
    sys::keep_capabilities_across_setuid(true);
    apply_user_and_cwd(process);
    sys::apply_capabilities(caps);
    if (process.no_new_privileges.value_or(false)) {
        check(::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "process.noNewPrivileges");
    }
}

std::string find_program(const oci::Process& process) {
    try {
        return sys::find_executable(process.args.at(0), process.env);
    } catch (Error& e) {
        e.set_exit_status(e.error_number() == ENOENT ? 127 : 126);
        throw;
    }
}

void exec_process(const oci::Process& process, const std::string& executable, int preserve_fds,
                  const ProcessSeccomp& seccomp) {
    util::close_fd_range(3 + static_cast<unsigned>(preserve_fds), ~0U, true);
    std::vector<char*> argv;
    for (const auto& a : process.args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    bool has_home = false;
    for (const auto& e : process.env) {
        envp.push_back(const_cast<char*>(e.c_str()));
        has_home = has_home || e.starts_with("HOME=");
    }
    // As runc: a process without HOME gets its user's home from the image.
    std::string home = has_home ? "" : "HOME=" + sys::home_for(process.user.uid);
    if (!has_home) envp.push_back(home.data());
    envp.push_back(nullptr);
    load_seccomp_at(SeccompPoint::before_exec, process, seccomp);
    ::execve(executable.c_str(), argv.data(), envp.data());
    throw_errno(errno, "exec {}", executable);
}

}  // namespace hull::core
