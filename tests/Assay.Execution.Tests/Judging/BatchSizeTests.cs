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
        var sizes = PythonJudge.BatchSizes(12408, PythonJudge.DefaultBatchSize, 2).ToList();

        // Non-increasing, as large as allowed at first, small at the end: few sandbox starts, balanced cores.
        Assert.Equal(sizes.OrderByDescending(s => s), sizes);
        Assert.Equal(PythonJudge.DefaultBatchSize, sizes[0]);
        Assert.True(sizes[^1] <= 25, string.Join(",", sizes));
        Assert.InRange(sizes.Count, 15, 40);
    }

    [Fact]
    public void A_few_hundred_items_are_still_shared_evenly_between_the_cores()
    {
        // A smallest batch of a quarter of the largest once gave 250 items to one core and 50 to the other.
        var sizes = PythonJudge.BatchSizes(300, PythonJudge.DefaultBatchSize, 2).ToList();

        Assert.True(sizes[0] <= 300 / 4, string.Join(",", sizes));
        Assert.True(sizes.Count >= 4, string.Join(",", sizes));
    }

    [Fact]
    public void The_servers_small_batches_still_split_down_to_a_quarter()
    {
        // 8 items, at most 4 per sandbox, 2 sandboxes: batches of 2 and then 1, so a request's items are not held in
        // one batch with the others' (a smallest batch of 25, or of the largest, made it two batches of 4).
        var sizes = PythonJudge.BatchSizes(8, 4, 2).ToList();
        Assert.Equal(2, sizes[0]);
        Assert.All(sizes, s => Assert.InRange(s, 1, 2));
    }
}
