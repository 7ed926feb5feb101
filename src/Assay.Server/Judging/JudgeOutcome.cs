using Assay.Core.Evaluation;
using Assay.Core.Problems;

namespace Assay.Server.Judging;

/// <summary>One item for the dispatcher: a program and its problem, with the per-test time limit.</summary>
/// <param name="AllTests">Judge every test even after one failed (presets that count passed tests).</param>
public sealed record JudgeWork(Problem Problem, string Program, double TimeLimitSeconds, bool AllTests = false);

/// <summary>What became of an item: a verdict, or why none could be had (never the candidate's fault).</summary>
public sealed record JudgeOutcome(ProgramVerdict? Verdict, string? FailureStatus, string? FailureMessage)
{
    public static JudgeOutcome Judged(ProgramVerdict verdict) => new(verdict, null, null);

    /// <summary>No verdict: `deadline_exceeded`, `cancelled`, `shutting_down` or `internal_error`.</summary>
    public static JudgeOutcome Failed(string status, string message) => new(null, status, message);
}
