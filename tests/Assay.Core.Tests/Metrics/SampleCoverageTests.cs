using Assay.Core.Metrics;

namespace Assay.Core.Tests.Metrics;

public sealed class SampleCoverageTests
{
    private static readonly string[] Problems = ["P/0", "P/1", "P/2"];

    [Fact]
    public void Problems_without_samples_are_listed_in_file_order()
    {
        var coverage = SampleCoverage.Of(Problems, ["P/1", "P/1"], [1]);
        Assert.Equal(["P/0", "P/2"], coverage.ProblemsWithoutSamples);
        Assert.Equal([1], coverage.ReportedKs);
        Assert.False(coverage.IsComplete);
        Assert.StartsWith("2 of 3 problems have no samples (P/0, P/2)", coverage.Describe().Single());
    }

    [Fact]
    public void A_k_beyond_the_fewest_samples_is_dropped_naming_that_problem()
    {
        var samples = Enumerable.Repeat("P/0", 40).Concat(Enumerable.Repeat("P/1", 5)).Concat(Enumerable.Repeat("P/2", 5));
        var coverage = SampleCoverage.Of(Problems, samples, [10, 1, 100]);
        Assert.Equal([1], coverage.ReportedKs);
        Assert.Equal([10, 100], coverage.DroppedKs.Select(d => d.K));
        var ten = coverage.DroppedKs[0];
        Assert.Equal("pass@10 needs at least 10 samples per problem; P/1 and 1 other problem have 5", ten.Reason);
        Assert.True(ten.SomeProblemHasEnough);   // P/0 has 40
        Assert.False(coverage.DroppedKs[1].SomeProblemHasEnough);
    }

    [Fact]
    public void Notable_keeps_user_ks_uneven_ks_and_everything_when_no_k_is_left()
    {
        var even = SampleCoverage.Of(Problems, Problems.SelectMany(p => Enumerable.Repeat(p, 10)), [1, 10, 100]);
        Assert.Equal([100], even.DroppedKs.Select(d => d.K));
        Assert.True(even.Notable(ksGivenByUser: false).IsComplete);           // the default 100 with 10 each: expected
        Assert.False(even.Notable(ksGivenByUser: true).IsComplete);           // --k 100 asked for by name

        var none = SampleCoverage.Of(Problems, Problems, [1000]);
        Assert.Empty(none.ReportedKs);
        Assert.Equal([1000], none.Notable(ksGivenByUser: false).DroppedKs.Select(d => d.K));
    }

    [Fact]
    public void Full_coverage_is_complete()
    {
        var coverage = SampleCoverage.Of(Problems, Problems, [1]);
        Assert.True(coverage.IsComplete);
        Assert.Empty(coverage.Describe());
    }
}
