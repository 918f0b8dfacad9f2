#include "core/hooks.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "linux/clone.hpp"
#include "util/signals.hpp"
#include "oci/runtime/spec.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

constexpr std::size_t kMaxCapturedOutput = 64 * 1024;

using Clock = std::chrono::steady_clock;

struct Pipe {
    UniqueFd read, write;
};

Pipe make_pipe() {
    int fds[2];
    check(::pipe2(fds, O_CLOEXEC), "pipe for a hook");
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// argv and envp built before the fork: the child only calls async-signal-
// safe functions (the caller may have threads, and then malloc could hang).
struct ExecArgs {
    std::vector<std::string> args, env;
    std::vector<char*> argv, envp;

    explicit ExecArgs(const HookSpec& hook)
        : args(hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args), env(hook.env) {
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
    }
};

struct ChildFds {
    int stdin_fd, stdout_fd, stderr_fd, exec_error_fd;
};

// The hook's process: the pipes as 0, 1, 2, every other fd closed at exec,
// default signal state; execve's errno goes back over exec_error_fd.
[[noreturn]] void exec_hook(const std::string& path, const ExecArgs& exec, ChildFds fds) {
    // Lift every fd above 2 first, so one dup2 cannot clobber another when
    // the runtime itself was started with stdio closed.
    std::array<int, 4> high = {fds.stdin_fd, fds.stdout_fd, fds.stderr_fd, fds.exec_error_fd};
    for (int& fd : high) fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    for (int target = 0; target <= 2; ++target) ::dup2(high[static_cast<std::size_t>(target)], target);
    // close_range(2) CLOSE_RANGE_CLOEXEC: every other fd goes at execve,
    // the error pipe included, which is how the parent learns exec worked.
    util::close_fd_range(3U, ~0U, true);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // execve keeps ignored signals ignored; a hook starts with defaults.
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
    ::execve(path.c_str(), exec.argv.data(), exec.envp.data());
    int err = errno;
    [[maybe_unused]] ssize_t ignored = ::write(high[3], &err, sizeof err);
    ::_exit(127);
}

// A hook that exits without reading its stdin must not kill us with
// SIGPIPE: the signal is blocked while we feed it and any pending one
// consumed, never ignored (an ignored SIGPIPE would be inherited by the
// container process).
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    ~SigpipeBlock() {
        timespec zero{};
        while (::sigtimedwait(&pipe_, nullptr, &zero) == SIGPIPE) {
        }
        ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t pipe_{}, old_{};
};

struct Output {
    std::string text;
    bool truncated = false;
};

// Reads what is there; false at EOF or error (the fd is done).
bool read_some(int fd, Output& out) {
    char buf[4096];
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0) return errno == EINTR;
    if (got == 0) return false;
    std::size_t room = kMaxCapturedOutput - std::min(out.text.size(), kMaxCapturedOutput);
    std::size_t n = static_cast<std::size_t>(got);
    out.text.append(buf, std::min(n, room));
    out.truncated = out.truncated || n > room;
    return true;
}

// The parent's side of one hook run: stdin fed, output captured, the exit
// watched through the pidfd, all in one poll loop so a hook that writes a
// lot before reading (or never reads) cannot deadlock us.
class HookIo {
public:
    HookIo(UniqueFd in, UniqueFd out, UniqueFd err, std::string_view state)
        : in_(std::move(in)), out_(std::move(out)), err_(std::move(err)), state_(state) {
        for (const UniqueFd* fd : {&in_, &out_, &err_}) ::fcntl(fd->get(), F_SETFL, O_NONBLOCK);
        if (state_.empty()) in_.reset();
    }

    // True when the process exited, false when the deadline passed first.
    bool run(int pidfd, std::optional<Clock::time_point> deadline) {
        SigpipeBlock no_sigpipe;
        while (true) {
            std::array<pollfd, 4> fds = {{{pidfd, POLLIN, 0},
                                          {in_.valid() ? in_.get() : -1, POLLOUT, 0},
                                          {out_.valid() ? out_.get() : -1, POLLIN, 0},
                                          {err_.valid() ? err_.get() : -1, POLLIN, 0}}};
            int n = ::poll(fds.data(), fds.size(), timeout_ms(deadline));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw_errno(errno, "poll a hook");
            if (n == 0) return false;
            if (fds[1].revents != 0) feed();
            if (fds[2].revents != 0 && !read_some(out_.get(), stdout_)) out_.reset();
            if (fds[3].revents != 0 && !read_some(err_.get(), stderr_)) err_.reset();
            if (fds[0].revents != 0) {
                drain();
                return true;
            }
        }
    }

    const Output& stdout_text() const { return stdout_; }
    const Output& stderr_text() const { return stderr_; }

private:
    static int timeout_ms(std::optional<Clock::time_point> deadline) {
        if (!deadline) return -1;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
        return static_cast<int>(std::clamp<decltype(left)>(left + 1, 0, 24 * 3600 * 1000));
    }

