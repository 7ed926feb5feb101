using Assay.Core.Execution;
using Assay.Execution.Judging;

namespace Assay.Evaluation;

/// <summary>
/// How an evaluation judges and times programs. Bound from the command line (or a server's settings) and checked
/// with <see cref="Validate"/> before anything runs; the limits become the run's one <see cref="TimeLimitPolicy"/>.
/// </summary>
public sealed record EvaluationOptions
{
    public JudgeIsolation Isolation { get; init; } = JudgeIsolation.Batch;

    /// <summary>
    /// Smallest calibrated per-test CPU-time limit, whatever the reference solution measured; null for the problem's
    /// harness floor (EvalPlus data: 4 s) or Assay's own (<see cref="TimeLimitPolicy.DefaultFloorSeconds"/>).
    /// </summary>
    public TimeSpan? TimeLimitFloor { get; init; }

    /// <summary>Per-test limit = max(floor, factor × the reference solution's slowest test), EvalPlus-style.</summary>
    public double TimeLimitFactor { get; init; } = TimeLimitPolicy.Default.Factor;

    /// <summary>A fixed per-test limit instead of calibration from reference solutions.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>CPU budget for all of one program's input/output tests together (EvalPlus: 60 s).</summary>
    public TimeSpan TotalTimeLimit { get; init; } = TimeSpan.FromSeconds(TimeLimitPolicy.Default.TotalSeconds);

    /// <summary>The limit reference solutions themselves get while they are measured.</summary>
    public TimeSpan CalibrationLimit { get; init; } = TimeSpan.FromSeconds(TimeLimitPolicy.Default.CalibrationSeconds);

    /// <summary>The run's time-limit rule, from the options above.</summary>
    public TimeLimitPolicy TimeLimits => TimeLimitPolicy.Default with
    {
        FloorSeconds = TimeLimitFloor?.TotalSeconds,
        Factor = TimeLimitFactor,
        FixedSeconds = TimeLimit?.TotalSeconds,
        TotalSeconds = TotalTimeLimit.TotalSeconds,
        CalibrationSeconds = CalibrationLimit.TotalSeconds,
    };

    /// <summary>Checks every option; returns a message naming the first bad one (as the user writes it), or null.</summary>
    public string? Validate()
    {
        static bool InRange(TimeSpan t, double maxSeconds) => t > TimeSpan.Zero && t.TotalSeconds <= maxSeconds;
        if (TimeLimit is { } limit && !InRange(limit, 600)) return "--time-limit must be more than 0 and at most 600 seconds";
        if (TimeLimitFloor is { } floor && !InRange(floor, 600)) return "--time-limit-floor must be more than 0 and at most 600 seconds";
        if (!double.IsFinite(TimeLimitFactor) || TimeLimitFactor <= 0 || TimeLimitFactor > 1000) return "the time-limit factor must be more than 0 and at most 1000";
        if (!InRange(TotalTimeLimit, 86_400)) return "the total time limit must be more than 0 seconds";
        if (!InRange(CalibrationLimit, 3600)) return "the calibration limit must be more than 0 and at most 3600 seconds";
        if (!Enum.IsDefined(Isolation)) return "--isolation must be batch or strict";
        return null;
    }
}

/// <summary>Progress of an evaluation: samples with a verdict so far, out of all.</summary>
public sealed record EvaluationProgress(int Done, int Total, int FromStore);
