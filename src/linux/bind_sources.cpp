#include "linux/bind_sources.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>

#include <fmt/format.h>

#include "linux/clone.hpp"
#include "linux/console.hpp"
#include "linux/mount_options.hpp"
#include "linux/namespaces.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

// The helper's exit status when it could not join the init's mount
// namespace; else 0, or the errno of the first source it could not open.
constexpr int kJoinFailed = 255;

bool host_opens(const oci::Mount& m) {
    const auto& words = m.options.value_or(std::vector<std::string>{});
    if (!is_bind_mount(m.type.value_or(""), words)) return false;
    MountOptions opts = parse_mount_options(words);
    return !opts.idmap && m.uid_mappings.empty() && m.gid_mappings.empty() && !opts.tmpcopyup;
}

// Joining a mount namespace moves the working directory to its root: a
// relative source is made absolute first, from the directory the init
// inherited.
std::string absolute_source(const oci::Mount& m) {
    std::string source = m.source.value_or("");
    if (source.starts_with('/')) return source;
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd) == nullptr) {
        throw_errno(errno, "getcwd for the relative source {}", util::quote(source));
    }
    return fmt::format("{}/{}", cwd, source);
}

// The helper, in the init's mount namespace: each source opened and sent
// in order, stopping at the first that fails.
int open_and_send(int socket_fd, int init_pidfd, pid_t init_pid, const std::vector<std::string>& paths) {
    try {
        join_namespaces_of(init_pidfd, init_pid, CLONE_NEWNS);
    } catch (const Error&) {
        return kJoinFailed;
    }
    for (const auto& path : paths) {
        UniqueFd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
        if (!fd) return errno;
        send_fd(socket_fd, fd.get(), path);
    }
    return 0;
}

int exit_status(ChildProcess& helper) {
    int status = helper.wait();
    return WIFEXITED(status) ? WEXITSTATUS(status) : kJoinFailed;
}

[[noreturn]] void throw_open_failure(const oci::Spec& spec, std::size_t index, int status) {
    const oci::Mount& m = spec.mounts[index];
    std::string what = fmt::format("mounts[{}] {} on {}", index, util::quote(m.source.value_or("")),
                                   util::quote(m.destination));
    if (status == kJoinFailed || status == 0) {
        throw_error("{}: could not open the source in the container's mount namespace", what);
    }
    throw_errno(status, "{}: open the source in the container's mount namespace", what);
}

}  // namespace

std::vector<std::size_t> host_opened_binds(const oci::Spec& spec) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
        if (host_opens(spec.mounts[i])) out.push_back(i);
    }
    return out;
}

std::vector<BindSource> open_bind_sources(const oci::Spec& spec, int init_pidfd, pid_t init_pid) {
    std::vector<std::size_t> indexes = host_opened_binds(spec);
    if (indexes.empty()) return {};
    std::vector<std::string> paths;
    for (std::size_t i : indexes) paths.push_back(absolute_source(spec.mounts[i]));
    int fds[2];
    check(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), "socketpair for the bind source helper");
    UniqueFd ours(fds[0]), theirs(fds[1]);
    ChildProcess helper = clone_child(0, -1, [&] {
        ours.reset();
        return open_and_send(theirs.get(), init_pidfd, init_pid, paths);
    });
    theirs.reset();
    std::vector<BindSource> out;
    for (std::size_t i : indexes) {
        try {
            out.push_back(BindSource{i, recv_fd(ours.get())});
        } catch (const Error&) {
            ours.reset();  // a helper still sending fails (EPIPE) and exits
            throw_open_failure(spec, i, exit_status(helper));
        }
    }
    if (int status = exit_status(helper); status != 0) throw_open_failure(spec, indexes.back(), status);
    return out;
}

}  // namespace hull::sys
