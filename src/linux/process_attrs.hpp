// Process attributes applied by the container init before exec
// (config.md "Process", "Hostname", "Domainname"; config-linux.md "Sysctl",
// "Personality"). Each function does one thing so init reads as a list.
#pragma once

#include <string>
#include <vector>

#include "oci/runtime/spec.hpp"

namespace hull::sys {

void set_hostname(const std::string& hostname);
void set_domainname(const std::string& domainname);
// Writes /proc/sys/<key with dots as slashes> of the container's procfs,
// resolved inside the rootfs before pivot_root and before /proc/sys is
// made read-only (as runc orders it).
void apply_sysctls(const oci::Spec& spec, int root_fd);
void apply_rlimits(const oci::Process& process);
void apply_oom_score_adj(const oci::Process& process);
void apply_personality(const oci::Spec& spec);
void apply_scheduler(const oci::Process& process);
void apply_io_priority(const oci::Process& process);
// execCPUAffinity.initial, before exec (the final mask is set by the parent after it).
void apply_initial_cpu_affinity(const oci::Process& process);
// setgroups, setresgid, setresuid; umask. Capabilities are kept across the
// uid change by the caller (PR_SET_KEEPCAPS).
void apply_user(const oci::Process& process);
// chdir to process.cwd; false, not an error, when refused with EACCES or
// EPERM, for a caller that will try again with other credentials.
bool try_enter_cwd(const std::string& cwd);
// The same, every failure an error.
void enter_cwd(const std::string& cwd);
// Checks the working directory is inside the container's root: a cwd
// reached through a leaked host fd would not be (CVE-2024-21626).
void verify_cwd(const std::string& cwd);
// Resolves args[0] through PATH from the process's env, as execvp would
// inside the container. Throws with ENOENT/EACCES so `run` can exit 127/126.
std::string find_executable(const std::string& name, const std::vector<std::string>& env);

}  // namespace hull::sys
