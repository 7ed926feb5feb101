/* assay-supervisor: one sandboxed run, from fork to the report of how it ended. */
#include "supervisor.h"

/* ------------------------------------------------------------------ one run */

static void kill_run(pid_t pid, const cgroup_t *cg) {
    kill(pid, SIGKILL);      /* bubblewrap's --die-with-parent then takes the whole PID namespace down */
    cgroup_kill_all(cg);
}

/* Captured output goes into the response, or (streamed stdout) straight to the supervisor's stdout. */
static void keep(stream_t *st, int forward, const char *data, size_t n) {
    if (forward) write_chunk_frame(data, n);
    else buf_put(st->sink, data, n);
    st->captured += (long long)n;
}

static int pidfd_open_compat(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid; errno = ENOSYS; return -1;
#endif
}

void run_one(const options_t *o, char **argv, const char *stdin_data, size_t stdin_len, buf_t *meta,
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
    int64_t oom_checked = 0;
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
        /* The kernel's OOM killer takes one process; a parent that survives it (waiting, sleeping, retrying)
           would otherwise keep the run going until the wall limit. Checked at most every 5 ms: each check is a
           file read, and a program writing output wakes this loop far more often. */
        if (!exited && !killed_for && o->oom_ends_run && oom_before >= 0 && t - oom_checked >= 5000000LL) {
            oom_checked = t;
            if (cgroup_oom_kills(&cg) > oom_before) { killed_for = "memory"; kill_run(pid, &cg); }
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
            int forward = s == 0 && o->stream_stdout;
            if (room >= r) { keep(st, forward, chunk, (size_t)r); }
            else {
                if (room > 0) keep(st, forward, chunk, (size_t)room);
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

