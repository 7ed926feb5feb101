/*
 * assay-supervisor: the host-side half of Assay's sandbox.
 *
 * Why a small C program: .NET cannot safely run code between fork() and exec(), so it cannot join a
 * cgroup, drop privileges or set rlimits for a child. Starting a process from .NET is also expensive on
 * these machines; one long-lived supervisor per concurrent slot pays that once and then forks bubblewrap
 * for every run.
 *
 * Two modes:
 *   assay-supervisor serve
 *       Reads run requests from stdin and writes one response per request to stdout (framing below).
 *       For each request it creates a per-run cgroup (memory, pids, cpuacct) when cgroups are writable,
 *       forks, drops to the requested uid, execs the given argv (bubblewrap), feeds stdin, captures
 *       stdout/stderr up to a byte cap, enforces wall and CPU time, and reports how the run ended.
 *   assay-supervisor init [--rlimit NAME=SOFT ...] -- PROGRAM ARGS...
 *       Runs inside the sandbox, as the command bubblewrap starts. It proves the sandbox came up by
 *       writing "R" on fd 100, applies the candidate's rlimits (after bubblewrap's own setup, so they never
 *       constrain bubblewrap), and execs the program. fd 100 is close-on-exec, so the candidate can never
 *       write to it: a missing "R" means bubblewrap failed (sandbox_error), "R" then "E..." means the
 *       program could not be started, "R" then EOF means the program ran.
 *
 * Request frame:  u32 LE length, then that many bytes: NUL-terminated "key=value" options, an empty
 *                 string, then the NUL-terminated argv; followed by u32 LE stdin length and stdin bytes.
 * Response frame: u32 LE length of a text block of "key=value\n" lines, the block, then u32 LE + stdout
 *                 bytes, then u32 LE + stderr bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READY_FD 100
#define MAX_ARGS 4096

/* ------------------------------------------------------------------ small I/O helpers */

static int read_full(int fd, void *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r == 0) return 0;
        if (r < 0) { if (errno == EINTR) continue; return -1; }
        got += (size_t)r;
    }
    return 1;
}

static int write_full(int fd, const void *buf, size_t n) {
    size_t put = 0;
    while (put < n) {
        ssize_t w = write(fd, (const char *)buf + put, n - put);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        put += (size_t)w;
    }
    return 0;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = write_full(fd, text, strlen(text));
    close(fd);
    return rc;
}

static long long read_ll_file(const char *path) {
    char buf[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0) return -1;
    buf[r] = 0;
    return atoll(buf);
}

/* Reads "name value" from a flat-keyed cgroup file such as memory.oom_control or memory.events. */
static long long read_keyed(const char *path, const char *key) {
    char buf[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0) return -1;
    buf[r] = 0;
    size_t klen = strlen(key);
    for (char *line = buf; line && *line; ) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ') return atoll(line + klen + 1);
        char *nl = strchr(line, '\n');
        line = nl ? nl + 1 : NULL;
    }
    return -1;
}

/* ------------------------------------------------------------------ growable byte buffer */

typedef struct { char *data; size_t len, cap; } buf_t;

static void buf_put(buf_t *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data) { perror("realloc"); _exit(70); }
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void buf_printf(buf_t *b, const char *fmt, ...) {
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) buf_put(b, tmp, (size_t)(n < (int)sizeof tmp ? n : (int)sizeof tmp - 1));
}

/* ------------------------------------------------------------------ cgroups (v1 or v2) */

typedef struct {
    int version;            /* 0 none, 1 v1, 2 v2 */
    char mem[512], pids[512], cpu[512];   /* v1: one dir per controller; v2: all three equal */
} cgroup_t;

static int cgroup_v2_root_ok = -1;

