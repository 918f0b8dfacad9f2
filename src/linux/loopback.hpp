// The loopback interface of a new network namespace, which the kernel
// creates down: runc brings it up (its "loopback" network), and programs
// that bind 127.0.0.1 expect it.
#pragma once

namespace hull::sys {

// Sets IFF_UP on "lo" of the caller's network namespace.
void bring_up_loopback();

}  // namespace hull::sys
