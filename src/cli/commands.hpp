// Entry points and flag tables of the implemented commands.
#pragma once

#include <array>

#include "cli/command.hpp"

namespace hull::cli {

inline constexpr std::array kSpecFlags = {
    FlagSpec{"bundle", "b", "DIR", "path to the root of the bundle directory"},
    FlagSpec{"rootless", "", "", "generate a configuration for a rootless container"},
};
int run_spec(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array<FlagSpec, 0> kFeaturesFlags = {};
int run_features(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array kCreateFlags = {
    FlagSpec{"bundle", "b", "DIR", "path to the root of the bundle directory (default: .)"},
    FlagSpec{"console-socket", "", "PATH", "unix socket that receives the pty master (with process.terminal)"},
    FlagSpec{"pid-file", "", "PATH", "file to write the init's host pid to (no newline)"},
    FlagSpec{"no-pivot", "", "", "do not use pivot_root (MS_MOVE + chroot; for ramdisk roots)"},
    FlagSpec{"no-new-keyring", "", "", "do not create a new session keyring"},
    FlagSpec{"preserve-fds", "", "N", "pass N more fds (3 .. 3+N-1) to the container"},
};
int run_create(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array kRunFlags = {
    FlagSpec{"bundle", "b", "DIR", "path to the root of the bundle directory (default: .)"},
    FlagSpec{"console-socket", "", "PATH", "unix socket that receives the pty master (with process.terminal)"},
    FlagSpec{"pid-file", "", "PATH", "file to write the init's host pid to (no newline)"},
    FlagSpec{"no-pivot", "", "", "do not use pivot_root (MS_MOVE + chroot; for ramdisk roots)"},
    FlagSpec{"no-new-keyring", "", "", "do not create a new session keyring"},
    FlagSpec{"preserve-fds", "", "N", "pass N more fds (3 .. 3+N-1) to the container"},
    FlagSpec{"detach", "d", "", "detach from the container's process"},
    FlagSpec{"keep", "", "", "do not delete the container after it exits"},
};
int run_run(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array kExecFlags = {
    FlagSpec{"console-socket", "", "PATH", "unix socket that receives the pty master (with --tty)"},
    FlagSpec{"cwd", "", "DIR", "current working directory in the container"},
    FlagSpec{"env", "e", "VAR=VALUE", "set an environment variable (repeatable)", true},
    FlagSpec{"tty", "t", "", "allocate a pseudo-TTY"},
    FlagSpec{"user", "u", "UID[:GID]", "user id and group id to run as (numbers)"},
    FlagSpec{"additional-gids", "g", "GID", "an additional group id (repeatable)", true},
    FlagSpec{"process", "p", "FILE", "process.json with the whole process (config.md \"Process\")"},
    FlagSpec{"detach", "d", "", "detach from the process: return once it has started"},
    FlagSpec{"pid-file", "", "PATH", "file to write the process's host pid to (no newline)"},
    FlagSpec{"process-label", "", "LABEL", "SELinux label for the process"},
    FlagSpec{"apparmor", "", "PROFILE", "AppArmor profile for the process"},
    FlagSpec{"no-new-privs", "", "", "set no_new_privileges on the process"},
    FlagSpec{"cap", "c", "CAP", "add a capability to the process (repeatable)", true},
    FlagSpec{"preserve-fds", "", "N", "pass N more fds (3 .. 3+N-1) to the process"},
    FlagSpec{"cgroup", "", "[CONTROLLERS:]PATH", "run in this existing sub-cgroup of the container's (repeatable)",
             true},
    FlagSpec{"ignore-paused", "", "", "allow exec in a paused container (the process starts frozen)"},
};
int run_exec(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array<FlagSpec, 0> kStartFlags = {};
int run_start(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array<FlagSpec, 0> kStateFlags = {};
int run_state(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array kKillFlags = {
    FlagSpec{"all", "a", "", "send the signal to every process of the container"},
};
int run_kill(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array kDeleteFlags = {
    FlagSpec{"force", "f", "", "kill the container first if it is running; an unknown id is not an error"},
};
int run_delete(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array kListFlags = {
    FlagSpec{"format", "f", "FORMAT", "table (default) or json"},
    FlagSpec{"quiet", "q", "", "print only the container ids"},
};
int run_list(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array<FlagSpec, 0> kPauseFlags = {};
int run_pause(const Context& ctx, const ParsedArgs& args);
int run_resume(const Context& ctx, const ParsedArgs& args);

// runc 1.1's update flags, by runc's names (update.go); --cpu-burst is
// newer runc's, --cpu-shares hull's earlier name for --cpu-share.
inline constexpr std::array kUpdateFlags = {
    FlagSpec{"resources", "r", "FILE", "LinuxResources JSON to apply ('-' reads stdin); zero fields are unchanged"},
    FlagSpec{"blkio-weight", "", "N", "block IO weight (10-1000)"},
    FlagSpec{"cpu-period", "", "N", "cpu CFS period in microseconds"},
    FlagSpec{"cpu-quota", "", "N", "cpu CFS quota in microseconds"},
    FlagSpec{"cpu-burst", "", "N", "cpu CFS burst in microseconds"},
    FlagSpec{"cpu-share", "cpu-shares", "N", "cpu shares (relative weight)"},
    FlagSpec{"cpu-rt-period", "", "N", "cpu realtime period in microseconds"},
    FlagSpec{"cpu-rt-runtime", "", "N", "cpu realtime runtime in microseconds"},
    FlagSpec{"cpuset-cpus", "", "LIST", "cpus to allow (0-3, 0,1)"},
    FlagSpec{"cpuset-mems", "", "LIST", "memory nodes to allow (0-3, 0,1)"},
    FlagSpec{"kernel-memory", "", "SIZE", "kernel memory limit (ignored: deprecated by the kernel)"},
    FlagSpec{"kernel-memory-tcp", "", "SIZE", "kernel TCP buffer memory limit (cgroup v1)"},
    FlagSpec{"memory", "", "SIZE", "memory limit (e.g. 512m; -1 for unlimited)"},
    FlagSpec{"memory-reservation", "", "SIZE", "memory soft limit"},
    FlagSpec{"memory-swap", "", "SIZE", "memory plus swap limit (-1 for unlimited)"},
    FlagSpec{"pids-limit", "", "N", "maximum number of processes (-1 for unlimited)"},
    FlagSpec{"l3-cache-schema", "", "SCHEMA", "Intel RDT L3 cache schema (not supported)"},
    FlagSpec{"mem-bw-schema", "", "SCHEMA", "Intel RDT memory bandwidth schema (not supported)"},
};
int run_update(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array kPsFlags = {
    FlagSpec{"format", "f", "FORMAT", "table (default, through ps(1)) or json (an array of host pids)"},
};
int run_ps(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array kEventsFlags = {
    FlagSpec{"interval", "", "DURATION", "how often to print stats (default 5s)"},
    FlagSpec{"stats", "", "", "print the container's stats once and exit"},
};
int run_events(const Context& ctx, const ParsedArgs& args);

}  // namespace hull::cli
