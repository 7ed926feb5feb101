using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Tests;

/// <summary>
/// Python's json.dumps writes broken model output as a lone surrogate escape (`"\ud800"`); reading it used to
/// throw InvalidOperationException even with `skip`. Such a record is judged with U+FFFD and reported as repaired.
/// </summary>
public sealed class LoneSurrogateTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_lone_surrogate_becomes_U_FFFD_a_real_pair_and_an_escaped_backslash_stay()
    {
        var problems = ProblemFile.Load(Tiny.WriteProblems(_dir), ProblemFormat.Auto, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog);
        var path = _dir.WriteLines("samples.jsonl",
        [
            """{"task_id": "Tiny/0", "completion": "    return a + b  # \ud800 and \udc00\ud800"}""",
            """{"task_id": "Tiny/0", "completion": "    return a + b  # \ud83d\ude00 \\ud800"}""",
        ]);
        var bad = new List<BadRecord>();
        var samples = SampleFile.Load(path, problems, SampleFormat.Auto, BadRecordPolicy.Stop, bad, Languages.Catalog);

        Assert.Equal(2, samples.Count);
        Assert.Equal("    return a + b  # \ufffd and \ufffd\ufffd", samples[0].Text);
        Assert.Equal("    return a + b  # \U0001F600 \\ud800", samples[1].Text);
        var repaired = Assert.Single(bad);
        Assert.Equal(1, repaired.Line);
        Assert.False(repaired.LineSkipped);
        Assert.StartsWith($"repaired {path}:1: 3 lone UTF-16 surrogate escapes", repaired.Report());
    }
}
