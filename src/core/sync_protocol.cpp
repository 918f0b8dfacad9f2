#include "core/sync_protocol.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "linux/scm_rights.hpp"
#include "util/error.hpp"

namespace hull::core {
namespace {

struct Header {
    std::uint32_t type;
    std::int32_t err;
    std::int32_t exit_status;
};

constexpr std::size_t kMaxMessage = 64 * 1024;

}  // namespace

std::string_view sync_type_name(SyncType type) {
    switch (type) {
        case SyncType::parent_setup_done: return "parent_setup_done";
        case SyncType::mounts_ready: return "mounts_ready";
        case SyncType::continue_setup: return "continue_setup";
        case SyncType::console_master: return "console_master";
        case SyncType::seccomp_listener: return "seccomp_listener";
        case SyncType::seccomp_listener_done: return "seccomp_listener_done";
        case SyncType::ready: return "ready";
        case SyncType::error: return "error";
    }
    return "unknown";
}

std::pair<SyncSocket, SyncSocket> SyncSocket::make_pair() {
    int fds[2];
    check(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), "socketpair for the init sync socket");
    return {SyncSocket(UniqueFd(fds[0])), SyncSocket(UniqueFd(fds[1]))};
}

void SyncSocket::send_error(const Error& error) const {
    send_message(SyncType::error, error.message(), -1, error.error_number(), error.exit_status());
}

void SyncSocket::send(SyncType type, std::string_view payload, int fd) const {
    send_message(type, payload, fd, 0, 1);
}

void SyncSocket::send_message(SyncType type, std::string_view payload, int fd, std::int32_t err,
                              std::int32_t exit_status) const {
    if (payload.size() + sizeof(Header) > kMaxMessage) {
        payload = payload.substr(0, kMaxMessage - sizeof(Header));
    }
    Header header{static_cast<std::uint32_t>(type), err, exit_status};
    iovec iov[2] = {{&header, sizeof header}, {const_cast<char*>(payload.data()), payload.size()}};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    sys::ScmRights rights;
    if (fd >= 0) rights.attach(msg, fd);
    while (::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL) < 0) {
        if (errno != EINTR) throw_errno(errno, "send {} on the init sync socket", sync_type_name(type));
    }
}

std::optional<SyncMessage> SyncSocket::receive() const {
    std::vector<char> buf(kMaxMessage);
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(fd_.get(), &msg, MSG_CMSG_CLOEXEC)) < 0) {
        if (errno != EINTR) throw_errno(errno, "receive on the init sync socket");
    }
    if (n == 0) return std::nullopt;
    SyncMessage out;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
            out.fd.reset(fd);
        }
    }
    if (static_cast<std::size_t>(n) < sizeof(Header)) throw_error("init sync socket: short message of {} bytes", n);
    Header header;
    std::memcpy(&header, buf.data(), sizeof header);
    out.type = static_cast<SyncType>(header.type);
    out.err = header.err;
    out.exit_status = header.exit_status;
    out.payload.assign(buf.data() + sizeof header, static_cast<std::size_t>(n) - sizeof header);
    return out;
}

SyncMessage expect_message(const SyncSocket& socket, SyncType expected) {
    auto msg = socket.receive();
    if (!msg) throw_error("container init exited before sending {}", sync_type_name(expected));
    if (msg->type == SyncType::error) throw Error(msg->err, msg->payload).set_exit_status(msg->exit_status);
    if (msg->type != expected) {
        throw_error("init sync socket: expected {}, got {}", sync_type_name(expected), sync_type_name(msg->type));
    }
    return std::move(*msg);
}

}  // namespace hull::core
