// The seccomp listener handover (config-linux.md "Seccomp", listenerPath,
// and "The Container Process State"): the notify fd and a JSON document
// describing the process go to the agent's unix socket, for create's init
// and exec's process alike.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "oci/runtime/spec.hpp"
#include "oci/runtime/state.hpp"
#include "util/unique_fd.hpp"

namespace hull::core {

// {"ociVersion", "fds": ["seccompFd"], "pid", "metadata"?, "state"}.
std::string container_process_state(const oci::State& state, pid_t pid, const std::optional<std::string>& metadata);

// Connects to seccomp.listenerPath (SOCK_STREAM), sends the container
// process state with `listener` as SCM_RIGHTS in the first sendmsg, and
// closes the connection (one state per connection). An absent or stuck
// agent is an error naming linux.seccomp.listenerPath, after at most a
// few seconds: never a hang.
void send_seccomp_listener(const oci::Seccomp& seccomp, UniqueFd listener, const oci::State& state, pid_t pid);

}  // namespace hull::core
