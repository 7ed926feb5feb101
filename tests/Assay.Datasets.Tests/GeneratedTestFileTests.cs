using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Tests;

/// <summary>CodeT's split-and-cut rules for generated tests (postprocess.py, algorithms.md §1) and matching records to problems.</summary>
public sealed class GeneratedTestFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Splits_on_assert_keeps_pieces_naming_the_entry_point_and_cuts_at_stop_tokens()
    {
        var found = GeneratedTestFile.Extract("f(1) == 2\nassert g(3) == 4\nassert f(2) == 4\n# done\nassert  \nassert f(5) == 10\nprint(f(5))", "f");
        Assert.Equal(["assert f(1) == 2", "assert f(2) == 4", "assert f(5) == 10"], found);
    }

    [Fact]
    public void A_piece_is_cut_at_every_stop_token_in_CodeTs_order()
    {
        var found = GeneratedTestFile.Extract("f(1) == 1\n\ndef helper():\n    return f(2)\nif True:\n    pass", "f");
        Assert.Equal(["assert f(1) == 1"], found);
    }

    [Fact]
    public void Records_match_problems_by_the_check_line_and_unknown_functions_are_reported()
    {
        var problems = new List<Problem>
        {
            new("T/0", "python", "def f(x):\n    \"\"\"doc\"\"\"\n", "f", null, new PythonAssertJudge("", [])),
            new("T/1", "python", "def g(x):\n    \"\"\"doc\"\"\"\n", "g", null, new PythonAssertJudge("", [])),
        };
        var path = _dir.WriteJsonl("tests.jsonl", [
            new { prompt = "def g(x):\n    pass\n\n# check the correctness of g\nassert ", samples = new[] { "g(1) == 1\n", "\n" } },
            new { prompt = "def h(x):\n    pass\n\n# check the correctness of h\nassert ", samples = new[] { "h(1) == 1\n" } },
        ]);
        var bad = new List<BadRecord>();

        var loaded = GeneratedTestFile.Load(path, problems, BadRecordPolicy.Skip, bad);

        var record = Assert.Single(loaded);
        Assert.Equal("T/1", record.TaskId);
        Assert.Equal(2, record.Samples.Count);
        Assert.Equal(["assert g(1) == 1"], record.Samples[0]);
        Assert.Empty(record.Samples[1]);
        Assert.Contains("no problem has the entry point h", Assert.Single(bad).Problem);
        Assert.Throws<BadRecordException>(() => GeneratedTestFile.Load(path, problems, BadRecordPolicy.Stop, []));
    }
}
