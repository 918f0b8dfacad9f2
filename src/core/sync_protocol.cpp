#include "core/sync_protocol.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "linux/scm_rights.hpp"
#include "util/error.hpp"

namespace hull::core {
namespace {

// The first packet of every message; the payload follows it, continued in
// packets that carry nothing else.
struct Header {
    std::uint32_t type;
    std::int32_t err;
    std::int32_t exit_status;
    std::uint32_t reserved;
    std::uint64_t payload_size;
};

struct Transition {
    SyncPhase from;
    SyncType type;
    SyncSide sender;
    SyncPhase to;
};

using P = SyncPhase;
using T = SyncType;
constexpr SyncSide kParent = SyncSide::parent;
constexpr SyncSide kChild = SyncSide::child;

// The tables of sync_protocol.hpp, one row per allowed message.
constexpr Transition kCreate[] = {
    {P::start, T::bind_source, kParent, P::bind_source},
    {P::bind_source, T::bind_source, kParent, P::bind_source},
    {P::bind_source, T::parent_setup_done, kParent, P::parent_setup_done},
    {P::start, T::parent_setup_done, kParent, P::parent_setup_done},
    {P::parent_setup_done, T::mounts_ready, kChild, P::mounts_ready},
    {P::mounts_ready, T::continue_setup, kParent, P::continue_setup},
    {P::continue_setup, T::console_master, kChild, P::console_master},
    {P::continue_setup, T::seccomp_listener, kChild, P::seccomp_listener},
    {P::continue_setup, T::ready, kChild, P::ready},
    {P::console_master, T::seccomp_listener, kChild, P::seccomp_listener},
    {P::console_master, T::ready, kChild, P::ready},
    {P::seccomp_listener, T::seccomp_listener_done, kParent, P::seccomp_listener_done},
    {P::seccomp_listener_done, T::ready, kChild, P::ready},
};

constexpr Transition kExec[] = {
    {P::start, T::parent_setup_done, kParent, P::parent_setup_done},
    {P::parent_setup_done, T::console_master, kChild, P::console_master},
    {P::parent_setup_done, T::seccomp_listener, kChild, P::seccomp_listener},
    {P::console_master, T::seccomp_listener, kChild, P::seccomp_listener},
    {P::seccomp_listener, T::seccomp_listener_done, kParent, P::seccomp_listener_done},
};

std::string_view side_name(SyncSide side) { return side == SyncSide::parent ? "parent" : "child"; }

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
        case SyncType::bind_source: return "bind_source";
    }
    return "unknown";
}

std::string_view sync_phase_name(SyncPhase phase) {
    switch (phase) {
        case SyncPhase::start: return "start";
        case SyncPhase::bind_source: return "bind_source";
        case SyncPhase::parent_setup_done: return "parent_setup_done";
        case SyncPhase::mounts_ready: return "mounts_ready";
        case SyncPhase::continue_setup: return "continue_setup";
        case SyncPhase::console_master: return "console_master";
        case SyncPhase::seccomp_listener: return "seccomp_listener";
        case SyncPhase::seccomp_listener_done: return "seccomp_listener_done";
        case SyncPhase::ready: return "ready";
        case SyncPhase::failed: return "failed";
    }
    return "unknown";
}

std::optional<SyncPhase> next_sync_phase(SyncProtocol protocol, SyncPhase phase, SyncType type, SyncSide sender) {
    // The child may fail at any step before it is done; nothing follows.
    if (type == SyncType::error) {
        bool open = phase != SyncPhase::failed && phase != SyncPhase::ready;
        return sender == SyncSide::child && open ? std::optional(SyncPhase::failed) : std::nullopt;
    }
    auto matches = [&](const Transition& t) { return t.from == phase && t.type == type && t.sender == sender; };
    const Transition* begin = protocol == SyncProtocol::create ? std::begin(kCreate) : std::begin(kExec);
    const Transition* end = protocol == SyncProtocol::create ? std::end(kCreate) : std::end(kExec);
    const Transition* found = std::find_if(begin, end, matches);
    if (found == end) return std::nullopt;
    return found->to;
}

std::pair<SyncSocket, SyncSocket> SyncSocket::make_pair(SyncProtocol protocol) {
    int fds[2];
    check(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), "socketpair for the sync socket");
    return {SyncSocket(UniqueFd(fds[0]), protocol, SyncSide::parent),
            SyncSocket(UniqueFd(fds[1]), protocol, SyncSide::child)};
}

void SyncSocket::advance(SyncType type, SyncSide sender) const {
    auto next = next_sync_phase(protocol_, phase_, type, sender);
    if (!next) {
        throw_error("sync socket: {} from the {} is out of order after {}", sync_type_name(type), side_name(sender),
                    sync_phase_name(phase_));
    }
    phase_ = *next;
}

