// NOTIFY_SOCKET (sd_notify(3)) through a container, as runc does it
// (notify_socket.go), so a `Type=notify` unit or podman's --sdnotify=container
// learns when the containerised service is ready:
//   create  with NOTIFY_SOCKET set: the state directory's notify/ becomes the
//           container's /run/notify (read-only, nosuid, nodev, noexec) and the
//           process gets NOTIFY_SOCKET=/run/notify/notify.sock;
//   start   (and run) binds notify/notify.sock, releases the init and relays
//           the container's messages to the caller's NOTIFY_SOCKET until one
//           says READY=1. That one goes with MAINPID= the container init's
//           host pid (`run` in the foreground: hull's own, since hull is the
//           process the service manager watches), then BARRIER=1 so the
//           manager has read it before we exit. A MAINPID from inside the
//           container names a pid in another namespace and is dropped.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "core/state_store.hpp"
#include "linux/mount_tree.hpp"
#include "oci/runtime/spec.hpp"
#include "util/log.hpp"
#include "util/unique_fd.hpp"

namespace hull::core {

inline constexpr const char* kContainerNotifySocket = "/run/notify/notify.sock";

// At create: makes the notify directory, points the process's NOTIFY_SOCKET
// at it and returns the directory as a detached read-only tree for the init
// to attach at /run/notify (opened by the host: the container's root may not
// be able to reach the 0700 state directory by path).
sys::DetachedMount prepare_notify_socket(oci::Spec& spec, const ContainerDir& dir);

class NotifyRelay {
public:
    // At start: binds the container's socket and connects to host_socket
    // (a path, or "@name" for an abstract address). nullopt when the
    // container was created without NOTIFY_SOCKET; a host socket that cannot
    // be reached is a warning, not an error: the container runs anyway.
    static std::optional<NotifyRelay> open(const ContainerDir& dir, const std::string& host_socket,
                                           const util::Logger& log);

    int fd() const noexcept { return socket_.get(); }
    // Reads one datagram and relays it; true once READY=1 has gone to the
    // host with MAINPID=main_pid and the barrier is passed, or when the host
    // socket fails (a warning: relaying stops, the container runs on).
    bool relay_one(pid_t main_pid, const util::Logger& log) const;
    // Relays until READY=1, or until the init exits (init_pidfd readable).
    void relay_until_ready(int init_pidfd, pid_t main_pid, const util::Logger& log) const;

private:
    NotifyRelay(UniqueFd socket, UniqueFd host) : socket_(std::move(socket)), host_(std::move(host)) {}
    UniqueFd socket_;  // the container's end, bound in the state directory
    UniqueFd host_;    // connected to the caller's NOTIFY_SOCKET
};

}  // namespace hull::core
