// One fd passed as SCM_RIGHTS ancillary data (unix(7)): the control
// buffer a msghdr points at, which must live as long as the message.
#pragma once

#include <sys/socket.h>

#include <cstring>

namespace hull::sys {

class ScmRights {
public:
    // Points msg's control data at this buffer, carrying fd.
    void attach(msghdr& msg, int fd) {
        msg.msg_control = control_;
        msg.msg_controllen = sizeof control_;
        cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
    }

private:
    alignas(cmsghdr) char control_[CMSG_SPACE(sizeof(int))] = {};
};

}  // namespace hull::sys
