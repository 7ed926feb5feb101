using Assay.Core.Evaluation;
using Assay.Core.Problems;

namespace Assay.Server.Judging;

/// <summary>One item for the dispatcher: a program and its problem, with the per-test time limit and the memory limit.</summary>
public sealed record JudgeWork(Problem Problem, string Program, double TimeLimitSeconds, long MemoryLimitKb);

/// <summary>What became of an item: a verdict, or why none could be had (never the candidate's fault).</summary>
public sealed record JudgeOutcome(ProgramVerdict? Verdict, string? FailureStatus, string? FailureMessage)
{
    public static JudgeOutcome Judged(ProgramVerdict verdict) => new(verdict, null, null);

    /// <summary>No verdict: `deadline_exceeded`, `cancelled`, `shutting_down` or `internal_error`.</summary>
    public static JudgeOutcome Failed(string status, string message) => new(null, status, message);
}
