/*
 * seccomp-agent: an example seccomp notify agent for linux.seccomp.listenerPath
 * (runtime-spec config-linux.md "Seccomp" and "The Container Process State").
 *
 *   seccomp-agent SOCKET [--log FILE] [--mkdir fake|continue|errno=N]
 *
 * Listens on the unix stream socket SOCKET. For each connection the runtime
 * sends the container process state (JSON) with the seccomp listener fd as
 * SCM_RIGHTS; the agent logs the JSON and then answers the container's
 * notified syscalls:
 *   mkdir/mkdirat  as --mkdir says: "fake" (default) returns 0 without making
 *                  anything, "continue" lets the kernel run the call
 *                  (SECCOMP_USER_NOTIF_FLAG_CONTINUE), "errno=N" fails it with N;
 *   anything else  continues.
 * Every notification is logged as one line:
 *   notify pid=1234 syscall=mkdirat path=/tmp/x answer=fake
 * "ready" is logged once the socket accepts connections. SIGTERM or SIGINT
 * end the agent and remove the socket.
 *
 * Reading the path from /proc/PID/mem is racy by nature: the target may have
 * died and its pid been reused, so the notification id is checked again
 * (SECCOMP_IOCTL_NOTIF_ID_VALID) before the path is trusted. An agent that
 * makes decisions from memory must never CONTINUE a call based on it: the
 * memory can change after the check (seccomp_unotify(2)).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_LISTENERS 64
#define MAX_STATE (1 << 20)

enum answer { ANSWER_FAKE, ANSWER_CONTINUE, ANSWER_ERRNO };

struct config {
    const char *socket_path;
    FILE *log;
    enum answer mkdir_answer;
    int mkdir_errno;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

static void logf_line(const struct config *cfg, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(cfg->log, fmt, ap);
    va_end(ap);
    fputc('\n', cfg->log);
    fflush(cfg->log);
}

static void die(const char *what) {
    fprintf(stderr, "seccomp-agent: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void usage(void) {
    fprintf(stderr, "usage: seccomp-agent SOCKET [--log FILE] [--mkdir fake|continue|errno=N]\n");
    exit(2);
}

static struct config parse_args(int argc, char **argv) {
    struct config cfg = {NULL, stdout, ANSWER_FAKE, 0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
            cfg.log = fopen(argv[++i], "a");
            if (cfg.log == NULL) die(argv[i]);
        } else if (strcmp(argv[i], "--mkdir") == 0 && i + 1 < argc) {
            const char *mode = argv[++i];
            if (strcmp(mode, "fake") == 0) {
                cfg.mkdir_answer = ANSWER_FAKE;
            } else if (strcmp(mode, "continue") == 0) {
                cfg.mkdir_answer = ANSWER_CONTINUE;
            } else if (strncmp(mode, "errno=", 6) == 0 && atoi(mode + 6) > 0) {
                cfg.mkdir_answer = ANSWER_ERRNO;
                cfg.mkdir_errno = atoi(mode + 6);
            } else {
                usage();
            }
        } else if (cfg.socket_path == NULL && argv[i][0] != '-') {
            cfg.socket_path = argv[i];
        } else {
            usage();
        }
    }
    if (cfg.socket_path == NULL) usage();
    return cfg;
}

static int listen_on(const char *path) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        die(path);
    }
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die(path);
    if (listen(fd, 16) < 0) die("listen");
    return fd;
}

/* The index of "seccompFd" in the state's "fds" array, or -1. */
static int seccomp_fd_index(const char *json) {
    const char *p = strstr(json, "\"fds\"");
    if (p == NULL || (p = strchr(p, '[')) == NULL) return -1;
    for (int index = 0;; index++) {
        p += strspn(p, "[, \t\r\n");
        if (*p != '"') return -1;
        const char *end = strchr(p + 1, '"');
        if (end == NULL) return -1;
        if (end - p - 1 == 9 && strncmp(p + 1, "seccompFd", 9) == 0) return index;
        p = end + 1;
    }
}

/*
 * True once json holds a whole object. The spec says the runtime closes the
 * connection after the state, but some runtimes close it only later (runc
 * 1.1 keeps it until the container runs), so EOF cannot be what we wait for:
 * the container may already be blocked on a notification.
 */
static int json_complete(const char *json, size_t len) {
    int depth = 0, in_string = 0, escaped = 0;
    for (size_t i = 0; i < len; i++) {
        char c = json[i];
        if (in_string) {
            if (escaped) escaped = 0;
            else if (c == '\\') escaped = 1;
            else if (c == '"') in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return 1;
        }
    }
    return 0;
}

