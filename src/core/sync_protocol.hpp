// The create-time protocol between `hull create` (the parent) and the
// container's init (the child), over a SOCK_SEQPACKET socketpair.
//
//  step | sender | message              | what happens in between
//  -----+--------+----------------------+------------------------------------------------
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
//  any  | child  | error                | payload: the message, err: errno; the child exits
//
// Each side tracks the step it expects (SyncPhase) and refuses a message
// arriving out of order, so a confused or compromised peer cannot skip a step.
#pragma once

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
};

std::string_view sync_type_name(SyncType type);

struct SyncMessage {
    SyncType type{};
    std::int32_t err = 0;          // errno for SyncType::error
    std::int32_t exit_status = 1;  // for SyncType::error: what hull should exit with
    std::string payload;
    UniqueFd fd;  // console_master and seccomp_listener only
};

class SyncSocket {
public:
    explicit SyncSocket(UniqueFd fd) : fd_(std::move(fd)) {}
    // A SOCK_SEQPACKET socketpair, both ends close-on-exec.
    static std::pair<SyncSocket, SyncSocket> make_pair();

    void send(SyncType type, std::string_view payload = {}, int fd = -1) const;
    // The error with its errno and exit status, for the parent to rethrow.
    void send_error(const Error& error) const;
    // Blocks for the next message; nullopt when the peer closed its end.
    std::optional<SyncMessage> receive() const;
    int fd() const noexcept { return fd_.get(); }
    void close() { fd_.reset(); }

private:
    void send_message(SyncType type, std::string_view payload, int fd, std::int32_t err,
                      std::int32_t exit_status) const;
    UniqueFd fd_;
};

// Receives the next message and checks it is `expected` (or an error, which
// is rethrown as a hull::Error carrying the child's errno and message).
SyncMessage expect_message(const SyncSocket& socket, SyncType expected);

}  // namespace hull::core
