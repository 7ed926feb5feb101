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
 *       stdout/stderr up to a byte cap, enforces wall and CPU time, stops the run at the first OOM kill in its
 *       cgroup (unless told not to), and reports how the run ended.
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
 *                 bytes, then u32 LE + stderr bytes. With the option stream_stdout=1 the run's stdout comes
 *                 before the response instead, as it arrives, in chunk frames (u32 LE length | 0x80000000, the
 *                 bytes), and the response's stdout is empty.
 */
#include "supervisor.h"

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
        o.oom_ends_run = 1;
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
                else if (!strcmp(p, "oom_ends_run")) o.oom_ends_run = atoi(v) != 0;
                else if (!strcmp(p, "stream_stdout")) o.stream_stdout = atoi(v) != 0;
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
