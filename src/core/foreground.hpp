// A container process that hull waits for in the foreground (`run`, `exec`
// without --detach): signals sent to hull go to the process, a pty master is
// wired to the caller's terminal, and hull exits with the process's status.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <optional>

#include "core/notify_socket.hpp"
#include "util/log.hpp"
#include "util/unique_fd.hpp"

namespace hull::core {

// Blocks the signals hull forwards for as long as it lives, so none is lost
// between the clone and the wait; the child clears its mask before exec.
class ForwardedSignals {
public:
    ForwardedSignals();
    ~ForwardedSignals();
    ForwardedSignals(const ForwardedSignals&) = delete;
    ForwardedSignals& operator=(const ForwardedSignals&) = delete;

private:
    sigset_t old_{};
};

struct ForegroundProcess {
    pid_t pid = -1;
    int pidfd = -1;
    UniqueFd master;  // the pty master, or empty without a terminal
    // Until READY=1, with hull as MAINPID (`run` only; notify_socket.hpp).
    std::optional<NotifyRelay> notify;
};

// Waits for the process (a child of this one) to exit, forwarding signals
// and copying between the pty and hull's stdio. Needs ForwardedSignals in
// scope. Returns the exit status, or 128+N when signal N killed it, as a
// shell reports it.
int wait_in_foreground(ForegroundProcess process, const util::Logger& log);

}  // namespace hull::core
