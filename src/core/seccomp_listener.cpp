#include "core/seccomp_listener.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <cstring>

#include "linux/scm_rights.hpp"
#include "oci/json.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

// How long connect and send may wait for an agent whose backlog or socket
// buffer is full: an AF_UNIX stream connect blocks for SO_SNDTIMEO.
constexpr timeval kAgentTimeout{5, 0};

UniqueFd connect_agent(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path) {
        throw_error("{} is not a usable unix socket path", util::quote(path));
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno(errno, "socket");
    check(::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &kAgentTimeout, sizeof kAgentTimeout), "SO_SNDTIMEO");
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
        throw_errno(errno, "connect to the seccomp agent at {}", util::quote(path));
    }
    return fd;
}

// The first sendmsg carries the fd; what it did not take follows without
// one (the spec allows several sendmsg calls, fds in the first only).
void send_with_fd(int socket, std::string_view data, int fd) {
    sys::ScmRights rights;
    bool fd_sent = false;
    while (!data.empty()) {
        iovec iov{const_cast<char*>(data.data()), data.size()};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (!fd_sent) rights.attach(msg, fd);
        ssize_t n = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "send the container process state to the seccomp agent");
        }
        fd_sent = true;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

std::string container_process_state(const oci::State& state, pid_t pid, const std::optional<std::string>& metadata) {
    oci::json::Writer w;
    w.begin_object();
    w.key("ociVersion").string(state.oci_version);
    w.key("fds").begin_array().string("seccompFd").end_array();
    w.key("pid").integer(pid);
    if (metadata) w.key("metadata").string(*metadata);
    w.key("state");
    oci::write_state(w, state);
    w.end_object();
    return w.str();
}

void send_seccomp_listener(const oci::Seccomp& seccomp, UniqueFd listener, const oci::State& state, pid_t pid) {
    std::string path = seccomp.listener_path.value_or("");
    with_context("linux.seccomp.listenerPath", [&] {
        UniqueFd socket = connect_agent(path);
        send_with_fd(socket.get(), container_process_state(state, pid, seccomp.listener_metadata), listener.get());
    });
}

}  // namespace hull::core