void SyncSocket::send_error(const Error& error) const {
    send_message(SyncType::error, error.message(), -1, error.error_number(), error.exit_status());
}

void SyncSocket::send(SyncType type, std::string_view payload, int fd) const {
    send_message(type, payload, fd, 0, 1);
}

void SyncSocket::send_message(SyncType type, std::string_view payload, int fd, std::int32_t err,
                              std::int32_t exit_status) const {
    if (payload.size() > kSyncMaxPayload) {
        throw_error("sync socket: a {} payload of {} bytes is over the {} byte limit", sync_type_name(type),
                    payload.size(), kSyncMaxPayload);
    }
    advance(type, side_);
    Header header{static_cast<std::uint32_t>(type), err, exit_status, 0, payload.size()};
    std::size_t first = std::min(payload.size(), kSyncPacket - sizeof header);
    std::size_t offset = 0;
    do {
        std::size_t len = offset == 0 ? first : std::min(payload.size() - offset, kSyncPacket);
        iovec iov[2] = {{&header, sizeof header}, {const_cast<char*>(payload.data() + offset), len}};
        msghdr msg{};
        msg.msg_iov = offset == 0 ? iov : iov + 1;
        msg.msg_iovlen = offset == 0 ? 2 : 1;
        sys::ScmRights rights;
        if (fd >= 0 && offset == 0) rights.attach(msg, fd);
        while (::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL) < 0) {
            if (errno != EINTR) throw_errno(errno, "send {} on the sync socket", sync_type_name(type));
        }
        offset += len;
    } while (offset < payload.size());
}

namespace {

// One packet into buf; 0 at end of file. A packet longer than buf, or
// ancillary data cut short, is an error: nothing is silently dropped.
std::size_t receive_packet(int fd, char* buf, std::size_t size, UniqueFd* passed_fd) {
    iovec iov{buf, size};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) < 0) {
        if (errno != EINTR) throw_errno(errno, "receive on the sync socket");
    }
    UniqueFd received;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int passed;
            std::memcpy(&passed, CMSG_DATA(c), sizeof passed);
            received.reset(passed);
        }
    }
    if (msg.msg_flags & MSG_TRUNC) throw_error("sync socket: a packet longer than {} bytes was truncated", size);
    if (msg.msg_flags & MSG_CTRUNC) throw_error("sync socket: the fds passed with a message were truncated");
    if (received && passed_fd == nullptr) throw_error("sync socket: an fd came with a payload continuation");
    if (passed_fd != nullptr) *passed_fd = std::move(received);
    return static_cast<std::size_t>(n);
}

}  // namespace

void SyncSocket::receive_rest(std::string& payload, std::size_t size) const {
    std::vector<char> buf(kSyncPacket);
    while (payload.size() < size) {
        std::size_t n = receive_packet(fd_.get(), buf.data(), buf.size(), nullptr);
        if (n == 0) throw_error("sync socket: the peer closed its end in the middle of a message");
        if (payload.size() + n > size) throw_error("sync socket: a message is longer than its header says");
        payload.append(buf.data(), n);
    }
}

std::optional<SyncMessage> SyncSocket::receive() const {
    std::vector<char> buf(kSyncPacket);
    SyncMessage out;
    std::size_t n = receive_packet(fd_.get(), buf.data(), buf.size(), &out.fd);
    if (n == 0) return std::nullopt;
    if (n < sizeof(Header)) throw_error("sync socket: short message of {} bytes", n);
    Header header;
    std::memcpy(&header, buf.data(), sizeof header);
    if (header.payload_size > kSyncMaxPayload || n - sizeof header > header.payload_size) {
        throw_error("sync socket: a message says its payload is {} bytes", header.payload_size);
    }
    out.type = static_cast<SyncType>(header.type);
    advance(out.type, side_ == SyncSide::parent ? SyncSide::child : SyncSide::parent);
    out.err = header.err;
    out.exit_status = header.exit_status;
    out.payload.reserve(header.payload_size);
    out.payload.assign(buf.data() + sizeof header, n - sizeof header);
    receive_rest(out.payload, header.payload_size);
    return out;
}

SyncMessage expect_message(const SyncSocket& socket, SyncType expected) {
    return expect_message(socket, expected, expected);
}

SyncMessage expect_message(const SyncSocket& socket, SyncType expected, SyncType or_else) {
    std::string names(sync_type_name(expected));
    if (or_else != expected) names += fmt::format(" or {}", sync_type_name(or_else));
    auto msg = socket.receive();
    if (!msg) throw_error("the process exited before sending {}", names);
    if (msg->type == SyncType::error) throw Error(msg->err, msg->payload).set_exit_status(msg->exit_status);
    if (msg->type != expected && msg->type != or_else) {
        throw_error("sync socket: expected {}, got {}", names, sync_type_name(msg->type));
    }
    return std::move(*msg);
}

}  // namespace hull::core
