/*
 * assay-supervisor's shared declarations. The program is split by concern, one file each: io.c (I/O helpers,
 * the growable buffer), cgroup.c (per-run cgroups, v1 or v2), run.c (one sandboxed run), main.c (what the
 * program is, the serve loop and the in-sandbox init).
 */
#ifndef ASSAY_SUPERVISOR_H
#define ASSAY_SUPERVISOR_H

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

/* growable byte buffer */
typedef struct { char *data; size_t len, cap; } buf_t;

typedef struct {
    int version;            /* 0 none, 1 v1, 2 v2 */
    char mem[512], pids[512], cpu[512];   /* v1: one dir per controller; v2: all three equal */
} cgroup_t;

typedef struct {
    long long wall_ms, cpu_ms, mem_kb, nproc, output_bytes;
    /* An OOM kill inside the run's cgroup ends the whole run (killed_for=memory): the program is past its memory
       limit even when the process the kernel chose was only one of its children. 0 for a program that handles
       its children's deaths itself (the Python harness judges the candidate's death and goes on). */
    int oom_ends_run;
    /* stdout is forwarded as it arrives (chunk frames before the response) instead of in the response: a judge
       that reports many candidates in one run gets each one's record while the run goes on. */
    int stream_stdout;
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

int read_full(int fd, void *buf, size_t n);
int write_full(int fd, const void *buf, size_t n);
void write_chunk_frame(const char *data, size_t n);
int64_t now_ns(void);
int write_file(const char *path, const char *text);
long long read_ll_file(const char *path);
long long read_keyed(const char *path, const char *key);
void buf_put(buf_t *b, const void *p, size_t n);
void buf_printf(buf_t *b, const char *fmt, ...);
void cgroup_create(cgroup_t *cg, const char *name, long long mem_kb, long long nproc);
int cgroup_join(const cgroup_t *cg, pid_t pid);
long long cgroup_cpu_us(const cgroup_t *cg);
long long cgroup_peak_kb(const cgroup_t *cg);
long long cgroup_oom_kills(const cgroup_t *cg);
void cgroup_kill_all(const cgroup_t *cg);
void cgroup_destroy(const cgroup_t *cg);
void run_one(const options_t *o, char **argv, const char *stdin_data, size_t stdin_len, buf_t *meta, buf_t *out, buf_t *err);

#endif
