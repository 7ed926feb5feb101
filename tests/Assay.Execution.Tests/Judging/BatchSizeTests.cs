using Assay.Execution.Judging;

namespace Assay.Execution.Tests.Judging;

public sealed class BatchSizeTests
{
    [Theory]
    [InlineData(1595, 400, 2)]
    [InlineData(12408, 400, 2)]
    [InlineData(7, 100, 2)]
    [InlineData(1000, 1, 4)]
    [InlineData(0, 100, 2)]
    public void Batches_cover_every_item_once_and_never_exceed_the_largest(int count, int largest, int concurrency)
    {
        var sizes = PythonJudge.BatchSizes(count, largest, concurrency).ToList();

        Assert.Equal(count, sizes.Sum());
        Assert.All(sizes, s => Assert.InRange(s, 1, largest));
    }

    [Fact]
    public void Batches_shrink_towards_the_end_so_no_core_waits_long_for_the_last_one()
    {
        var sizes = PythonJudge.BatchSizes(1595, 400, 2).ToList();

        // Non-increasing, large at first, a quarter of the largest at the end.
        Assert.Equal(sizes.OrderByDescending(s => s), sizes);
        Assert.True(sizes[0] >= 300, string.Join(",", sizes));
        Assert.True(sizes[^1] <= 100, string.Join(",", sizes));
        Assert.InRange(sizes.Count, 6, 12);
    }
}
