#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/seccomp/filter.hpp"
#include "util/error.hpp"

namespace hull::sys::seccomp {

UniqueFd load(const Filter& filter) {
    sock_fprog prog{static_cast<unsigned short>(filter.program.size()),
                    const_cast<sock_filter*>(filter.program.data())};
    unsigned flags = filter.flags | (filter.notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0U);
    long r = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
    if (r < 0) {
        int err = errno;
        bool nnp = ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
        if (err == EACCES && !nnp) {
            throw_errno(err, "linux.seccomp: load the filter: without process.noNewPrivileges it needs CAP_SYS_ADMIN");
        }
        throw_errno(err, "linux.seccomp: load the filter ({} instructions, flags {:#x})", filter.program.size(), flags);
    }
    return filter.notify ? UniqueFd(static_cast<int>(r)) : UniqueFd();
}

}  // namespace hull::sys::seccomp
