// What the linked libseccomp and the running kernel support, for `features`
// and for checking a profile before compiling it.
#pragma once

#include <string>
#include <vector>

namespace hull::sys {

struct SeccompSupport {
    bool available = false;              // built with libseccomp
    std::string version;                 // "2.5.4"
    std::vector<std::string> actions;    // SCMP_ACT_*
    std::vector<std::string> operators;  // SCMP_CMP_*
    std::vector<std::string> archs;      // SCMP_ARCH_*
    std::vector<std::string> known_flags;
    std::vector<std::string> supported_flags;
};

SeccompSupport seccomp_support();

}  // namespace hull::sys
