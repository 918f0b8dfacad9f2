// linux.seccomp.flags → the flags argument of seccomp(SECCOMP_SET_MODE_FILTER),
// checked against what the running kernel accepts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/log.hpp"

namespace hull::sys::seccomp {

// True when the kernel accepts `bit` in seccomp(SECCOMP_SET_MODE_FILTER).
// Asked without a program: a kernel that knows the flag answers EFAULT
// for the missing program, one that does not answers EINVAL.
bool kernel_supports_flag(unsigned bit);

// The flag bits for the filter, SECCOMP_FILTER_FLAG_NEW_LISTENER excluded
// (the loader adds it when the filter notifies). An unknown name or one
// the kernel lacks is an error naming linux.seccomp.flags[i].
// WAIT_KILLABLE_RECV only changes how a notifying filter waits, and the
// kernel refuses it without a listener: dropped, with a debug line, when
// `notify` is false.
unsigned filter_flags(const std::optional<std::vector<std::string>>& flags, bool notify, const util::Logger& log);

}  // namespace hull::sys::seccomp
