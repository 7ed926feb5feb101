using Assay.Core.Execution;

namespace Assay.Execution.Tests.Adversarial;

/// <summary>Candidates that run out of memory however they go about it: one huge request, a child the OOM killer takes.</summary>
public sealed partial class AdversarialBattery
{
    /// <summary>
    /// One 20 GB allocation. Whether the kernel refuses the mapping depends on the host's overcommit policy (mode 0
    /// refuses a single mapping only beyond RAM plus swap, mode 2 anything beyond the commit limit; Assay sets no
    /// address-space rlimit when it has cgroups). Refused, Python raises MemoryError and exits 1; granted, bytearray()
    /// zero-fills it and the cgroup's OOM killer stops the run. Either way the program ran out of memory: memory_limit.
    /// </summary>
    [SandboxFact]
    public async Task Single_20_GB_allocation_is_refused_or_stopped_at_the_memory_limit()
    {
        var marker = HostInspector.NewMarker("alloc20g");
        var outcome = await RunAsync("python", MarkedPython(marker, "x = bytearray(20 * 1024 ** 3)\nprint('allocated')\n"),
            l => l with { MemoryKb = 256 * 1024, WallTime = TimeSpan.FromSeconds(5) });

        AssertStatus(RunStatus.MemoryLimit, outcome);
        if (KernelRefusesMapping(20L * 1024 * 1024 * 1024)) Assert.Contains("MemoryError", outcome.Run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("allocated", outcome.Run.Stdout, StringComparison.Ordinal);
        Assert.True(outcome.Run.PeakMemoryKb <= 256 * 1024 + 1024, "peak above the limit: " + outcome.Run);
        await AssertHostUntouchedAsync(marker);
    }

    /// <summary>
    /// 100 GB at once, more than this project's machines have (24 GB, no swap): the kernel refuses the request before
    /// any page is touched, so no limit is ever reached and Python raises MemoryError. It is the memory limit's
    /// verdict all the same (python.yaml's memory_signals), not a runtime error; on a host that grants the mapping
    /// the OOM killer gives the same verdict.
    /// </summary>
    [SandboxFact]
    public async Task Allocation_larger_than_the_machine_is_memory_limit()
    {
        var marker = HostInspector.NewMarker("alloc100g");
        var outcome = await RunAsync("python", MarkedPython(marker, "s = ' ' * 10 ** 11\nprint('allocated')\n"),
            l => l with { MemoryKb = 256 * 1024 });

        AssertStatus(RunStatus.MemoryLimit, outcome);
        Assert.DoesNotContain("allocated", outcome.Run.Stdout, StringComparison.Ordinal);
        if (KernelRefusesMapping(100L * 1000 * 1000 * 1000))
            Assert.Equal((1, true), (outcome.Run.ExitCode ?? -1, outcome.Run.Stderr.Contains("MemoryError", StringComparison.Ordinal)));
        await AssertHostUntouchedAsync(marker);
    }

    /// <summary>
    /// A child that grows without bound while its parent waits and then sleeps: the OOM killer takes the child, and
    /// the run is over then (memory_limit), not at the wall limit the sleeping parent would otherwise reach.
    /// </summary>
    [SandboxFact]
    public async Task Child_taken_by_the_oom_killer_ends_the_run_at_once()
    {
        var marker = HostInspector.NewMarker("oomchild");
        const string body = """
            import subprocess, time
            child = subprocess.Popen([sys.executable, "-c", "x = []\nwhile True: x.append(bytearray(10 ** 7))"])
            child.wait()
            print("child ended", child.returncode, flush=True)
            time.sleep(10 ** 6)
            """;
        var wall = TimeSpan.FromSeconds(30);
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { MemoryKb = 128 * 1024, WallTime = wall });

        AssertStatus(RunStatus.MemoryLimit, outcome);
        Assert.DoesNotContain("wall", outcome.Run.Message, StringComparison.Ordinal);
        // 128 MB take a fraction of a second of CPU; even on a loaded machine the run ends far from its wall limit.
        Assert.True(outcome.Elapsed < wall / 3, "took " + outcome.Elapsed);
        await AssertHostUntouchedAsync(marker);
    }

    private static bool KernelRefusesMapping(long bytes)
    {
        var mode = File.ReadAllText("/proc/sys/vm/overcommit_memory").Trim();
        long MeminfoBytes(string key) => long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return mode switch
        {
            "1" => false,
            "2" => bytes > MeminfoBytes("CommitLimit") - MeminfoBytes("Committed_AS"),
            _ => bytes > MeminfoBytes("MemTotal") + MeminfoBytes("SwapTotal"),
        };
    }
}
