namespace Assay.Core.Execution;

/// <summary>Turns a <see cref="Termination"/> into a <see cref="RunStatus"/>: the one place that rule lives.</summary>
public static class TerminationClassifier
{
    private const int SigKill = 9;
    private const int SigXcpu = 24;
    private const int SigXfsz = 25;

    /// <param name="stderr">What the program wrote to stderr, read for <paramref name="memorySignals"/>.</param>
    /// <param name="memorySignals">What the program's runtime prints when an allocation is refused (the language's
    /// <see cref="Languages.Language.MemorySignals"/>); none: only the OOM killer tells of the memory limit.</param>
    public static (RunStatus Status, int? ExitCode, int? Signal, string? Message) Classify(Termination t, ResourceLimits limits,
        string? stderr = null, IReadOnlyList<string>? memorySignals = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(limits);
        var (exitCode, signal) = SplitWrapperStatus(t.WrapperExitCode);

        switch (t.Kind)
        {
            case TerminationKind.SetupError:
                return (RunStatus.SandboxError, null, null, "sandbox setup failed: " + (t.Error ?? "unknown reason"));
            case TerminationKind.ExecError:
                return (RunStatus.SandboxError, null, null, t.Error ?? "program could not be started");
        }

        // The output cap is checked first: a program stopped for flooding stdout may also be near a time limit.
        if (t.KilledFor == KillReason.Output || t.StdoutTruncated || t.StderrTruncated)
            return (RunStatus.OutputLimit, exitCode, signal, $"output exceeded {limits.MaxOutputBytes} bytes");
        if (t.KilledFor == KillReason.Memory || (t.OomKilled && (signal is not null || exitCode is not 0 || t.Kind == TerminationKind.Killed)))
            return (RunStatus.MemoryLimit, exitCode, signal, $"memory exceeded {limits.MemoryKb} KB");
        if (t.KilledFor == KillReason.WallTime)
            return (RunStatus.TimeLimit, exitCode, signal, $"wall time exceeded {limits.WallTime.TotalSeconds:0.###} s");
        if (t.KilledFor == KillReason.CpuTime || signal == SigXcpu
            || (signal == SigKill && t.CpuTimeMs >= limits.CpuTime.TotalMilliseconds))
            return (RunStatus.TimeLimit, exitCode, signal, $"CPU time exceeded {limits.CpuTime.TotalSeconds:0.###} s");
        if (signal == SigXfsz)
            return (RunStatus.RuntimeError, exitCode, signal, $"file size exceeded {limits.MaxFileSizeKb} KB");
        if (signal is not null)
            return (RunStatus.RuntimeError, exitCode, signal, $"killed by signal {signal}");
        if (exitCode is 0)
            return (RunStatus.Ok, 0, null, null);
        // The runtime gave up for lack of memory. A program may print the signal itself and exit non-zero: it failed
        // either way, and only the name of its failure depends on this.
        if (stderr is not null && memorySignals?.FirstOrDefault(s => stderr.Contains(s, StringComparison.Ordinal)) is { } said)
            return (RunStatus.MemoryLimit, exitCode, null, $"out of memory ({said}; limit {limits.MemoryKb} KB)");
        return (RunStatus.RuntimeError, exitCode, null, $"exit code {exitCode}");
    }

    /// <summary>
    /// bubblewrap reports "killed by signal N" as exit status 128 + N, the shell's convention. A program
    /// that itself exits with such a status reads as the signal: both are runtime errors either way.
    /// </summary>
    public static (int? ExitCode, int? Signal) SplitWrapperStatus(int? wrapperExitCode) => wrapperExitCode switch
    {
        null => (null, null),
        > 128 and <= 128 + 64 => (null, wrapperExitCode - 128),
        _ => (wrapperExitCode, null),
    };
}
