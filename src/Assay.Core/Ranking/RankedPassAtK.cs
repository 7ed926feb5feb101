using Assay.Core.Metrics;

namespace Assay.Core.Ranking;

/// <summary>
/// Ranked pass@k as CodeT's evaluator computes it (algorithms.md §1, "Ranked pass@k"): one uniform pick from
/// each of the top-k groups; with fewer groups than k, every group gets one pick and the remaining picks go
/// round-robin from the top, as draws with replacement; pass@k = 1 − Π_g (1 − c_g/n_g)^picks_g with n_g and
/// c_g counted on raw samples. A problem with no ranked group falls back to the random-sample estimate over all
/// its samples, as CodeT's evaluator does.
/// </summary>
public static class RankedPassAtK
{
    /// <param name="correctSamples">For each candidate (row), how many of its raw samples are correct.</param>
    public static double Estimate(CandidateRanking ranking, ExecutionMatrix matrix, IReadOnlyList<int> correctSamples, int k)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(correctSamples);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (correctSamples.Count != matrix.Codes) throw new ArgumentException("one count per candidate", nameof(correctSamples));
        var groups = ranking.Groups;
        if (groups.Count == 0)
        {
            var n = matrix.Samples;
            return n == 0 ? 0 : PassAtK.Estimate(n, correctSamples.Sum(), Math.Min(k, n));
        }
        var picks = new int[Math.Min(k, groups.Count)];
        for (var p = 0; p < k; p++) picks[p % picks.Length]++;
        var fail = 1.0;
        for (var g = 0; g < picks.Length; g++)
        {
            var group = groups[g];
            var correct = group.Members.Sum(i => correctSamples[i]);
            fail *= Math.Pow(1.0 - (double)correct / group.Samples, picks[g]);
        }
        return 1.0 - fail;
    }
}
