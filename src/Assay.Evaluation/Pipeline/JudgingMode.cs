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

/// <summary>What the sandbox gave for one piece of work, before the mode's <see cref="IJudgingMode.Decide"/> makes it the verdict.</summary>
internal abstract record RawOutcome;

/// <summary>
/// A raw outcome in the shape of a verdict, from judges that run the tests in the candidate's process (the Python
/// harness: function results still to be compared with the expected ones; test programs: already the verdict).
/// </summary>
internal sealed record RawVerdict(ProgramVerdict Verdict) : RawOutcome;

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

    /// <summary>Judges every piece of work in the sandbox, reporting each raw outcome as it arrives (from several threads).</summary>
    Task JudgeAsync(IReadOnlyList<PlannedWork> work, Func<PlannedWork, RawOutcome, ValueTask> onOutcome, CancellationToken cancellationToken);

    /// <summary>
    /// The verdict from the raw outcome, the one place a mode's outputs are compared with the expected ones (stdout
    /// and function results alike), tests the reference itself fails excluded. Runs before the verdict is stored.
    /// </summary>
    ProgramVerdict Decide(PlannedWork work, RawOutcome raw, ProblemCalibration limits);

    /// <summary>
    /// The reference solution's measurement from its raw outcome, as calibration reads and stores it: decided as any
    /// program's verdict where expected outputs are given (stdin/stdout), kept raw where the reference's own outputs
    /// are the expected ones (function tests).
    /// </summary>
    ProgramVerdict DecideReference(PlannedWork work, RawOutcome raw);

    /// <summary>The CPU time calibration scales: the reference's slowest test, or its whole run for a test program.</summary>
    double? MeasuredCpuMs(ProgramVerdict reference);

    /// <summary>
    /// Per-test limits, for modes that time tests one by one from a measured reference (else null); <paramref name="policy"/>
    /// is the problem's own (its harness floor resolved: <see cref="TimeLimitPolicy.ForHarness"/>).
    /// </summary>
    IReadOnlyList<double>? PerTestLimits(Problem problem, ProgramVerdict? reference, TimeLimitPolicy policy);
}