static void cgroup_create(cgroup_t *cg, const char *name, long long mem_kb, long long nproc) {
    memset(cg, 0, sizeof *cg);
    struct stat st;
    if (stat("/sys/fs/cgroup/memory/cgroup.procs", &st) == 0 && stat("/sys/fs/cgroup/pids/cgroup.procs", &st) == 0
        && stat("/sys/fs/cgroup/cpuacct/cgroup.procs", &st) == 0) {
        mkdir("/sys/fs/cgroup/memory/assay", 0755);
        mkdir("/sys/fs/cgroup/pids/assay", 0755);
        mkdir("/sys/fs/cgroup/cpuacct/assay", 0755);
        snprintf(cg->mem, sizeof cg->mem, "/sys/fs/cgroup/memory/assay/%s", name);
        snprintf(cg->pids, sizeof cg->pids, "/sys/fs/cgroup/pids/assay/%s", name);
        snprintf(cg->cpu, sizeof cg->cpu, "/sys/fs/cgroup/cpuacct/assay/%s", name);
        if (mkdir(cg->mem, 0755) != 0 && errno != EEXIST) return;
        if (mkdir(cg->pids, 0755) != 0 && errno != EEXIST) { rmdir(cg->mem); return; }
        if (mkdir(cg->cpu, 0755) != 0 && errno != EEXIST) { rmdir(cg->mem); rmdir(cg->pids); return; }
        cg->version = 1;
        char path[600], val[64];
        if (mem_kb > 0) {
            snprintf(path, sizeof path, "%s/memory.limit_in_bytes", cg->mem);
            snprintf(val, sizeof val, "%lld", mem_kb * 1024LL);
            write_file(path, val);
            /* No swap on these machines, but where there is, swap must not stretch the limit. */
            snprintf(path, sizeof path, "%s/memory.memsw.limit_in_bytes", cg->mem);
            write_file(path, val);
        }
        if (nproc > 0) {
            snprintf(path, sizeof path, "%s/pids.max", cg->pids);
            snprintf(val, sizeof val, "%lld", nproc);
            write_file(path, val);
        }
        return;
    }
    if (stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0) {
        if (cgroup_v2_root_ok < 0) {
            mkdir("/sys/fs/cgroup/assay", 0755);
            write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory +pids +cpu");
            cgroup_v2_root_ok = write_file("/sys/fs/cgroup/assay/cgroup.subtree_control", "+memory +pids +cpu") == 0;
        }
        if (!cgroup_v2_root_ok) return;
        snprintf(cg->mem, sizeof cg->mem, "/sys/fs/cgroup/assay/%s", name);
        if (mkdir(cg->mem, 0755) != 0 && errno != EEXIST) return;
        strcpy(cg->pids, cg->mem);
        strcpy(cg->cpu, cg->mem);
        cg->version = 2;
        char path[600], val[64];
        if (mem_kb > 0) {
            snprintf(path, sizeof path, "%s/memory.max", cg->mem);
            snprintf(val, sizeof val, "%lld", mem_kb * 1024LL);
            write_file(path, val);
            snprintf(path, sizeof path, "%s/memory.swap.max", cg->mem);
            write_file(path, "0");
        }
        if (nproc > 0) {
            snprintf(path, sizeof path, "%s/pids.max", cg->pids);
            snprintf(val, sizeof val, "%lld", nproc);
            write_file(path, val);
        }
    }
}

static int cgroup_join(const cgroup_t *cg, pid_t pid) {
    if (cg->version == 0) return 0;
    char path[600], val[32];
    snprintf(val, sizeof val, "%d", (int)pid);
    snprintf(path, sizeof path, "%s/cgroup.procs", cg->mem);
    if (write_file(path, val) != 0) return -1;
    if (cg->version == 1) {
        snprintf(path, sizeof path, "%s/cgroup.procs", cg->pids);
        if (write_file(path, val) != 0) return -1;
        snprintf(path, sizeof path, "%s/cgroup.procs", cg->cpu);
        if (write_file(path, val) != 0) return -1;
    }
    return 0;
}

