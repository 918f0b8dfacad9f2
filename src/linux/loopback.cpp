#include "linux/loopback.hpp"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys {

void bring_up_loopback() {
    // An ioctl on any socket of the namespace: no netlink needed for one flag.
    UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock) throw_errno(errno, "socket to bring up lo");
    ifreq req{};
    std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
    check(::ioctl(sock.get(), SIOCGIFFLAGS, &req), "read the flags of lo");
    if (req.ifr_flags & IFF_UP) return;
    req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
    check(::ioctl(sock.get(), SIOCSIFFLAGS, &req), "bring up lo");
}

}  // namespace hull::sys
