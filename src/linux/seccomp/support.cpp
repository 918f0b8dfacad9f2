#include "linux/seccomp/support.hpp"

#include <fmt/format.h>

#include "build_config.hpp"
#include "linux/seccomp/flags.hpp"
#include "linux/seccomp/names.hpp"

#if HULL_HAVE_SECCOMP
#include <seccomp.h>
#endif

namespace hull::sys::seccomp {

Support support() {
    Support out;
#if HULL_HAVE_SECCOMP
    const scmp_version* v = ::seccomp_version();
    // The API level reflects the kernel too (seccomp_api_get(3)).
    unsigned api = ::seccomp_api_get();
    out.available = true;
    out.version = fmt::format("{}.{}.{}", v->major, v->minor, v->micro);
    for (const auto& a : action_names()) {
        if (api >= a.api_level) out.actions.emplace_back(a.name);
    }
    for (const auto& op : operator_names()) out.operators.emplace_back(op.name);
    for (const auto& arch : arch_names()) {
        if (::seccomp_arch_resolve_name(std::string(arch.libseccomp).c_str()) != 0) out.archs.emplace_back(arch.name);
    }
    // hull passes the flags to seccomp(2) itself, so the kernel alone decides.
    for (const auto& f : flag_names()) {
        out.known_flags.emplace_back(f.name);
        if (f.bit == 0 || kernel_supports_flag(f.bit)) out.supported_flags.emplace_back(f.name);
    }
#endif
    return out;
}

}  // namespace hull::sys::seccomp
