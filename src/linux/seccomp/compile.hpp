// linux.seccomp → a Filter, with libseccomp, in the parent before clone
// (config-linux.md "Seccomp"; runc's and crun's semantics where the spec
// leaves room):
// - SCMP_ACT_KILL is the thread kill; errnoRet defaults to EPERM for ERRNO
//   and TRACE.
// - a syscall name this libseccomp does not know is skipped (debug line);
//   a rule whose action is the default action is skipped (libseccomp
//   refuses it, and it changes nothing).
// - several conditions on the same argument cannot share one libseccomp
//   rule: each becomes a rule of its own (so they match as alternatives).
// - unless the default action lets syscalls through, syscalls newer than
//   the profile get ENOSYS (enosys_stub.hpp).
// Errors name the field: "linux.seccomp.syscalls[3].names[0]: ...".
#pragma once

#include <linux/filter.h>

#include <string>
#include <vector>

#include "linux/seccomp/filter.hpp"
#include "oci/runtime/spec.hpp"
#include "util/log.hpp"

namespace hull::sys::seccomp {

Filter compile(const oci::Seccomp& profile, const util::Logger& log);

// The parts of compile: the BPF program (the expensive half, which
// compile_cached keeps), and the flags and notify bit (cheap, and checked
// against the running kernel on every create).
std::vector<sock_filter> compile_program(const oci::Seccomp& profile, const util::Logger& log);
Filter filter_settings(const oci::Seccomp& profile, const util::Logger& log);

// "2.5.4" and the native arch token: what, besides the profile, decides
// the program compile_program makes.
std::string libseccomp_identity();

}  // namespace hull::sys::seccomp
