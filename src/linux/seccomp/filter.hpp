// A compiled seccomp filter and its loader. The parent compiles (compile.hpp,
// cache.hpp) before clone; the container's init only calls load(), which
// does one system call and no allocation unless it fails.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "util/unique_fd.hpp"

namespace hull::sys::seccomp {

struct Filter {
    std::vector<sock_filter> program;  // classic BPF over struct seccomp_data
    unsigned flags = 0;                // SECCOMP_FILTER_FLAG_*, without NEW_LISTENER
    bool notify = false;               // some action is SCMP_ACT_NOTIFY: load asks for a listener
};

// seccomp(SECCOMP_SET_MODE_FILTER) with the filter's flags, plus
// SECCOMP_FILTER_FLAG_NEW_LISTENER when it notifies. Returns the listener
// fd (close-on-exec, as the kernel makes it), or an empty UniqueFd. Needs
// no_new_privs or CAP_SYS_ADMIN (seccomp(2)).
UniqueFd load(const Filter& filter);

}  // namespace hull::sys::seccomp
