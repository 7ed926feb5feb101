using Assay.Execution.Judging;

namespace Assay.Evaluation;

/// <summary>How an evaluation judges and times programs.</summary>
public sealed record EvaluationOptions
{
    public JudgeIsolation Isolation { get; init; } = JudgeIsolation.Batch;

    /// <summary>Smallest per-test CPU-time limit, whatever the reference solution measured.</summary>
    public double TimeLimitFloorSeconds { get; init; } = 0.5;

    /// <summary>Per-test limit = max(floor, factor × the reference solution's slowest test), EvalPlus-style.</summary>
    public double TimeLimitFactor { get; init; } = 10.0;

    /// <summary>A fixed per-test limit instead of calibration from reference solutions.</summary>
    public double? FixedTimeLimitSeconds { get; init; }

    /// <summary>CPU budget for all of one program's input/output tests together (EvalPlus: 60 s).</summary>
    public double TotalTimeLimitSeconds { get; init; } = 60.0;

    /// <summary>The limit reference solutions themselves get while they are measured.</summary>
    public double CalibrationLimitSeconds { get; init; } = 20.0;
}

/// <summary>Progress of an evaluation: samples with a verdict so far, out of all.</summary>
public sealed record EvaluationProgress(int Done, int Total, int FromStore);
