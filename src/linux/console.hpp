// The container's terminal (config.md "process.terminal"; runc's
// docs/terminals.md): a pty made inside the container's devpts, its master
// handed to the engine over --console-socket with SCM_RIGHTS.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "util/unique_fd.hpp"

namespace hull::sys {

struct Pty {
    UniqueFd master;
    UniqueFd slave;
};

// Opens ptmx (the container's /dev/ptmx after pivot_root) and its peer,
// unlocked, both O_NOCTTY and CLOEXEC.
Pty open_pty(const std::string& ptmx);
// Makes uid the owner of the pty slave, its group left as devpts' gid=
// option chose (the tty group), as runc's fixStdioPermissions does.
void give_pty_to(int slave_fd, uid_t uid);
// process.consoleSize (TIOCSWINSZ); refuses sizes a winsize cannot hold.
void set_window_size(int fd, unsigned height, unsigned width);
// Makes fd the controlling terminal of the calling process, which must be
// a session leader without one (the caller does setsid first).
void make_controlling_tty(int fd);
// Binds the pty slave onto /dev/console of the current root, as runc does
// for a container with a terminal (programs that write to the console reach
// it). A symlink the image has there is replaced first: the bind must not
// follow it out of /dev (CVE-2025-52565). Skipped on a read-only /dev
// that has no console node to bind onto.
void bind_dev_console(int slave_fd);
// The pty slave as stdin, stdout and stderr, kept across execve.
void setup_console_stdio(int slave_fd);

// Connects to the engine's console socket (AF_UNIX, SOCK_STREAM).
UniqueFd connect_console_socket(const std::string& path);
// One message: `name` as the payload, one fd as SCM_RIGHTS.
void send_fd(int socket_fd, int fd, std::string_view name);
// The receiving side, for tests and `run`: exactly one fd, or an error.
UniqueFd recv_fd(int socket_fd, std::string* name = nullptr);

}  // namespace hull::sys
