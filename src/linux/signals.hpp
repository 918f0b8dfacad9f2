// Signal names as runc's kill accepts them: "KILL", "SIGKILL", "kill", "9",
// "RTMIN+3", "SIGRTMAX-1".
#pragma once

#include <string>
#include <string_view>

namespace hull::sys {

int parse_signal(std::string_view text);
std::string signal_name(int signal);

}  // namespace hull::sys