static long long cgroup_cpu_us(const cgroup_t *cg) {
    char path[600];
    if (cg->version == 1) {
        snprintf(path, sizeof path, "%s/cpuacct.usage", cg->cpu);
        long long ns = read_ll_file(path);
        return ns < 0 ? -1 : ns / 1000;
    }
    if (cg->version == 2) {
        snprintf(path, sizeof path, "%s/cpu.stat", cg->cpu);
        return read_keyed(path, "usage_usec");
    }
    return -1;
}

static long long cgroup_peak_kb(const cgroup_t *cg) {
    char path[600];
    if (cg->version == 1) snprintf(path, sizeof path, "%s/memory.max_usage_in_bytes", cg->mem);
    else if (cg->version == 2) snprintf(path, sizeof path, "%s/memory.peak", cg->mem);
    else return -1;
    long long b = read_ll_file(path);
    return b < 0 ? -1 : b / 1024;
}

static long long cgroup_oom_kills(const cgroup_t *cg) {
    char path[600];
    if (cg->version == 1) { snprintf(path, sizeof path, "%s/memory.oom_control", cg->mem); return read_keyed(path, "oom_kill"); }
    if (cg->version == 2) { snprintf(path, sizeof path, "%s/memory.events", cg->mem); return read_keyed(path, "oom_kill"); }
    return -1;
}

/* Kills every process still in the run's cgroup (a daemon that escaped the process group, say). */
static void cgroup_kill_all(const cgroup_t *cg) {
    if (cg->version == 0) return;
    char path[600];
    if (cg->version == 2) {
        snprintf(path, sizeof path, "%s/cgroup.kill", cg->mem);
        if (write_file(path, "1") == 0) return;
    }
    snprintf(path, sizeof path, "%s/cgroup.procs", cg->pids);
    /* Short waits: bubblewrap's init usually leaves the cgroup within a millisecond or two of being killed. */
    for (int round = 0; round < 500; round++) {
        FILE *f = fopen(path, "re");
        if (!f) return;
        int pid, any = 0;
        while (fscanf(f, "%d", &pid) == 1) { kill(pid, SIGKILL); any = 1; }
        fclose(f);
        if (!any) return;
        usleep(200);
    }
}

static void cgroup_destroy(const cgroup_t *cg) {
    if (cg->version == 0) return;
    cgroup_kill_all(cg);
    for (int i = 0; i < 2000; i++) {
        int ok = rmdir(cg->mem) == 0 || errno == ENOENT;
        if (cg->version == 1) {
            ok &= rmdir(cg->pids) == 0 || errno == ENOENT;
            ok &= rmdir(cg->cpu) == 0 || errno == ENOENT;
        }
        if (ok) return;
        usleep(500);   /* processes killed a moment ago may not be gone from the cgroup yet */
    }
}

/* ------------------------------------------------------------------ one run */

typedef struct {
    long long wall_ms, cpu_ms, mem_kb, nproc, output_bytes;
    int uid, gid;
    char cgroup_name[128];
    char chown_path[1024];
    /* Host paths the supervisor opens (as root, before dropping privileges) for bubblewrap's
       --ro-bind-fd/--bind-fd, so a sandbox uid never needs search permission on, say, /root. */
    int nfds;
    int fd_num[256];
    char *fd_path[256];
} options_t;

typedef struct {
    int fd;
    buf_t *sink;
    long long captured;
    int truncated, open;
} stream_t;

static void kill_run(pid_t pid, const cgroup_t *cg) {
    kill(pid, SIGKILL);      /* bubblewrap's --die-with-parent then takes the whole PID namespace down */
    cgroup_kill_all(cg);
}

static int pidfd_open_compat(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid; errno = ENOSYS; return -1;
#endif
}

