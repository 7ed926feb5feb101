namespace Assay.Bench.EvalThroughput;

/// <summary>
/// A cgroup of its own for the baseline, only to read how much CPU time its processes used: bubblewrap's outer
/// process exits without reaping the namespace's init, so the usual children's rusage never sees the harness's
/// CPU time. Needs root (or a delegated hierarchy); without one the baseline's CPU time is simply not reported.
/// </summary>
internal sealed class CpuCgroup : IDisposable
{
    private readonly string _directory;
    private readonly bool _v1;

    private CpuCgroup(string directory, bool v1)
    {
        _directory = directory;
        _v1 = v1;
    }

    /// <summary>The file a process writes its pid to, to join.</summary>
    public string ProcsFile => Path.Combine(_directory, "cgroup.procs");

    public static CpuCgroup? TryCreate()
    {
        var name = $"assay-bench-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40];
        // v1 first, as Assay's supervisor does: the cpuacct controller counts every task of the group.
        foreach (var (root, v1, counter) in new[] { ("/sys/fs/cgroup/cpuacct", true, "cpuacct.usage"), ("/sys/fs/cgroup", false, "cpu.stat") })
        {
            if (!File.Exists(Path.Combine(root, "cgroup.procs")) || (!v1 && !File.Exists(Path.Combine(root, "cgroup.controllers")))) continue;
            var directory = Path.Combine(root, name);
            try
            {
                Directory.CreateDirectory(directory);
                if (File.Exists(Path.Combine(directory, counter))) return new CpuCgroup(directory, v1);
                Directory.Delete(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not allowed here: try the next layout, or go without.
            }
        }
        return null;
    }

    /// <summary>CPU seconds used by every process that was ever in the group, or null when unreadable.</summary>
    public double? UsageSeconds()
    {
        try
        {
            if (_v1) return long.Parse(File.ReadAllText(Path.Combine(_directory, "cpuacct.usage")).Trim()) / 1e9;
            var line = File.ReadLines(Path.Combine(_directory, "cpu.stat")).FirstOrDefault(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["usage_usec ".Length..]) / 1e6;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A process still in it (it should not be) keeps it; an empty leftover cgroup costs nothing.
        }
    }
}
