/* assay-supervisor: per-run cgroups (v1 or v2): memory, pids, CPU accounting, cleanup. */
#include "supervisor.h"

/* ------------------------------------------------------------------ cgroups (v1 or v2) */

static int cgroup_v2_root_ok = -1;

void cgroup_create(cgroup_t *cg, const char *name, long long mem_kb, long long nproc) {
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

int cgroup_join(const cgroup_t *cg, pid_t pid) {
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

long long cgroup_cpu_us(const cgroup_t *cg) {
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

long long cgroup_peak_kb(const cgroup_t *cg) {
    char path[600];
    if (cg->version == 1) snprintf(path, sizeof path, "%s/memory.max_usage_in_bytes", cg->mem);
    else if (cg->version == 2) snprintf(path, sizeof path, "%s/memory.peak", cg->mem);
    else return -1;
    long long b = read_ll_file(path);
    return b < 0 ? -1 : b / 1024;
}

long long cgroup_oom_kills(const cgroup_t *cg) {
    char path[600];
    if (cg->version == 1) { snprintf(path, sizeof path, "%s/memory.oom_control", cg->mem); return read_keyed(path, "oom_kill"); }
    if (cg->version == 2) { snprintf(path, sizeof path, "%s/memory.events", cg->mem); return read_keyed(path, "oom_kill"); }
    return -1;
}

/* Kills every process still in the run's cgroup (a daemon that escaped the process group, say). */
void cgroup_kill_all(const cgroup_t *cg) {
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

void cgroup_destroy(const cgroup_t *cg) {
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

