using Assay.Core.Metrics;

namespace Assay.Core.Tests.Metrics;

/// <summary>Against the worked values of algorithms.md §12 and a brute-force subset average.</summary>
public sealed class PassAtKTests
{
    [Theory]
    [InlineData(5, 2, 1, 0.4)]
    [InlineData(5, 2, 2, 0.7)]
    [InlineData(5, 2, 3, 0.9)]
    [InlineData(5, 2, 4, 1.0)]
    [InlineData(200, 10, 10, 0.408548)]
    [InlineData(10, 0, 10, 0.0)]
    [InlineData(10, 10, 1, 1.0)]
    public void Matches_the_reference_values(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 6);

    [Fact]
    public void Equals_the_average_over_all_k_subsets()
    {
        // pass@k is the fraction of k-subsets of the n samples that contain a correct one.
        const int n = 8;
        for (var c = 0; c <= n; c++)
        {
            for (var k = 1; k <= n; k++)
            {
                var correct = Enumerable.Range(0, n).Select(i => i < c).ToArray();
                int subsets = 0, hit = 0;
                for (var mask = 0; mask < 1 << n; mask++)
                {
                    if (System.Numerics.BitOperations.PopCount((uint)mask) != k) continue;
                    subsets++;
                    if (Enumerable.Range(0, n).Any(i => (mask >> i & 1) == 1 && correct[i])) hit++;
                }
                Assert.Equal((double)hit / subsets, PassAtK.Estimate(n, c, k), 12);
            }
        }
    }

    [Fact]
    public void K_above_n_is_refused_not_reported_as_one()
    {
        // human-eval issue #35: with c = 0 and k > n the short-circuit used to return 1.0.
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(5, 0, 10));
    }

    [Fact]
    public void Mean_reports_only_k_at_most_the_smallest_n()
    {
        var scores = PassAtK.Mean([(10, 3), (5, 0), (20, 20)], [1, 5, 10, 100]);
        Assert.Equal([1, 5], scores.Keys);
        Assert.Equal((0.3 + 0.0 + 1.0) / 3, scores[1], 12);
    }

    [Fact]
    public void Large_n_stays_finite_and_accurate()
    {
        var value = PassAtK.Estimate(100_000, 1, 1);
        Assert.Equal(1e-5, value, 12);
    }

    [Fact]
    public void Bootstrap_interval_brackets_the_mean_and_is_reproducible()
    {
        var perProblem = Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? 1.0 : 0.0).ToList();
        var (low, high) = PassAtK.BootstrapInterval(perProblem, resamples: 2000);
        var mean = perProblem.Average();
        Assert.True(low < mean && mean < high);
        Assert.InRange(high - low, 0.05, 0.2);
        Assert.Equal((low, high), PassAtK.BootstrapInterval(perProblem, resamples: 2000));
    }
}
