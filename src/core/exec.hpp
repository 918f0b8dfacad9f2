// `exec` (runc's, not in the runtime spec): a new process in a running
// container. The parent joins the container's pid namespace (for its
// children) and clones; the child waits to be put in the container's
// cgroups, joins the other namespaces of the init, sets up the process as
// the init does (process_setup.hpp) and execs. The sync socket is
// close-on-exec: EOF tells the parent the exec happened, an error message
// that it did not.
#pragma once

#include <string>
#include <vector>

#include "core/exec_spec.hpp"
#include "core/state_store.hpp"
#include "util/log.hpp"

namespace hull::core {

struct ExecOptions {
    std::string id;
    ExecRequest request;
    std::string console_socket;
    std::string pid_file;
    // --cgroup: [CONTROLLER[,CONTROLLER]:]PATH, an existing sub-cgroup of
    // the container's, for the hierarchies named (all without a prefix):
    // runc's rules, exec_cgroups.hpp.
    std::vector<std::string> sub_cgroups;
    bool detach = false;
    bool ignore_paused = false;
    int preserve_fds = 0;
};

// Starts the process. With detach, returns 0 once it has exec'd; else waits,
// forwarding signals (and the caller's terminal to a pty), and returns its
// exit status (128+N for signal N).
int exec_in_container(const StateRoot& root, const ExecOptions& options, const util::Logger& log);

}  // namespace hull::core
