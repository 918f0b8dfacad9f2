// `ps` without --format json: ps(1)'s table cut down to a container's
// processes, as runc prints it.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace hull::core {

// Runs ps(1) with ps_args (default -ef; found in /usr/bin or /bin, never
// through PATH, which engines may not pass) and keeps its header and the
// lines whose PID column is one of pids.
std::string ps_table(const std::vector<pid_t>& pids, const std::vector<std::string>& ps_args);

}  // namespace hull::core