static void run_one(const options_t *o, char **argv, const char *stdin_data, size_t stdin_len, buf_t *meta,
                    buf_t *out, buf_t *err) {
    int pin[2], pout[2], perr[2], pready[2];
    if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC) || pipe2(pready, O_CLOEXEC)) {
        buf_printf(meta, "outcome=setup_error\nerror=pipe: %s\n", strerror(errno));
        return;
    }
    cgroup_t cg;
    cgroup_create(&cg, o->cgroup_name, o->mem_kb, o->nproc);
    buf_printf(meta, "cgroup=v%d\n", cg.version);
    long long oom_before = cgroup_oom_kills(&cg);

    if (o->chown_path[0] && o->uid >= 0 && geteuid() == 0) {
        if (chown(o->chown_path, (uid_t)o->uid, (gid_t)o->gid) != 0) { /* reported below if the run then fails */ }
    }

    int64_t start = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        buf_printf(meta, "outcome=setup_error\nerror=fork: %s\n", strerror(errno));
        cgroup_destroy(&cg);
        return;
    }
    if (pid == 0) {
        /* Child: only async-signal-safe calls from here on. */
        setsid();
        if (cgroup_join(&cg, getpid()) != 0) {
            const char m[] = "Xcannot join cgroup";
            if (write(pready[1], m, sizeof m - 1) < 0) {}
            _exit(127);
        }
        int maxfd = READY_FD;
        for (int i = 0; i < o->nfds; i++) {
            int f = open(o->fd_path[i], O_PATH | O_CLOEXEC);
            if (f < 0) {
                char m[1200];
                int n = snprintf(m, sizeof m, "Xcannot open %s: %s", o->fd_path[i], strerror(errno));
                if (write(pready[1], m, (size_t)n) < 0) {}
                _exit(127);
            }
            if (f != o->fd_num[i]) { dup2(f, o->fd_num[i]); close(f); }
            else fcntl(f, F_SETFD, 0);
            if (o->fd_num[i] > maxfd) maxfd = o->fd_num[i];
        }
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        dup2(perr[1], 2);
        dup2(pready[1], READY_FD);          /* dup2 clears close-on-exec on the copy */
        syscall(SYS_close_range, 3, READY_FD - 1, 0);
        if (o->nfds == 0) syscall(SYS_close_range, READY_FD + 1, ~0U, 0);
        else syscall(SYS_close_range, maxfd + 1, ~0U, 0);
        signal(SIGPIPE, SIG_DFL);
        if (o->uid >= 0 && geteuid() == 0) {
            if (setgroups(0, NULL) != 0 || setresgid((gid_t)o->gid, (gid_t)o->gid, (gid_t)o->gid) != 0
                || setresuid((uid_t)o->uid, (uid_t)o->uid, (uid_t)o->uid) != 0) {
                const char m[] = "Xcannot drop privileges";
                if (write(READY_FD, m, sizeof m - 1) < 0) {}
                _exit(127);
            }
        }
        /* bubblewrap gets an empty environment: its own process (pid 1 in the sandbox) is readable by the
           candidate through /proc/1/environ, so nothing of Assay's environment may reach it. */
        char *empty_env[] = { NULL };
        execve(argv[0], argv, empty_env);
        char m[256];
        int n = snprintf(m, sizeof m, "Xcannot execute %s: %s", argv[0], strerror(errno));
        if (write(READY_FD, m, (size_t)n) < 0) {}
        _exit(127);
    }
    close(pin[0]); close(pout[1]); close(perr[1]); close(pready[1]);
    fcntl(pin[1], F_SETFL, O_NONBLOCK);
    int pidfd = pidfd_open_compat(pid);

    stream_t streams[2] = { { pout[0], out, 0, 0, 1 }, { perr[0], err, 0, 0, 1 } };
    buf_t ready = {0};
    int ready_open = 1;
    size_t stdin_put = 0;
    int stdin_open = 1;
    if (stdin_len == 0) { close(pin[1]); stdin_open = 0; }

    const char *killed_for = NULL;
    int exited = 0, status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    int64_t wall_deadline = o->wall_ms > 0 ? start + o->wall_ms * 1000000LL : INT64_MAX;
    int64_t drain_deadline = INT64_MAX;
    char chunk[65536];

    for (;;) {
        if (!exited && wait4(pid, &status, WNOHANG, &ru) == pid) exited = 1;
        if (exited && !streams[0].open && !streams[1].open && !ready_open) break;
        int64_t t = now_ns();
        if (exited && drain_deadline == INT64_MAX) drain_deadline = t + 2000000000LL;
        if (exited && t > drain_deadline) break;   /* something outside the sandbox holds a pipe: give up on it */
        if (!exited && !killed_for) {
            if (t >= wall_deadline) { killed_for = "wall_time"; kill_run(pid, &cg); }
            else if (o->cpu_ms > 0) {
                long long cpu = cgroup_cpu_us(&cg);
                if (cpu >= 0 && cpu / 1000 >= o->cpu_ms) { killed_for = "cpu_time"; kill_run(pid, &cg); }
            }
        }

        struct pollfd fds[5];
        int n = 0, idx_out = -1, idx_err = -1, idx_ready = -1, idx_in = -1, idx_pid = -1;
        if (streams[0].open) { idx_out = n; fds[n++] = (struct pollfd){ streams[0].fd, POLLIN, 0 }; }
        if (streams[1].open) { idx_err = n; fds[n++] = (struct pollfd){ streams[1].fd, POLLIN, 0 }; }
        if (ready_open) { idx_ready = n; fds[n++] = (struct pollfd){ pready[0], POLLIN, 0 }; }
        if (stdin_open) { idx_in = n; fds[n++] = (struct pollfd){ pin[1], POLLOUT, 0 }; }
        if (!exited && pidfd >= 0) { idx_pid = n; fds[n++] = (struct pollfd){ pidfd, POLLIN, 0 }; }
        int timeout = 10;
        if (pidfd >= 0 || exited) timeout = o->cpu_ms > 0 ? 10 : 50;
        if (!exited && wall_deadline != INT64_MAX) {
            int64_t left_ms = (wall_deadline - t) / 1000000LL + 1;
            if (left_ms < timeout) timeout = (int)(left_ms < 0 ? 0 : left_ms);
        }
        int pr = poll(fds, (nfds_t)n, timeout);
        if (pr < 0 && errno != EINTR) break;
        if (pr <= 0) continue;
        (void)idx_pid;
        int idxs[2] = { idx_out, idx_err };
        for (int s = 0; s < 2; s++) {
            if (idxs[s] < 0 || !(fds[idxs[s]].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            stream_t *st = &streams[s];
            ssize_t r = read(st->fd, chunk, sizeof chunk);
            if (r <= 0) { if (r < 0 && errno == EINTR) continue; st->open = 0; close(st->fd); continue; }
            long long room = o->output_bytes > 0 ? o->output_bytes - st->captured : r;
            if (room >= r) { buf_put(st->sink, chunk, (size_t)r); st->captured += r; }
            else {
                if (room > 0) { buf_put(st->sink, chunk, (size_t)room); st->captured += room; }
                st->truncated = 1;
                if (!killed_for && !exited) { killed_for = "output"; kill_run(pid, &cg); }
            }
        }
        if (idx_ready >= 0 && (fds[idx_ready].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = read(pready[0], chunk, 512);
            if (r <= 0) { if (!(r < 0 && errno == EINTR)) { ready_open = 0; close(pready[0]); } }
            else if (ready.len < 4096) buf_put(&ready, chunk, (size_t)r);
        }
        if (idx_in >= 0 && (fds[idx_in].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(pin[1], stdin_data + stdin_put, stdin_len - stdin_put);
            if (w > 0) stdin_put += (size_t)w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || stdin_put >= stdin_len) { close(pin[1]); stdin_open = 0; }
        }
    }
    if (!exited) {   /* a pipe outlived the drain deadline or poll failed: make sure nothing is left running */
        kill_run(pid, &cg);
        wait4(pid, &status, 0, &ru);
    }
    int64_t wall_ns = now_ns() - start;
    /* bubblewrap's outer process can exit before its init (pid 1 in the sandbox) is reaped; as the
       subreaper the supervisor inherits it, and the run is over only when no process of it is left. */
    cgroup_kill_all(&cg);
    for (int64_t reap_deadline = now_ns() + 2000000000LL;;) {
        pid_t r = waitpid(-1, NULL, WNOHANG);
        if (r > 0) continue;
        if (r < 0 || now_ns() > reap_deadline) break;   /* ECHILD: nothing left */
        usleep(200);
    }
    for (int s = 0; s < 2; s++) if (streams[s].open) close(streams[s].fd);
    if (ready_open) close(pready[0]);
    if (stdin_open) close(pin[1]);
    if (pidfd >= 0) close(pidfd);

    /* wait4's usage covers the sandbox's whole tree: each level reaped the one below it. */
    long long cpu_us_ru = ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec;
    long long cpu_us = cgroup_cpu_us(&cg);
    if (cpu_us < 0) cpu_us = cpu_us_ru;
    long long oom_after = cgroup_oom_kills(&cg);
    long long cg_peak = cgroup_peak_kb(&cg);
    cgroup_kill_all(&cg);
    cgroup_destroy(&cg);

    /* The ready channel decides whether the program itself ever started. */
    const char *outcome;
    if (ready.len >= 1 && ready.data[0] == 'X') outcome = "setup_error";
    else if (ready.len == 0) outcome = killed_for ? "killed" : "setup_error";
    else if (ready.len > 1 && ready.data[1] == 'E') outcome = "exec_error";
    else outcome = killed_for ? "killed" : "exited";
    buf_printf(meta, "outcome=%s\n", outcome);
    if (ready.len > 0 && (ready.data[0] == 'X' || (ready.len > 1 && ready.data[1] == 'E'))) {
        size_t off = ready.data[0] == 'X' ? 1 : 2;
        buf_printf(meta, "error=%.*s\n", (int)(ready.len - off), ready.data + off);
    }
    if (killed_for) buf_printf(meta, "killed_for=%s\n", killed_for);
    if (WIFEXITED(status)) buf_printf(meta, "exit_code=%d\n", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) buf_printf(meta, "wrapper_signal=%d\n", WTERMSIG(status));
    buf_printf(meta, "wall_us=%lld\ncpu_us=%lld\nmaxrss_kb=%ld\n", (long long)(wall_ns / 1000), cpu_us,
               ru.ru_maxrss);
    if (cg_peak >= 0) buf_printf(meta, "cgroup_peak_kb=%lld\n", cg_peak);
    if (oom_before >= 0 && oom_after > oom_before) buf_printf(meta, "oom_killed=1\n");
    buf_printf(meta, "stdout_truncated=%d\nstderr_truncated=%d\n", streams[0].truncated, streams[1].truncated);
    free(ready.data);
}

static void serve(void) {
    signal(SIGPIPE, SIG_IGN);
    /* Orphans of a run (bubblewrap's init, anything that escaped it) are re-parented here, not to the host's init. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    for (;;) {
        uint32_t len;
        int r = read_full(0, &len, 4);
        if (r <= 0) return;
        char *req = malloc((size_t)len + 1);
        if (!req || read_full(0, req, len) <= 0) return;
        req[len] = 0;
        uint32_t in_len;
        if (read_full(0, &in_len, 4) <= 0) return;
        char *in_data = malloc(in_len ? in_len : 1);
        if (!in_data || (in_len && read_full(0, in_data, in_len) <= 0)) return;

        options_t o;
        memset(&o, 0, sizeof o);
        o.uid = o.gid = -1;
        snprintf(o.cgroup_name, sizeof o.cgroup_name, "s%d", (int)getpid());
        char *argv[MAX_ARGS + 1];
        int argc = 0, in_args = 0;
        for (char *p = req; p < req + len; p += strlen(p) + 1) {
            if (!in_args) {
                if (*p == 0) { in_args = 1; continue; }
                char *eq = strchr(p, '=');
                if (!eq) continue;
                *eq = 0;
                const char *v = eq + 1;
                if (!strcmp(p, "wall_ms")) o.wall_ms = atoll(v);
                else if (!strcmp(p, "cpu_ms")) o.cpu_ms = atoll(v);
                else if (!strcmp(p, "mem_kb")) o.mem_kb = atoll(v);
                else if (!strcmp(p, "nproc")) o.nproc = atoll(v);
                else if (!strcmp(p, "output_bytes")) o.output_bytes = atoll(v);
                else if (!strcmp(p, "uid")) o.uid = atoi(v);
                else if (!strcmp(p, "gid")) o.gid = atoi(v);
                else if (!strcmp(p, "cgroup")) snprintf(o.cgroup_name, sizeof o.cgroup_name, "%s", v);
                else if (!strcmp(p, "chown")) snprintf(o.chown_path, sizeof o.chown_path, "%s", v);
                else if (!strcmp(p, "fd") && o.nfds < 256) {
                    /* fd=NUMBER:PATH, NUMBER above READY_FD */
                    char *colon = strchr(v, ':');
                    int num = atoi(v);
                    if (colon && num > READY_FD && num < 4096) { o.fd_num[o.nfds] = num; o.fd_path[o.nfds] = colon + 1; o.nfds++; }
                }
            } else if (argc < MAX_ARGS) {
                argv[argc++] = p;
            }
        }
        argv[argc] = NULL;
        buf_t meta = {0}, out = {0}, err = {0};
        if (argc == 0) buf_printf(&meta, "outcome=setup_error\nerror=empty command\n");
        else run_one(&o, argv, in_data, in_len, &meta, &out, &err);
        uint32_t l;
        l = (uint32_t)meta.len; write_full(1, &l, 4); if (meta.len) write_full(1, meta.data, meta.len);
        l = (uint32_t)out.len;  write_full(1, &l, 4); if (out.len) write_full(1, out.data, out.len);
        l = (uint32_t)err.len;  write_full(1, &l, 4); if (err.len) write_full(1, err.data, err.len);
        free(meta.data); free(out.data); free(err.data); free(req); free(in_data);
    }
}

