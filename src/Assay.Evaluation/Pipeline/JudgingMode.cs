using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;

namespace Assay.Evaluation.Pipeline;

/// <summary>
/// One program planned for judging: <see cref="Key"/> is the content key — a hash of everything that decides the
/// verdict (program, tests, limits, toolchain and harness versions) — and the rest is what the mode's judge needs.
/// </summary>
internal abstract record PlannedWork(string Key);

/// <summary>A planned program, or the verdict of one that cannot run here (no toolchain for its language).</summary>
internal sealed record Planned(PlannedWork? Work, ProgramVerdict? Unrunnable)
{
    public static Planned Of(PlannedWork work) => new(work, null);

    public static Planned Refused(string why) => new(null, new ProgramVerdict { Status = RunStatus.SandboxError, Error = why });
}

/// <summary>
/// What one judging mode adds to the <see cref="JudgingPipeline"/>: how a program and its tests become planned work,
/// how to judge a set of planned work in the sandbox, and how its raw outcome becomes the verdict. Calibration,
/// content keys' use, the store, the storable rule and time limits are the pipeline's, the same for every mode.
/// </summary>
internal interface IJudgingMode
{
    /// <summary>True when this mode judges problems with this specification.</summary>
    bool Handles(JudgeSpec judge);

    /// <summary>What one time limit of this mode applies to (it decides the uncalibrated default).</summary>
    TimedUnit Unit { get; }

    /// <summary>True when the problem's reference solution must run: to calibrate its limit, or for expected outputs.</summary>
    bool NeedsReference(Problem problem, TimeLimitPolicy policy);

    /// <summary>
    /// The work of judging <paramref name="program"/> (in <paramref name="language"/>) on the problem's tests with
    /// these limits. <paramref name="reference"/> plans the reference solution's measurement (every test run).
    /// </summary>
    Planned Plan(Problem problem, string language, string program, ProblemCalibration limits, bool reference);

    /// <summary>Judges every piece of work, reporting each raw verdict as it arrives (from several threads).</summary>
    Task JudgeAsync(IReadOnlyList<PlannedWork> work, Func<PlannedWork, ProgramVerdict, ValueTask> onVerdict, CancellationToken cancellationToken);

    /// <summary>
    /// The verdict from the raw outcome: outputs compared with the expected ones, tests the reference itself fails
    /// excluded. Runs before the verdict is stored; identity for modes whose judge decides in the sandbox.
    /// </summary>
    ProgramVerdict Decide(PlannedWork work, ProgramVerdict raw, ProblemCalibration limits);

    /// <summary>The CPU time calibration scales: the reference's slowest test, or its whole run for a test program.</summary>
    double? MeasuredCpuMs(ProgramVerdict reference);

    /// <summary>Per-test limits, for modes that time tests one by one from a measured reference (else null).</summary>
    IReadOnlyList<double>? PerTestLimits(Problem problem, ProgramVerdict? reference, TimeLimitPolicy policy);
}
