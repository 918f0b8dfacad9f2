#include "linux/seccomp/flags.hpp"

#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "linux/seccomp/names.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::seccomp {

bool kernel_supports_flag(unsigned bit) {
    // The kernel refuses WAIT_KILLABLE_RECV without NEW_LISTENER (EINVAL),
    // so it is asked about the pair.
    if (bit == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) bit |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    long r = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, bit, nullptr);
    return r < 0 && errno == EFAULT;
}

unsigned filter_flags(const std::optional<std::vector<std::string>>& flags, bool notify, const util::Logger& log) {
    unsigned out = 0;
    if (!flags) return out;
    for (std::size_t i = 0; i < flags->size(); ++i) {
        const std::string& name = (*flags)[i];
        std::string path = fmt::format("linux.seccomp.flags[{}]", i);
        const FlagName* flag = find_flag(name);
        if (flag == nullptr) throw_error("{}: unknown seccomp flag {}", path, util::quote(name));
        if (flag->bit == 0) continue;
        if (flag->bit == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV && !notify) {
            log.debug("{}: {} ignored: no rule uses SCMP_ACT_NOTIFY", path, name);
            continue;
        }
        if (!kernel_supports_flag(flag->bit)) throw_error("{}: {} is not supported by this kernel", path, name);
        out |= flag->bit;
    }
    return out;
}

}  // namespace hull::sys::seccomp
