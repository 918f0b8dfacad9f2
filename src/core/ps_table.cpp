#include "core/ps_table.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "linux/child_process.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/unique_fd.hpp"

namespace hull::core {
namespace {

// Runs ps(1) with args and returns its output. ps is looked up in the
// usual places, not through PATH (engines may pass none).
std::string run_ps(const std::vector<std::string>& ps_args) {
    const char* ps = ::access("/usr/bin/ps", X_OK) == 0 ? "/usr/bin/ps" : "/bin/ps";
    int pipe_fds[2];
    check(::pipe2(pipe_fds, O_CLOEXEC), "pipe for ps");
    UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
    std::vector<char*> argv{const_cast<char*>("ps")};
    for (const auto& a : ps_args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    // Killed and reaped by its destructor if reading its output throws.
    sys::ChildProcess child(check(::fork(), "fork ps"), UniqueFd());
    if (child.pid() == 0) {
        ::dup2(write_end.get(), STDOUT_FILENO);
        ::execv(ps, argv.data());
        ::_exit(127);
    }
    write_end.reset();
    std::string out = util::read_fd(read_end.get(), 64 << 20, "ps output");
    int status = child.wait();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw_error("ps {} failed (status {})", fmt::join(ps_args, " "), status);
    return out;
}

// runc's table: ps's header, then its lines whose PID column is one of ours.
}  // namespace

std::string ps_table(const std::vector<pid_t>& pids, const std::vector<std::string>& ps_args) {
    auto lines = util::split(run_ps(ps_args.empty() ? std::vector<std::string>{"-ef"} : ps_args), '\n');
    if (lines.empty()) return "";
    auto header = util::split(lines[0], ' ');
    header.erase(std::remove(header.begin(), header.end(), ""), header.end());
    auto column = std::find(header.begin(), header.end(), "PID");
    if (column == header.end()) throw_error("ps: its output has no PID column");
    std::size_t index = static_cast<std::size_t>(column - header.begin());
    std::string out = lines[0] + "\n";
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto fields = util::split(lines[i], ' ');
        fields.erase(std::remove(fields.begin(), fields.end(), ""), fields.end());
        if (fields.size() <= index) continue;
        auto pid = util::parse_i64(fields[index]);
        if (pid && std::find(pids.begin(), pids.end(), *pid) != pids.end()) out += lines[i] + "\n";
    }
    return out;
}

}  // namespace hull::core
