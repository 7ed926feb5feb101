using Assay.Core.Evaluation;
using Assay.Core.Problems;

namespace Assay.Evaluation;

/// <summary>One sample's verdict, with the program that was judged.</summary>
/// <param name="Language">The language the program was judged in (the toolchain's name when one is known).</param>
public sealed record SampleResult(Sample Sample, string Program, ProgramVerdict Verdict, bool FromStore, string Language = "");

/// <summary>The per-test time limit a problem got, and how its reference solution fared when measured.</summary>
/// <param name="TestLimits">Per-test limits, for problems whose tests are timed one by one (input/output tests).</param>
public sealed record ProblemCalibration(string TaskId, double TimeLimitSeconds, ProgramVerdict? Reference, IReadOnlyList<double>? TestLimits = null);

/// <summary>Everything an evaluation produced, before metrics.</summary>
public sealed record EvaluationResult(
    IReadOnlyList<SampleResult> Samples,
    IReadOnlyList<ProblemCalibration> Calibrations,
    int DistinctPrograms,
    int JudgedNow,
    TimeSpan Elapsed);