/* Reads one connection: the JSON and the fds of the first message. */
static int receive_state(int conn, char *json, size_t cap, int *fds, int max_fds) {
    size_t len = 0;
    int nfds = 0;
    for (;;) {
        char control[CMSG_SPACE(sizeof(int) * 8)];
        struct iovec iov = {json + len, cap - 1 - len};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                             .msg_controllen = sizeof control};
        ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
            int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < count; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                if (nfds < max_fds) fds[nfds++] = fd;
                else close(fd);
            }
        }
        len += (size_t)n;
        if (n == 0 || len >= cap - 1 || json_complete(json, len)) break;
    }
    json[len] = '\0';
    return nfds;
}

/* The listener from a new connection, or -1 (logged). */
static int accept_listener(const struct config *cfg, int server) {
    int conn = accept4(server, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0) return -1;
    static char json[MAX_STATE];
    int fds[8];
    int nfds = receive_state(conn, json, sizeof json, fds, 8);
    close(conn);
    if (nfds < 0) {
        logf_line(cfg, "error receiving the state: %s", strerror(errno));
        return -1;
    }
    logf_line(cfg, "state %s", json);
    int index = seccomp_fd_index(json);
    int listener = -1;
    for (int i = 0; i < nfds; i++) {
        if (i == index) listener = fds[i];
        else close(fds[i]);
    }
    if (listener < 0) logf_line(cfg, "error: no seccompFd among %d fds", nfds);
    return listener;
}

static const char *syscall_name(int nr) {
    switch (nr) {
        case SYS_mkdir: return "mkdir";
        case SYS_mkdirat: return "mkdirat";
        default: return NULL;
    }
}

/* The string at addr in pid's memory, if the notification is still live. */
static void read_path(int listener, const struct seccomp_notif *req, unsigned long long addr, char *out,
                      size_t cap) {
    snprintf(out, cap, "?");
    char mem_path[64];
    snprintf(mem_path, sizeof mem_path, "/proc/%u/mem", req->pid);
    int mem = open(mem_path, O_RDONLY | O_CLOEXEC);
    if (mem < 0) return;
    ssize_t n = pread(mem, out, cap - 1, (off_t)addr);
    close(mem);
    __u64 id = req->id;
    if (n <= 0 || ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0) {
        snprintf(out, cap, "?");
        return;
    }
    out[n] = '\0';
}

/* Answers one notification; false when the listener is finished with. */
static int answer_one(const struct config *cfg, int listener, struct seccomp_notif *req,
                      struct seccomp_notif_resp *resp, const struct seccomp_notif_sizes *sizes) {
    memset(req, 0, sizes->seccomp_notif);
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
        /* ENOENT: the caller died before we got to it. */
        return errno == EINTR || errno == ENOENT;
    }
    memset(resp, 0, sizes->seccomp_notif_resp);
    resp->id = req->id;
    const char *name = syscall_name(req->data.nr);
    const char *answer = "continue";
    char path[4096] = "";
    if (name != NULL) {
        read_path(listener, req, req->data.nr == SYS_mkdir ? req->data.args[0] : req->data.args[1], path,
                  sizeof path);
        switch (cfg->mkdir_answer) {
            case ANSWER_FAKE: answer = "fake"; break;
            case ANSWER_CONTINUE: resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE; break;
            case ANSWER_ERRNO:
                resp->error = -cfg->mkdir_errno;
                answer = "errno";
                break;
        }
    } else {
        resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    }
    logf_line(cfg, "notify pid=%u syscall=%s path=%s answer=%s", req->pid, name != NULL ? name : "other", path,
              answer);
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT) {
        logf_line(cfg, "error answering: %s", strerror(errno));
    }
    return 1;
}

int main(int argc, char **argv) {
    struct config cfg = parse_args(argc, argv);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct seccomp_notif_sizes sizes;
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) die("SECCOMP_GET_NOTIF_SIZES");
    struct seccomp_notif *req = calloc(1, sizes.seccomp_notif);
    struct seccomp_notif_resp *resp = calloc(1, sizes.seccomp_notif_resp);
    if (req == NULL || resp == NULL) die("calloc");

    struct pollfd fds[1 + MAX_LISTENERS];
    int n = 1;
    fds[0] = (struct pollfd){.fd = listen_on(cfg.socket_path), .events = POLLIN};
    logf_line(&cfg, "ready");
    while (!stop) {
        if (poll(fds, (nfds_t)n, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        if (fds[0].revents & POLLIN) {
            int listener = accept_listener(&cfg, fds[0].fd);
            if (listener >= 0 && n < 1 + MAX_LISTENERS) fds[n++] = (struct pollfd){.fd = listener, .events = POLLIN};
            else if (listener >= 0) close(listener);
        }
        for (int i = 1; i < n; i++) {
            int done = 0;
            if (fds[i].revents & POLLIN) done = !answer_one(&cfg, fds[i].fd, req, resp, &sizes);
            /* POLLHUP: every process under the filter is gone. */
            if (done || (fds[i].revents & (POLLHUP | POLLERR | POLLNVAL))) {
                logf_line(&cfg, "listener closed");
                close(fds[i].fd);
                fds[i--] = fds[--n];
            }
        }
    }
    unlink(cfg.socket_path);
    return 0;
}
