namespace Assay.Core.Execution;

/// <summary>
/// The raw facts the supervisor reports about one sandboxed process, before they become a verdict.
/// Keeping the facts separate from the rule that classifies them lets the rule be tested without a sandbox.
/// </summary>
public sealed record Termination
{
    /// <summary>How the supervisor saw the run end.</summary>
    public required TerminationKind Kind { get; init; }

    /// <summary>The sandbox wrapper's exit status (128 + N when signal N ended the program).</summary>
    public int? WrapperExitCode { get; init; }

    /// <summary>Why the supervisor stopped the run, when it did.</summary>
    public KillReason? KilledFor { get; init; }

    /// <summary>The kernel's out-of-memory killer acted inside the run's cgroup.</summary>
    public bool OomKilled { get; init; }

    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public double WallTimeMs { get; init; }
    public double CpuTimeMs { get; init; }
    public long PeakMemoryKb { get; init; }
    public string? Error { get; init; }
}

public enum TerminationKind
{
    /// <summary>The program started and exited (or was killed by a signal of its own making).</summary>
    Exited,

    /// <summary>The supervisor killed the program (see <see cref="Termination.KilledFor"/>).</summary>
    Killed,

    /// <summary>The sandbox could not be set up: nothing of the candidate ran.</summary>
    SetupError,

    /// <summary>The sandbox came up but the program's executable could not be started.</summary>
    ExecError,
}

public enum KillReason
{
    WallTime,
    CpuTime,
    Output,

    /// <summary>The kernel's OOM killer acted in the run's cgroup and the supervisor stopped the rest of the run.</summary>
    Memory,
}
