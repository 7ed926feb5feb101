using System.Globalization;
using Assay.Core.Metrics;

namespace Assay.Bench.EvalThroughput;

/// <summary>pass@k from per-sample passed flags, computed the same way for the baseline and for Assay.</summary>
internal static class PassAtKFigures
{
    public static IReadOnlyDictionary<string, double> From(IEnumerable<(string TaskId, bool Passed)> samples, IEnumerable<int> ks)
    {
        var byProblem = samples.GroupBy(s => s.TaskId, StringComparer.Ordinal)
            .Select(g => (N: g.Count(), C: g.Count(s => s.Passed)))
            .ToList();
        return PassAtK.Mean(byProblem, ks)
            .ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => Math.Round(p.Value, 6), StringComparer.Ordinal);
    }
}
