using Assay.Core.Evaluation;
using Assay.Core.Problems;

namespace Assay.Evaluation;

/// <summary>One sample's verdict, with the program that was judged.</summary>
public sealed record SampleResult(Sample Sample, string Program, ProgramVerdict Verdict, bool FromStore);

/// <summary>The per-test time limit a problem got, and how its reference solution fared when measured.</summary>
public sealed record ProblemCalibration(string TaskId, double TimeLimitSeconds, ProgramVerdict? Reference);

/// <summary>Everything an evaluation produced, before metrics.</summary>
public sealed record EvaluationResult(
    IReadOnlyList<SampleResult> Samples,
    IReadOnlyList<ProblemCalibration> Calibrations,
    int DistinctPrograms,
    int JudgedNow,
    TimeSpan Elapsed);
