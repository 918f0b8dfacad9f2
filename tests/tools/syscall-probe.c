/*
 * syscall-probe NR [ARG...]: makes system call NR with up to six integer
 * arguments and prints "ok RESULT" or "errno NAME" (ENOSYS, EPERM, ... or
 * the number). Static, so it runs in a busybox bundle: seccomp.bats uses it
 * to reach syscalls busybox never makes (one newer than a profile, say).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *errno_name(int err) {
    switch (err) {
        case ENOSYS: return "ENOSYS";
        case EPERM: return "EPERM";
        case EACCES: return "EACCES";
        case EINVAL: return "EINVAL";
        case EFAULT: return "EFAULT";
        case EBADF: return "EBADF";
        case ENOENT: return "ENOENT";
        default: return NULL;
    }
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 8) {
        fprintf(stderr, "usage: syscall-probe NR [ARG...]\n");
        return 2;
    }
    long a[6] = {0};
    for (int i = 2; i < argc; i++) a[i - 2] = strtol(argv[i], NULL, 0);
    long r = syscall(strtol(argv[1], NULL, 0), a[0], a[1], a[2], a[3], a[4], a[5]);
    if (r >= 0) {
        printf("ok %ld\n", r);
        return 0;
    }
    const char *name = errno_name(errno);
    if (name != NULL) printf("errno %s\n", name);
    else printf("errno %d\n", errno);
    return 1;
}
