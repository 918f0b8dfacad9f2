// The protocol between hull (the parent: `create` or `exec`) and the
// process it cloned (the child: the container's init, or the process
// `exec` starts), over a SOCK_SEQPACKET socketpair.
//
// create (SyncProtocol::create):
//  step | sender | message              | what happens in between
//  -----+--------+----------------------+------------------------------------------------
//   0   | parent | bind_source + fd     | zero or more, in a user namespace with a mount
//       |        |                      | namespace of its own: payload the index of a
//       |        |                      | bind in spec.mounts, the fd its source, which
//       |        |                      | the host opened there (linux/bind_sources.hpp)
//   1   | parent | parent_setup_done    | the parent wrote uid_map/gid_map (new user
//       |        |                      | namespace) and moved the child into its cgroups;
//       |        |                      | the child may act as root and makes its cgroup
//       |        |                      | namespace (rooted at the container's cgroup)
//   2   | child  | mounts_ready         | namespaces joined, every mount made, before
//       |        |                      | pivot_root; the parent runs prestart and
//       |        |                      | createRuntime hooks (runtime namespace)
//   3   | parent | continue_setup       | payload: the state JSON for hooks; the child runs
//       |        |                      | createContainer hooks, pivots, sets up the process
//   4   | child  | console_master + fd  | only with process.terminal: the pty master, which
//       |        |                      | the parent passes on to --console-socket
//   5   | child  | seccomp_listener + fd| only when linux.seccomp notifies: the child
//       |        |                      | loaded the filter; the parent sends the fd and
//       |        |                      | the container process state to listenerPath
//   6   | parent | seccomp_listener_done| the agent has the fd; the child goes on
//   7   | child  | ready                | the child is blocked opening the exec FIFO;
//       |        |                      | the parent writes state.json and exits 0
//
// exec (SyncProtocol::exec):
//   1   | parent | parent_setup_done    | the parent put the child in the container's cgroups;
//       |        |                      | the child joins the container's namespaces
//   2   | child  | console_master + fd  | only with a terminal, as create's step 4
//   3   | child  | seccomp_listener + fd| only when the filter notifies, as create's step 5
//   4   | parent | seccomp_listener_done| as create's step 6
//   end | child  | (end of file)        | the child's execve closed its end (close-on-exec):
//       |        |                      | the process runs
//
//  any  | child  | error                | payload: the message, err: errno; the child exits
//
// Both ends track the protocol's phase (SyncPhase, the last message) and
// refuse a message that may not come next, or that comes from the wrong
// side, whether sending or receiving: a confused or compromised peer cannot
// skip a step. A payload of any size (the state JSON of a container with
// large annotations) is carried in packets of at most kSyncPacket bytes; a
// packet the receiver would truncate is an error, never silently cut.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace hull::core {

enum class SyncType : std::uint32_t {
    parent_setup_done = 1,
    mounts_ready,
    continue_setup,
    console_master,
    seccomp_listener,
    seccomp_listener_done,
    ready,
    error,
    bind_source,
};

std::string_view sync_type_name(SyncType type);

enum class SyncProtocol { create, exec };
enum class SyncSide { parent, child };

// Where a conversation stands: the last message exchanged (start before
// any; failed after an error).
enum class SyncPhase {
    start,
    bind_source,
    parent_setup_done,
    mounts_ready,
    continue_setup,
    console_master,
    seccomp_listener,
    seccomp_listener_done,
    ready,
    failed,
};

std::string_view sync_phase_name(SyncPhase phase);

// The phase after `type` sent by `sender` in `phase`, or nullopt when the
// protocol does not allow it there (the table above).
std::optional<SyncPhase> next_sync_phase(SyncProtocol protocol, SyncPhase phase, SyncType type, SyncSide sender);

// The largest packet on the socket; longer payloads are split.
inline constexpr std::size_t kSyncPacket = 32 * 1024;
// The largest payload carried at all (a state JSON far beyond any real one).
inline constexpr std::size_t kSyncMaxPayload = 64 * 1024 * 1024;

struct SyncMessage {
    SyncType type{};
    std::int32_t err = 0;          // errno for SyncType::error
    std::int32_t exit_status = 1;  // for SyncType::error: what hull should exit with
    std::string payload;
    UniqueFd fd;  // bind_source, console_master and seccomp_listener only
};

class SyncSocket {
public:
    SyncSocket(UniqueFd fd, SyncProtocol protocol, SyncSide side)
        : fd_(std::move(fd)), protocol_(protocol), side_(side) {}
    // A SOCK_SEQPACKET socketpair, both ends close-on-exec: the parent's
    // end first, the child's second.
    static std::pair<SyncSocket, SyncSocket> make_pair(SyncProtocol protocol);

    void send(SyncType type, std::string_view payload = {}, int fd = -1) const;
    // The error with its errno and exit status, for the parent to rethrow.
    void send_error(const Error& error) const;
    // Blocks for the next message; nullopt when the peer closed its end.
    std::optional<SyncMessage> receive() const;
    int fd() const noexcept { return fd_.get(); }
    SyncPhase phase() const noexcept { return phase_; }
    void close() { fd_.reset(); }

private:
    void advance(SyncType type, SyncSide sender) const;
    void send_message(SyncType type, std::string_view payload, int fd, std::int32_t err,
                      std::int32_t exit_status) const;
    void receive_rest(std::string& payload, std::size_t size) const;

    UniqueFd fd_;
    SyncProtocol protocol_;
    SyncSide side_;
    // Protocol bookkeeping, advanced by every message sent or received on
    // this end; sending and receiving stay const for the call sites that
    // hold the socket by const reference.
    mutable SyncPhase phase_ = SyncPhase::start;
};

// Receives the next message and checks it is `expected` (or an error, which
// is rethrown as a hull::Error carrying the child's errno and message).
SyncMessage expect_message(const SyncSocket& socket, SyncType expected);
// The same where either of two messages may come next.
SyncMessage expect_message(const SyncSocket& socket, SyncType expected, SyncType or_else);

}  // namespace hull::core
