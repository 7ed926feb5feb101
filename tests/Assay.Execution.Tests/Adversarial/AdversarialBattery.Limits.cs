using Assay.Core.Execution;

namespace Assay.Execution.Tests.Adversarial;

/// <summary>Candidates that try to exhaust a resource: time, processes, memory, output, disk, file descriptors.</summary>
public sealed partial class AdversarialBattery
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [SandboxFact]
    public async Task Infinite_loop_is_stopped_at_the_cpu_limit()
    {
        var marker = HostInspector.NewMarker("spin");
        var outcome = await RunAsync("python", MarkedPython(marker, "while True:\n    pass\n"),
            l => l with { CpuTime = OneSecond, WallTime = TimeSpan.FromSeconds(5) });

        AssertStatus(RunStatus.TimeLimit, outcome);
        Assert.Contains("CPU", outcome.Run.Message, StringComparison.Ordinal);
        Assert.InRange(outcome.Run.CpuTimeMs, 1000, 2500);
        // Stopped for CPU, well before the 5 s wall limit.
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(4), "took " + outcome.Elapsed);
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Sleeping_forever_is_stopped_at_the_wall_limit()
    {
        var marker = HostInspector.NewMarker("sleep");
        var outcome = await RunAsync("python", MarkedPython(marker, "import time\ntime.sleep(10 ** 6)\n"),
            l => l with { WallTime = OneSecond, CpuTime = TimeSpan.FromSeconds(5) });

        AssertStatus(RunStatus.TimeLimit, outcome);
        Assert.Contains("wall", outcome.Run.Message, StringComparison.Ordinal);
        Assert.InRange(outcome.Run.WallTimeMs, 1000, 1000 + Slack.TotalMilliseconds);
        Assert.True(outcome.Run.CpuTimeMs < 1000, "a sleeper used CPU: " + outcome.Run);
        Assert.True(outcome.Elapsed < OneSecond + Slack, "took " + outcome.Elapsed);
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Candidate_that_ignores_and_blocks_signals_is_still_killed_at_the_wall_limit()
    {
        var marker = HostInspector.NewMarker("nosig");
        const string body = """
            import signal, time
            for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGXCPU, signal.SIGUSR1, signal.SIGALRM):
                signal.signal(s, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals))
            print("signals ignored", flush=True)
            while True:
                time.sleep(1)
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { WallTime = OneSecond, CpuTime = TimeSpan.FromSeconds(5) });

        AssertStatus(RunStatus.TimeLimit, outcome);
        Assert.Equal("signals ignored\n", outcome.Run.Stdout);
        Assert.True(outcome.Elapsed < OneSecond + Slack, "took " + outcome.Elapsed);
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Candidate_that_ignores_SIGXCPU_and_spins_is_still_killed_at_the_cpu_limit()
    {
        var marker = HostInspector.NewMarker("noxcpu");
        const string body = """
            import signal
            for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):
                signal.signal(s, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals))
            while True:
                pass
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { CpuTime = OneSecond, WallTime = TimeSpan.FromSeconds(5) });

        AssertStatus(RunStatus.TimeLimit, outcome);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(4), "took " + outcome.Elapsed);
        await AssertHostUntouchedAsync(marker);
    }

    /// <summary>
    /// A fork bomb fills the run's pids cgroup and then every copy spins until the CPU limit: the verdict is
    /// whatever limit ends it first (never ok, never a sandbox error), it ends on time, and every copy is gone.
    /// </summary>
    [SandboxFact]
    public async Task Python_fork_bomb_is_contained()
    {
        var marker = HostInspector.NewMarker("pyforkbomb");
        const string body = """
            while True:
                try:
                    if os.fork() == 0:
                        os.write(1, b"+")
                except OSError:
                    pass
            """;
        await AssertForkBombContainedAsync(marker, "python", MarkedPython(marker, body));
    }

    [ToolchainFact("c")]
    public async Task C_fork_bomb_is_contained()
    {
        var marker = HostInspector.NewMarker("cforkbomb");
        const string body = """
            static int candidate(void) {
                for (;;) {
                    if (fork() == 0) {
                        if (write(1, "+", 1) < 0) { }
                    }
                }
            }
            """;
        await AssertForkBombContainedAsync(marker, "c", MarkedC(marker, "#include <sys/types.h>", body));
    }

    private async Task AssertForkBombContainedAsync(string marker, string language, string source)
    {
        const int maxProcesses = 32;
        // The host-wide process count moves with whatever else runs on the machine, so the baseline that matters
        // is the number of this test process's sandbox processes: zero between runs, and zero again afterwards.
        var baseline = HostInspector.SandboxProcesses(HostInspector.Snapshot()).Ours.Count;
        Assert.Equal(0, baseline);
        var outcome = await RunAsync(language, source,
            l => l with { MaxProcesses = maxProcesses, CpuTime = OneSecond, WallTime = TimeSpan.FromSeconds(3) });

        Assert.True(outcome.Report.Status is not (RunStatus.Ok or RunStatus.SandboxError), "fork bomb: " + outcome.Run);
        // Every successful fork printed one '+'; the pids cgroup allows maxProcesses tasks in all, including the
        // sandbox's own two bubblewrap processes (outside and inside the PID namespace) and the original candidate.
        var forks = outcome.Run.Stdout.Count(c => c == '+');
        Assert.InRange(forks, 1, maxProcesses - 3);
        Assert.True(outcome.Run.WallTimeMs <= 3000 + 500, "the run outlived its wall limit: " + outcome.Run);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(3) + Slack + (language == "c" ? TimeSpan.FromSeconds(10) : TimeSpan.Zero),
            "took " + outcome.Elapsed);
        Assert.Equal(baseline, HostInspector.SandboxProcesses(HostInspector.Snapshot()).Ours.Count);
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Thread_bomb_is_contained()
    {
        const int maxProcesses = 32;
        var marker = HostInspector.NewMarker("threadbomb");
        const string body = """
            import threading, time
            started, reported = 0, False
            def idle():
                time.sleep(3600)
            while True:
                try:
                    threading.Thread(target=idle, daemon=True).start()
                    started += 1
                except RuntimeError:
                    if not reported:
                        print(started, flush=True)
                        reported = True
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body),
            l => l with { MaxProcesses = maxProcesses, CpuTime = OneSecond, WallTime = TimeSpan.FromSeconds(3) });

        Assert.True(outcome.Report.Status is not (RunStatus.Ok or RunStatus.SandboxError), "thread bomb: " + outcome.Run);
        // The first failed thread start reports how many threads it got: the task limit less the two bubblewrap
        // processes and the main thread.
        var started = int.Parse(outcome.Run.Stdout.Split('\n')[0]);
        Assert.InRange(started, 1, maxProcesses - 3);
        Assert.True(outcome.Run.WallTimeMs <= 3000 + 500, "the run outlived its wall limit: " + outcome.Run);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(3) + Slack, "took " + outcome.Elapsed);
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Steadily_growing_memory_is_stopped_at_the_memory_limit()
    {
        const long limitKb = 128 * 1024;
        var marker = HostInspector.NewMarker("grow");
        const string body = """
            chunks = []
            while True:
                chunks.append(b"x" * (4 << 20))
                print(len(chunks) * 4, flush=True)
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { MemoryKb = limitKb, WallTime = TimeSpan.FromSeconds(5) });

        AssertStatus(RunStatus.MemoryLimit, outcome);
        // It got somewhere before being stopped, and never past the limit.
        var lastMb = int.Parse(outcome.Run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        Assert.InRange(lastMb, 16, limitKb / 1024);
        Assert.InRange(outcome.Run.PeakMemoryKb, limitKb / 2, limitKb + 1024);
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task One_gigabyte_of_stdout_is_stopped_at_the_output_limit()
    {
        const int limit = 1 << 20;
        var marker = HostInspector.NewMarker("flood");
        const string body = """
            chunk = b"a" * (1 << 20)
            for _ in range(1024):
                sys.stdout.buffer.write(chunk)
            print("finished")
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { MaxOutputBytes = limit, WallTime = TimeSpan.FromSeconds(10) });

        AssertStatus(RunStatus.OutputLimit, outcome);
        Assert.True(outcome.Run.StdoutTruncated);
        Assert.Equal(limit, outcome.Run.Stdout.Length);
        Assert.True(outcome.Run.Stdout.All(c => c == 'a'), "captured output is not the candidate's");
        // Stopped as soon as it passed the cap, not after writing the whole gigabyte.
        Assert.True(outcome.Run.WallTimeMs < 5000, "took " + outcome.Run);
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Filling_the_disk_stays_inside_the_sandbox()
    {
        var marker = HostInspector.NewMarker("diskfill");
        const string body = """
            import errno, json
            report = {}
            chunk = b"\0" * (1 << 20)
            for d in ("/box", "/tmp"):
                written, index, error = 0, 0, None
                while index < 64 and error != "ENOSPC":
                    path = f"{d}/{MARKER}-{index}"
                    index += 1
                    try:
                        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                    except OSError as e:
                        error = errno.errorcode.get(e.errno, str(e.errno))
                        break
                    try:
                        while True:
                            written += os.write(fd, chunk)
                    except OSError as e:
                        error = errno.errorcode.get(e.errno, str(e.errno))
                    finally:
                        os.close(fd)
                report[d] = {"written": written, "error": error}
            print(json.dumps(report))
            """;
        var freeBefore = HostInspector.FreeBytes("/tmp");
        var freeRootBefore = HostInspector.FreeBytes("/");
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { WallTime = TimeSpan.FromSeconds(10) });
        var freeAfter = HostInspector.FreeBytes("/tmp");
        var freeRootAfter = HostInspector.FreeBytes("/");

        Assert.True(outcome.Report.Status is not RunStatus.SandboxError, "disk fill: " + outcome.Run);
        var report = LastJsonLine(outcome);
        foreach (var dir in new[] { "/box", "/tmp" })
        {
            var entry = report.GetProperty(dir);
            // The candidate really filled each writable place: it wrote until the tmpfs or the file-size limit said no.
            Assert.Contains(entry.GetProperty("error").GetString(), new[] { "ENOSPC", "EFBIG" });
            Assert.True(entry.GetProperty("written").GetInt64() >= 32L << 20, $"{dir}: only {entry.GetProperty("written")} bytes written");
        }
        const long fewMb = 16L << 20;
        Assert.True(freeBefore - freeAfter < fewMb, $"host /tmp lost {(freeBefore - freeAfter) >> 20} MB");
        Assert.True(freeRootBefore - freeRootAfter < fewMb, $"host / lost {(freeRootBefore - freeRootAfter) >> 20} MB");
        AssertProgramDirectoryUnchanged(outcome, "main.py");
        await AssertHostUntouchedAsync(marker);
    }

    /// <summary>
    /// /dev/shm inside the sandbox lives on bubblewrap's /dev tmpfs, which has no size of its own (unlike /box and
    /// /tmp): only the memory cgroup, which is charged for tmpfs pages, bounds it.
    /// </summary>
    [SandboxFact]
    public async Task Filling_dev_shm_is_stopped_at_the_memory_limit()
    {
        const long limitKb = 128 * 1024;
        var marker = HostInspector.NewMarker("shmfill");
        const string body = """
            import errno
            written, chunk = 0, b"\0" * (1 << 20)
            try:
                for i in range(1 << 16):
                    fd = os.open(f"/dev/shm/{MARKER}-{i}", os.O_WRONLY | os.O_CREAT, 0o644)
                    try:
                        for _ in range(8):
                            written += os.write(fd, chunk)
                    finally:
                        os.close(fd)
                    print(written >> 20, flush=True)
            except OSError as e:
                print("stopped by", errno.errorcode.get(e.errno, str(e.errno)), flush=True)
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { MemoryKb = limitKb, WallTime = TimeSpan.FromSeconds(5) });

        AssertStatus(RunStatus.MemoryLimit, outcome);
        var lastMb = int.Parse(outcome.Run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        Assert.InRange(lastMb, 8, limitKb / 1024);
        Assert.True(outcome.Run.PeakMemoryKb <= limitKb + 1024, "peak above the limit: " + outcome.Run);
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Exhausting_file_descriptors_is_contained()
    {
        const int maxOpenFiles = 64;
        var marker = HostInspector.NewMarker("fds");
        const string body = """
            import errno, json, resource
            fds, error = [], None
            try:
                while True:
                    fds.append(os.open("/dev/null", os.O_RDONLY))
            except OSError as e:
                error = errno.errorcode.get(e.errno, str(e.errno))
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (1 << 20, 1 << 20))
                raised = "raised"
            except (OSError, ValueError) as e:
                raised = type(e).__name__
            print(json.dumps({"opened": len(fds), "error": error, "raise": raised}))
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { MaxOpenFiles = maxOpenFiles });

        AssertStatus(RunStatus.Ok, outcome);
        var report = LastJsonLine(outcome);
        Assert.Equal("EMFILE", report.GetProperty("error").GetString());
        Assert.InRange(report.GetProperty("opened").GetInt32(), 1, maxOpenFiles);
        Assert.NotEqual("raised", report.GetProperty("raise").GetString());
        // The host (this process) can still open files.
        using (File.OpenRead("/proc/self/status")) { }
        await AssertHostUntouchedAsync(marker);
    }
}
