// What the linked libseccomp and the running kernel support, for `features`
// (features-linux.md "Seccomp").
#pragma once

#include <string>
#include <vector>

namespace hull::sys::seccomp {

struct Support {
    bool available = false;              // built with libseccomp
    std::string version;                 // "2.5.4"
    std::vector<std::string> actions;    // SCMP_ACT_* this libseccomp and kernel can use
    std::vector<std::string> operators;  // SCMP_CMP_*
    std::vector<std::string> archs;      // SCMP_ARCH_* this libseccomp knows
    std::vector<std::string> known_flags;
    std::vector<std::string> supported_flags;  // those the kernel accepts (hull loads the filter itself)
};

Support support();

}  // namespace hull::sys::seccomp
