/* sd-notify MESSAGE...: sends its arguments, one per line, as one datagram
 * to $NOTIFY_SOCKET (a path, or @name for an abstract address), as
 * systemd-notify does. Built static by the tests (notify.bats) to run in a
 * busybox rootfs, which has no way to write to a unix datagram socket. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char** argv) {
    const char* path = getenv("NOTIFY_SOCKET");
    if (path == NULL || path[0] == '\0' || strlen(path) >= sizeof(((struct sockaddr_un*)0)->sun_path)) {
        fprintf(stderr, "sd-notify: NOTIFY_SOCKET is unset or too long\n");
        return 2;
    }
    char msg[4096] = "";
    for (int i = 1; i < argc; i++) {
        if (strlen(msg) + strlen(argv[i]) + 2 > sizeof msg) return 2;
        strcat(msg, argv[i]);
        strcat(msg, "\n");
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t len = strlen(path);
    memcpy(addr.sun_path, path, len);
    if (path[0] == '@') addr.sun_path[0] = '\0';
    socklen_t addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '@' ? 0 : 1));
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || sendto(fd, msg, strlen(msg), 0, (struct sockaddr*)&addr, addr_len) < 0) {
        perror("sd-notify");
        return 1;
    }
    return 0;
}
