#include "core/hooks.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include "linux/clone.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

constexpr std::size_t kMaxCapturedOutput = 16 * 1024;

struct Pipe {
    UniqueFd read, write;
};

Pipe make_pipe() {
    int fds[2];
    check(::pipe2(fds, O_CLOEXEC), "pipe for a hook");
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
    std::vector<char*> out;
    for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// The hook's process: stdin from the state pipe, stderr to the capture
// pipe, nothing else open, exactly the hook's env.
[[noreturn]] void exec_hook(const oci::Hook& hook, int stdin_fd, int stderr_fd) {
    ::dup2(stdin_fd, 0);
    ::dup2(stderr_fd, 1);
    ::dup2(stderr_fd, 2);
    ::syscall(SYS_close_range, 3, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<std::string> args = hook.args && !hook.args->empty() ? *hook.args : std::vector<std::string>{hook.path};
    std::vector<std::string> env = hook.env.value_or(std::vector<std::string>{});
    ::execve(hook.path.c_str(), c_strings(args).data(), c_strings(env).data());
    ::_exit(127);
}

std::int64_t now_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1'000'000;
}

void read_some(int fd, std::string& output, bool& open) {
    char buf[4096];
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got <= 0) {
        open = open && got < 0 && (errno == EINTR || errno == EAGAIN);
        return;
    }
    if (output.size() < kMaxCapturedOutput) output.append(buf, static_cast<std::size_t>(got));
}

// Reads the hook's output until it exits or the deadline passes; false on
// timeout. Output still buffered when it exits is drained without waiting
// (a process the hook left behind may hold the pipe open).
bool collect(int pidfd, int output_fd, std::int64_t deadline_ms, std::string& output) {
    bool output_open = true;
    while (true) {
        int timeout = deadline_ms < 0 ? -1 : static_cast<int>(std::max<std::int64_t>(0, deadline_ms - now_ms()));
        pollfd fds[2] = {{pidfd, POLLIN, 0}, {output_open ? output_fd : -1, POLLIN, 0}};
        int n = ::poll(fds, 2, timeout);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) return false;
        if (fds[1].revents & (POLLIN | POLLHUP)) read_some(output_fd, output, output_open);
        if (fds[0].revents & POLLIN) {
            ::fcntl(output_fd, F_SETFL, O_NONBLOCK);
            while (output_open) read_some(output_fd, output, output_open);
            return true;
        }
    }
}

// Writes the state to the hook's stdin. A hook that does not read it must
// not kill us with SIGPIPE: the signal is blocked and consumed, never
// ignored (an ignored SIGPIPE would be inherited by the container).
void feed_state(int fd, std::string_view state_json) {
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    ::sigprocmask(SIG_BLOCK, &pipe_set, &old);
    [[maybe_unused]] ssize_t ignored = ::write(fd, state_json.data(), state_json.size());
    timespec zero{};
    ::sigtimedwait(&pipe_set, nullptr, &zero);
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return fmt::format("exit status {}", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
    return "ended abnormally";
}

}  // namespace

void run_hook(const oci::Hook& hook, std::string_view state_json, std::string_view kind, std::size_t index) {
    std::string what = fmt::format("{} hook #{} {}", kind, index, util::quote(hook.path));
    Pipe input = make_pipe();
    Pipe output = make_pipe();
    sys::ClonedProcess child = sys::clone_child(0, -1, [&]() -> int { exec_hook(hook, input.read.get(), output.write.get()); });
    input.read.reset();
    output.write.reset();
    ::fcntl(input.write.get(), F_SETFL, O_NONBLOCK);  // a hook that never reads cannot block us
    feed_state(input.write.get(), state_json);
    input.write.reset();

    std::string captured;
    std::int64_t deadline = hook.timeout ? now_ms() + *hook.timeout * 1000 : -1;
    bool finished = collect(child.pidfd.get(), output.read.get(), deadline, captured);
    if (!finished) ::syscall(SYS_pidfd_send_signal, child.pidfd.get(), SIGKILL, nullptr, 0);
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    while (!captured.empty() && (captured.back() == '\n' || captured.back() == ' ')) captured.pop_back();
    std::string tail = captured.empty() ? "" : fmt::format(": {}", captured);
    if (!finished) throw_error("{}: timed out after {}s{}", what, *hook.timeout, tail);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && captured.empty()) {
            throw_error("{}: could not be executed (exit status 127)", what);
        }
        throw_error("{}: {}{}", what, describe_status(status), tail);
    }
}

void run_hooks(const std::vector<oci::Hook>& hooks, std::string_view kind, std::string_view state_json) {
    for (std::size_t i = 0; i < hooks.size(); ++i) run_hook(hooks[i], state_json, kind, i);
}

}  // namespace hull::core
