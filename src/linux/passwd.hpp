// The container's /etc/passwd, read the way runc's libcontainer/user does
// for what a process needs from it: the home directory for HOME.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace hull::sys {

// The home directory of uid in passwd(5) text; nullopt when no line has it.
std::optional<std::string> passwd_home(std::string_view passwd_text, uid_t uid);

// HOME for a process that has none (runc sets it the same way): uid's home
// in the current root's /etc/passwd, "/" when the file or the user is missing.
std::string home_for(uid_t uid);

}  // namespace hull::sys
