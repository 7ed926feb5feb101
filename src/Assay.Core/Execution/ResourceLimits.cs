namespace Assay.Core.Execution;

/// <summary>
/// Hard limits for one sandboxed process tree. Every limit has a safe default; toolchains and problems
/// override the ones they need (a JVM wants more threads and memory than a Python script).
/// </summary>
public sealed record ResourceLimits
{
    /// <summary>Wall-clock time from start to kill.</summary>
    public TimeSpan WallTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>CPU time summed over the whole process tree.</summary>
    public TimeSpan CpuTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Memory of the whole tree (cgroup), including files written to the sandbox's tmpfs.</summary>
    public long MemoryKb { get; init; } = 512 * 1024;

    /// <summary>Processes and threads alive at once.</summary>
    public int MaxProcesses { get; init; } = 64;

    public int MaxOpenFiles { get; init; } = 256;

    /// <summary>Largest single file the program may write.</summary>
    public long MaxFileSizeKb { get; init; } = 64 * 1024;

    /// <summary>Bytes kept of stdout and of stderr each; a program that writes more is stopped (`output_limit`).</summary>
    public long MaxOutputBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Size of the writable working directory and of /tmp (each a tmpfs, counted in memory too).</summary>
    public long TmpfsKb { get; init; } = 64 * 1024;

    /// <summary>
    /// The first out-of-memory kill in the run's cgroup ends the run (`memory_limit`), even when the kernel chose a
    /// child and its parent would go on. Off only for a program that judges its children's deaths itself: the
    /// Python harness reports its worker's and starts another for the next candidate.
    /// </summary>
    public bool OomKillEndsRun { get; init; } = true;

    public static ResourceLimits Default { get; } = new();

    /// <summary>Generous limits for compilers, which are trusted programs fed untrusted input.</summary>
    public static ResourceLimits Compile { get; } = new()
    {
        WallTime = TimeSpan.FromSeconds(60),
        CpuTime = TimeSpan.FromSeconds(60),
        MemoryKb = 2 * 1024 * 1024,
        MaxProcesses = 256,
        MaxOpenFiles = 1024,
        MaxFileSizeKb = 256 * 1024,
        MaxOutputBytes = 1024 * 1024,
        TmpfsKb = 512 * 1024,
    };

    /// <summary>Checks the values make sense; returns a message naming the first bad one, or null.</summary>
    public string? Validate()
    {
        if (WallTime <= TimeSpan.Zero) return "wall time limit must be positive";
        if (CpuTime <= TimeSpan.Zero) return "CPU time limit must be positive";
        if (MemoryKb < 1024) return "memory limit must be at least 1 MB";
        if (MaxProcesses < 1) return "process limit must be at least 1";
        if (MaxOpenFiles < 8) return "open-file limit must be at least 8";
        if (MaxFileSizeKb < 1) return "file-size limit must be at least 1 KB";
        if (MaxOutputBytes < 1) return "output limit must be at least 1 byte";
        if (TmpfsKb < 64) return "tmpfs size must be at least 64 KB";
        return null;
    }
}
