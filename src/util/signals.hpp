// Signal names as runc's kill accepts them, but case-insensitive: "KILL",
// "SIGKILL", "kill", "9", "RTMIN+3", "SIGRTMAX-1", and "0", which sends
// nothing but checks that the process exists (kill(2)).
#pragma once

#include <string>
#include <string_view>

namespace hull::util {

// Throws `invalid signal "FOO"` for anything that is not a signal.
int parse_signal(std::string_view text);
// "SIGKILL", "SIGRTMIN+3"; "signal 99" for a number with no name.
std::string signal_name(int signal);

}  // namespace hull::util
