using System.Text;
using Assay.Execution.Judging;

namespace Assay.Execution.Tests.Judging;

/// <summary>
/// The harness's results channel read as it arrives: a record is trusted (settled) only once the harness has begun
/// the next item or is done, and anything out of order or written twice stops settling for the rest of the batch.
/// </summary>
public sealed class HarnessRecordsTests
{
    private const string Nonce = "n0nce";

    private static readonly JudgeItem[] Batch = new[] { "a", "b", "c" }.Select(id => new JudgeItem(id, "", "", [], null, 1)).ToArray();

    private static string Record(string id, string nonce = Nonce) => $$"""{"id":"{{id}}","status":"passed","nonce":"{{nonce}}"}""" + "\n";

    private static string Begin(string id) => $$"""{"begin":"{{id}}","nonce":"{{Nonce}}"}""" + "\n";

    private static string Done(int count) => $$"""{"done":{{count}},"nonce":"{{Nonce}}"}""" + "\n";

    private static (HarnessRecords Channel, List<string> Settled) Read(params string[] chunks)
    {
        var settled = new List<string>();
        var channel = new HarnessRecords(Nonce, Batch, (index, _) => settled.Add(Batch[index].Id));
        foreach (var chunk in chunks) channel.Feed(Encoding.UTF8.GetBytes(chunk));
        return (channel, settled);
    }

    [Fact]
    public void A_record_is_settled_when_the_next_item_begins_not_when_it_is_written()
    {
        var (channel, settled) = Read(Begin("a"), Record("a"));
        Assert.Empty(settled);

        channel.Feed(Encoding.UTF8.GetBytes(Begin("b")));
        Assert.Equal(["a"], settled);
        Assert.Equal(1, channel.Settled);
    }

    [Fact]
    public void Done_settles_the_last_record_and_every_record_is_settled_once_in_order()
    {
        var (channel, settled) = Read(Begin("a"), Record("a"), Begin("b"), Record("b"), Begin("c"), Record("c"), Done(3));

        Assert.Equal(["a", "b", "c"], settled);
        Assert.True(channel.Finished);
        Assert.Equal(3, channel.Settled);
    }

    [Fact]
    public void Records_split_across_chunks_at_any_byte_are_read_whole()
    {
        var text = Begin("a") + Record("a") + Begin("b") + Record("b") + Begin("c") + Record("c") + Done(3);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var size = 1; size < 40; size += 7)
        {
            var settled = new List<string>();
            var channel = new HarnessRecords(Nonce, Batch, (index, _) => settled.Add(Batch[index].Id));
            for (var at = 0; at < bytes.Length; at += size) channel.Feed(bytes.AsSpan(at, Math.Min(size, bytes.Length - at)));
            Assert.Equal(["a", "b", "c"], settled);
        }
    }

    [Fact]
    public void The_last_record_of_a_batch_that_did_not_finish_is_never_settled()
    {
        // The sandbox stopped while "c" ran (or "b" stopped it after writing a record of its own making).
        var (channel, settled) = Read(Begin("a"), Record("a"), Begin("b"), Record("b"));

        Assert.Equal(["a"], settled);
        Assert.False(channel.Finished);
    }

    [Fact]
    public void A_second_record_for_an_item_stops_settling_and_is_reported_as_duplicated()
    {
        var (channel, settled) = Read(Begin("a"), Record("a"), Record("a"), Begin("b"), Record("b"), Begin("c"), Record("c"), Done(3));

        Assert.Empty(settled);
        Assert.Contains("a", channel.Duplicated);
    }

    [Fact]
    public void A_record_out_of_the_batch_order_stops_settling()
    {
        var (_, settled) = Read(Begin("a"), Record("a"), Record("c"), Begin("b"), Record("b"), Done(3));

        Assert.Empty(settled);
    }

    [Fact]
    public void Lines_without_the_nonce_or_not_json_are_ignored()
    {
        var (channel, settled) = Read("hello\n", Record("a", "guess"), "{not json\n", Begin("a"), Record("a"), Begin("b"));

        Assert.Equal(["a"], settled);
        Assert.Equal("passed", HarnessRecords.Text(channel.Records["a"], "status"));
        Assert.Single(channel.Records);
    }
}
