namespace Assay.Core.Execution;

/// <summary>What one sandboxed process did: the verdict plus everything measured about it.</summary>
public sealed record ProcessReport
{
    public required RunStatus Status { get; init; }

    /// <summary>Exit status when the process exited; null when a signal ended it or it never started.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended the process, if one did.</summary>
    public int? Signal { get; init; }

    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public double WallTimeMs { get; init; }
    public double CpuTimeMs { get; init; }
    public long PeakMemoryKb { get; init; }

    /// <summary>Why Assay chose this status when the exit code alone does not say (limit hit, sandbox fault).</summary>
    public string? Message { get; init; }

    /// <summary>True when this report was served from a cache rather than run now.</summary>
    public bool Cached { get; init; }

    public static ProcessReport SandboxFault(string message) => new() { Status = RunStatus.SandboxError, Message = message };

    public override string ToString() =>
        $"{Status.ToWireName()} exit={ExitCode?.ToString() ?? "-"} signal={Signal?.ToString() ?? "-"} " +
        $"wall={WallTimeMs:F1}ms cpu={CpuTimeMs:F1}ms mem={PeakMemoryKb}KB{(Message is null ? "" : " (" + Message + ")")}";
}

/// <summary>A program's run, preceded by its compilation for compiled languages.</summary>
public sealed record RunReport(ProcessReport Run, ProcessReport? Compile)
{
    /// <summary>The verdict of the whole: a failed compile decides it, else the run does.</summary>
    public RunStatus Status => Compile is { Status: not RunStatus.Ok } compile
        ? compile.Status == RunStatus.SandboxError ? RunStatus.SandboxError : RunStatus.CompileError
        : Run.Status;
}