/* ------------------------------------------------------------------ inside the sandbox */

static int rlimit_by_name(const char *name) {
    if (!strcmp(name, "cpu")) return RLIMIT_CPU;
    if (!strcmp(name, "as")) return RLIMIT_AS;
    if (!strcmp(name, "nproc")) return RLIMIT_NPROC;
    if (!strcmp(name, "nofile")) return RLIMIT_NOFILE;
    if (!strcmp(name, "fsize")) return RLIMIT_FSIZE;
    if (!strcmp(name, "stack")) return RLIMIT_STACK;
    if (!strcmp(name, "core")) return RLIMIT_CORE;
    return -1;
}

static int init_main(int argc, char **argv) {
    /* Proves to the supervisor that bubblewrap finished its setup. */
    if (write(READY_FD, "R", 1) != 1) _exit(126);
    fcntl(READY_FD, F_SETFD, FD_CLOEXEC);
    int i = 2;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) { i++; break; }
        if (!strcmp(argv[i], "--rlimit") && i + 1 < argc) {
            char spec[128];
            snprintf(spec, sizeof spec, "%s", argv[++i]);
            char *eq = strchr(spec, '=');
            if (!eq) continue;
            *eq = 0;
            int res = rlimit_by_name(spec);
            if (res < 0) continue;
            rlim_t v = (rlim_t)strtoull(eq + 1, NULL, 10);
            /* CPU: the soft limit sends SIGXCPU, the hard limit one second later SIGKILL. */
            struct rlimit rl = { v, res == RLIMIT_CPU ? v + 1 : v };
            setrlimit(res, &rl);
        }
    }
    if (i >= argc) { dprintf(READY_FD, "Eno program given"); _exit(127); }
    execv(argv[i], argv + i);
    dprintf(READY_FD, "Ecannot execute %s: %s", argv[i], strerror(errno));
    _exit(127);
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "serve")) { serve(); return 0; }
    if (argc >= 2 && !strcmp(argv[1], "init")) return init_main(argc, argv);
    fprintf(stderr, "usage: assay-supervisor serve | init [--rlimit NAME=VALUE ...] -- PROGRAM ARGS...\n");
    return 2;
}
