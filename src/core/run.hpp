// `run`: create + start + wait in one process, forwarding signals and, with
// a terminal and no --console-socket, wiring the pty to the caller's terminal.
#pragma once

#include "core/container.hpp"

namespace hull::core {

struct RunOptions {
    CreateOptions create;
    bool detach = false;
    bool keep = false;
};

// Returns the exit status for hull: the container's, or 128+N when a signal
// N killed it (as a shell reports it).
int run_container(const StateRoot& root, RunOptions options, const util::Logger& log);

}  // namespace hull::core
