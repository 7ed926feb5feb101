using Assay.Core.Execution;

namespace Assay.Core.Evaluation;

/// <summary>The outcome of one test of a program.</summary>
/// <param name="Output">For function-call tests: the returned value as Assay's plain-data JSON (see OutputComparison).</param>
public sealed record TestOutcome(bool Passed, RunStatus Status, string? Error, double CpuTimeMs, string? Output = null);

/// <summary>How one program fared against its problem's tests.</summary>
public sealed record ProgramVerdict
{
    public required RunStatus Status { get; init; }
    public IReadOnlyList<TestOutcome> Tests { get; init; } = [];
    public double CpuTimeMs { get; init; }
    public double WallTimeMs { get; init; }
    public long PeakMemoryKb { get; init; }
    public string? Error { get; init; }

    /// <summary>For input/output tests: how many of the problem's tests ran and passed, and whether all base tests passed.</summary>
    public int? TestsTotal { get; init; }

    public int? TestsPassed { get; init; }

    public bool? BasePassed { get; init; }

    /// <summary>Tests left out of the counts because the reference solution failed them (no expected output to compare with).</summary>
    public int? TestsExcluded { get; init; }

    /// <summary>Judged alone in a fresh sandbox (always in strict mode; in batch mode after a timeout or tampering).</summary>
    public bool Isolated { get; init; }

    /// <summary>
    /// The cause may be gone next time and lies with the machine, not the program: a compiler that ran out of time
    /// on a busy machine, a deadline, an interrupted run. Such a verdict is reported but never stored.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Transient { get; init; }

    public bool Passed => Status == RunStatus.Ok;

    /// <summary>
    /// The one definition of a verdict that may be remembered: nothing that is Assay's fault or the machine's —
    /// sandbox faults, checker faults and infrastructure errors (all `sandbox_error`), and transient causes.
    /// A stored verdict is served forever, so a busy machine must never poison the store.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsStorable => Status != RunStatus.SandboxError && !Transient;

    /// <summary>human-eval's `result` field: "passed", "timed out" or "failed: reason".</summary>
    public string HumanEvalResult => Status switch
    {
        RunStatus.Ok => "passed",
        RunStatus.TimeLimit => "timed out",
        _ => "failed: " + (Error ?? Status.ToWireName()),
    };
}
