using Assay.Core.Execution;
using Assay.Evaluation;

namespace Assay.Cli.Rendering;

/// <summary>The figures an evaluation reports: pass@k with intervals, counts per status, per-problem rates, timing.</summary>
internal sealed record EvaluationSummary(
    IReadOnlyDictionary<int, double> PassAtK,
    IReadOnlyDictionary<int, (double Low, double High)> Intervals,
    IReadOnlyDictionary<string, int> StatusCounts,
    IReadOnlyDictionary<string, double> PerProblemPassRate,
    int Problems,
    int Samples,
    int Passed,
    int DistinctPrograms,
    int JudgedNow,
    int FromStore,
    int Isolated,
    IReadOnlyList<string> ReferenceFailures,
    IReadOnlyDictionary<int, double>? BasePassAtK,
    IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>> ByLanguage)
{
    public static EvaluationSummary From(EvaluationResult result, IEnumerable<int> ks)
    {
        ArgumentNullException.ThrowIfNull(result);
        var byProblem = result.Samples.GroupBy(s => s.Sample.TaskId, StringComparer.Ordinal)
            .Select(g => (TaskId: g.Key, N: g.Count(), C: g.Count(s => s.Verdict.Passed)))
            .OrderBy(p => p.TaskId, StringComparer.Ordinal)
            .ToList();
        var passAtK = Core.Metrics.PassAtK.Mean(byProblem.Select(p => (p.N, p.C)).ToList(), ks);
        var intervals = passAtK.Keys.ToDictionary(k => k,
            k => Core.Metrics.PassAtK.BootstrapInterval(byProblem.Select(p => Core.Metrics.PassAtK.Estimate(p.N, p.C, k)).ToList()));
        var statusCounts = Enum.GetValues<RunStatus>().ToDictionary(s => s.ToWireName(), s => result.Samples.Count(r => r.Verdict.Status == s));
        return new EvaluationSummary(
            passAtK,
            intervals,
            statusCounts,
            byProblem.ToDictionary(p => p.TaskId, p => (double)p.C / p.N, StringComparer.Ordinal),
            byProblem.Count,
            result.Samples.Count,
            result.Samples.Count(s => s.Verdict.Passed),
            result.DistinctPrograms,
            result.JudgedNow,
            result.Samples.Count(s => s.FromStore),
            result.Samples.Count(s => s.Verdict.Isolated),
            result.Calibrations.Where(c => c.Reference is { Passed: false })
                .Select(c => $"{c.TaskId}: {c.Reference!.Status.ToWireName()}{(c.Reference.Error is { } e ? " (" + e + ")" : "")}")
                .ToList(),
            BasePass(result, ks),
            // One problem file judged in several languages: pass@k per language, each over its own samples.
            result.Samples.GroupBy(s => s.Language, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<int, double>)Core.Metrics.PassAtK.Mean(g.GroupBy(s => s.Sample.TaskId, StringComparer.Ordinal)
                    .Select(p => (p.Count(), p.Count(s => s.Verdict.Passed))).ToList(), ks),
                StringComparer.Ordinal));
    }

    /// <summary>EvalPlus reports the base tests alone too; only where verdicts say how base tests went.</summary>
    private static IReadOnlyDictionary<int, double>? BasePass(EvaluationResult result, IEnumerable<int> ks)
    {
        if (!result.Samples.Any(s => s.Verdict.BasePassed is not null)) return null;
        var byProblem = result.Samples.GroupBy(s => s.Sample.TaskId, StringComparer.Ordinal)
            .Select(g => (N: g.Count(), C: g.Count(s => s.Verdict.BasePassed ?? s.Verdict.Passed)))
            .ToList();
        return Core.Metrics.PassAtK.Mean(byProblem, ks);
    }
}
