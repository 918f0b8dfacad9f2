#include "core/notify_socket.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "linux/console.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

constexpr std::string_view kEnvPrefix = "NOTIFY_SOCKET=";
constexpr const char* kSocketName = "notify.sock";
// sd_notify_barrier(3)'s default; runc waits as long, then warns.
constexpr int kBarrierTimeoutMs = 30'000;

struct UnixAddress {
    sockaddr_un addr{};
    socklen_t len = 0;
};

// A path, or "@name" for the abstract namespace (as systemd and Go write it).
UnixAddress unix_address(const std::string& name) {
    UnixAddress out;
    out.addr.sun_family = AF_UNIX;
    if (name.empty() || name.size() >= sizeof out.addr.sun_path) {
        throw_error("socket address {}: expected 1 to {} bytes", util::quote(name), sizeof out.addr.sun_path - 1);
    }
    std::memcpy(out.addr.sun_path, name.data(), name.size());
    if (name[0] == '@') out.addr.sun_path[0] = '\0';
    out.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (name[0] == '@' ? 0 : 1));
    return out;
}

UniqueFd datagram_socket() {
    UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno(errno, "socket");
    return fd;
}

UniqueFd connect_host(const std::string& host_socket) {
    UniqueFd fd = datagram_socket();
    UnixAddress a = unix_address(host_socket);
    check(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a.addr), a.len), "connect");
    return fd;
}

// Bound through /proc/self/fd/N of the directory: the state root may be
// deeper than sun_path's 108 bytes allow. 0777 as in runc: the container's
// process may run as any user.
UniqueFd bind_container_socket(int dir_fd) {
    if (::unlinkat(dir_fd, kSocketName, 0) < 0 && errno != ENOENT) throw_errno(errno, "remove a stale {}", kSocketName);
    UniqueFd fd = datagram_socket();
    UnixAddress a = unix_address(fmt::format("/proc/self/fd/{}/{}", dir_fd, kSocketName));
    check(::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a.addr), a.len), "bind {}", kSocketName);
    check(::fchmodat(dir_fd, kSocketName, 0777, 0), "chmod {}", kSocketName);
    return fd;
}

void send_to_host(int host, std::string_view message) {
    if (::send(host, message.data(), message.size(), MSG_NOSIGNAL) < 0) throw_errno(errno, "send to NOTIFY_SOCKET");
}

// sd_notify_barrier(3): the write end of a pipe goes with BARRIER=1; the
// manager closes it once it has processed everything sent before.
void wait_barrier(int host, const util::Logger& log) {
    int fds[2];
    check(::pipe2(fds, O_CLOEXEC), "pipe for BARRIER=1");
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    sys::send_fd(host, write_end.get(), "BARRIER=1");
    write_end.reset();
    pollfd p{read_end.get(), POLLIN, 0};
    int n;
    while ((n = ::poll(&p, 1, kBarrierTimeoutMs)) < 0 && errno == EINTR) {
    }
    if (n == 0) log.warning(fmt::format("NOTIFY_SOCKET: no answer to BARRIER=1 after {} s", kBarrierTimeoutMs / 1000));
}

struct ContainerMessage {
    std::string relayed;  // the lines to pass on, MAINPID= dropped
    bool ready = false;
};

ContainerMessage parse_message(std::string_view datagram) {
    ContainerMessage out;
    for (const std::string& line : util::split(datagram, '\n')) {
        if (line.empty() || line.starts_with("MAINPID=")) continue;
        if (line == "READY=1") out.ready = true;
        out.relayed.append(line).push_back('\n');
    }
    return out;
}

}  // namespace

sys::DetachedMount prepare_notify_socket(oci::Spec& spec, const ContainerDir& dir) {
    std::string path = dir.file("notify");
    check(::mkdir(path.c_str(), 0755), "create {}", path);
    check(::chmod(path.c_str(), 0755), "chmod {}", path);  // not left to the umask
    auto& env = spec.process->env;
    std::erase_if(env, [](const std::string& e) { return e.starts_with(kEnvPrefix); });
    env.push_back(std::string(kEnvPrefix) + kContainerNotifySocket);
    UniqueFd tree = sys::clone_mount_tree(path, false);
    sys::set_tree_attributes(tree.get(), MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                             0, false);
    return sys::DetachedMount{sys::DetachedMount::kExtraMount, "/run/notify", std::move(tree)};
}

std::optional<NotifyRelay> NotifyRelay::open(const ContainerDir& dir, const std::string& host_socket,
                                             const util::Logger& log) {
    UniqueFd dir_fd(::openat(dir.fd(), "notify", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir_fd && errno == ENOENT) return std::nullopt;  // created without NOTIFY_SOCKET
    if (!dir_fd) throw_errno(errno, "open {}", dir.file("notify"));
    UniqueFd host;
    try {
        host = connect_host(host_socket);
    } catch (const Error& e) {
        log.warning(fmt::format("NOTIFY_SOCKET {}: {}; the container's notifications are not relayed",
                                util::quote(host_socket), e.what()));
        return std::nullopt;
    }
    return NotifyRelay(bind_container_socket(dir_fd.get()), std::move(host));
}

bool NotifyRelay::relay_one(pid_t main_pid, const util::Logger& log) const {
    char buf[4096];  // sd_notify messages are small; the kernel drops the excess of a longer one
    ssize_t n = ::recv(socket_.get(), buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return false;
        throw_errno(errno, "read the container's notify socket");
    }
    ContainerMessage msg = parse_message(std::string_view(buf, static_cast<std::size_t>(n)));
    if (msg.relayed.empty()) return false;
    if (msg.ready) msg.relayed += fmt::format("MAINPID={}\n", main_pid);
    try {
        send_to_host(host_.get(), msg.relayed);
        if (msg.ready) wait_barrier(host_.get(), log);
    } catch (const Error& e) {
        // The container is running: a manager that went away is its problem, not a failed start.
        log.warning(fmt::format("NOTIFY_SOCKET: {}; relaying stops", e.what()));
        return true;
    }
    return msg.ready;
}

void NotifyRelay::relay_until_ready(int init_pidfd, pid_t main_pid, const util::Logger& log) const {
    while (init_pidfd >= 0) {
        pollfd fds[2] = {{socket_.get(), POLLIN, 0}, {init_pidfd, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "wait for the container's notifications");
        }
        if ((fds[0].revents & POLLIN) && relay_one(main_pid, log)) return;
        if (fds[1].revents & (POLLIN | POLLHUP)) break;
    }
    // The init exited (or was gone already) without READY=1: what it sent
    // is relayed, there is nothing more to wait for.
    pollfd pending{socket_.get(), POLLIN, 0};
    while (::poll(&pending, 1, 0) > 0 && (pending.revents & POLLIN)) {
        if (relay_one(main_pid, log)) return;
    }
}

}  // namespace hull::core