    // Writes the next piece of the state; EPIPE (the hook closed its stdin
    // or exited) just ends the feeding, as runc ignores it.
    void feed() {
        ssize_t n = ::write(in_.get(), state_.data(), state_.size());
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n > 0) state_.remove_prefix(static_cast<std::size_t>(n));
        if (n < 0 || state_.empty()) in_.reset();
    }

    // After the exit: what is already in the pipes, without waiting for a
    // process the hook left behind that may hold them open.
    void drain() {
        while (out_.valid() && read_some(out_.get(), stdout_)) {
        }
        while (err_.valid() && read_some(err_.get(), stderr_)) {
        }
    }

    UniqueFd in_, out_, err_;
    std::string_view state_;
    Output stdout_, stderr_;
};

std::string describe_status(int status) {
    if (WIFEXITED(status)) return fmt::format("exit status {}", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return fmt::format("killed by {}", util::signal_name(WTERMSIG(status)));
    return "ended abnormally";
}

std::string describe_output(const HookIo& io) {
    auto text = [](const Output& o) {
        std::string t = o.text;
        while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
        return o.truncated ? t + "..." : t;
    };
    std::string out;
    if (!io.stdout_text().text.empty()) out += ", stdout: " + text(io.stdout_text());
    if (!io.stderr_text().text.empty()) out += ", stderr: " + text(io.stderr_text());
    return out;
}

// Reads execve's errno from the child; 0 when the exec succeeded (the pipe
// closed at exec with no data).
int exec_error(int fd) {
    int err = 0;
    ssize_t n;
    while ((n = ::read(fd, &err, sizeof err)) < 0 && errno == EINTR) {
    }
    return n == static_cast<ssize_t>(sizeof err) ? err : 0;
}

std::string format_timeout(std::chrono::milliseconds timeout) {
    return fmt::format("{}s", static_cast<double>(timeout.count()) / 1000.0);
}

}  // namespace

void run_hook(const HookSpec& hook, std::string_view state_json, std::string_view kind, std::size_t index) {
    std::string what = fmt::format("{} hook #{} {}", kind, index, util::quote(hook.path));
    with_context(what, [&] {
        ExecArgs exec(hook);
        Pipe in = make_pipe(), out = make_pipe(), err = make_pipe(), exec_err = make_pipe();
        ChildFds fds{in.read.get(), out.write.get(), err.write.get(), exec_err.write.get()};
        // Killed and reaped by its destructor if anything below throws.
        sys::ChildProcess child = sys::clone_child(0, -1, [&]() -> int { exec_hook(hook.path, exec, fds); });
        in.read.reset();
        out.write.reset();
        err.write.reset();
        exec_err.write.reset();
        if (int e = exec_error(exec_err.read.get()); e != 0) {
            child.wait();
            throw_errno(e, "exec");
        }
        std::optional<Clock::time_point> deadline;
        if (hook.timeout) deadline = Clock::now() + *hook.timeout;
        HookIo io(std::move(in.write), std::move(out.read), std::move(err.read), state_json);
        bool exited = io.run(child.pidfd(), deadline);
        if (!exited) ::syscall(SYS_pidfd_send_signal, child.pidfd(), SIGKILL, nullptr, 0);
        int status = child.wait();
        if (!exited) throw_error("timed out after {}{}", format_timeout(*hook.timeout), describe_output(io));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            throw_error("{}{}", describe_status(status), describe_output(io));
        }
    });
}

// runc runs a hook with Go's exec.Cmd{Env: hook.Env}, and a nil Env there
// means the caller's environment: engines' hooks without "env" (dockerd's
// libnetwork-setkey among them) have always seen the runtime's PATH and
// the rest. "env": [] stays empty, as it does in runc.
std::vector<std::string> runtime_environment() {
    std::vector<std::string> out;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) out.emplace_back(*e);
    return out;
}

void run_hooks(const std::vector<HookSpec>& hooks, std::string_view kind, std::string_view state_json) {
    for (std::size_t i = 0; i < hooks.size(); ++i) run_hook(hooks[i], state_json, kind, i);
}

HookSpec hook_spec(const oci::Hook& hook) {
    HookSpec spec{hook.path, hook.args.value_or(std::vector<std::string>{}),
                  hook.env ? *hook.env : runtime_environment(), std::nullopt};
    if (hook.timeout) spec.timeout = std::chrono::seconds(*hook.timeout);
    return spec;
}

void run_hooks(const std::vector<oci::Hook>& hooks, std::string_view kind, std::string_view state_json) {
    for (std::size_t i = 0; i < hooks.size(); ++i) run_hook(hook_spec(hooks[i]), state_json, kind, i);
}

void run_hooks_warning_on_failure(const std::vector<oci::Hook>& hooks, std::string_view kind,
                                  std::string_view state_json, const util::Logger& log) {
    for (std::size_t i = 0; i < hooks.size(); ++i) {
        try {
            run_hook(hook_spec(hooks[i]), state_json, kind, i);
        } catch (const Error& e) {
            log.warning(e.what());
        }
    }
}

}  // namespace hull::core
