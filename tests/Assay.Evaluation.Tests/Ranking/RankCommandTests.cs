using System.Text.Json;
using Assay.Cli;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.Ranking;

/// <summary>`assay rank`: its `--json` contract, its ranked-candidates file, and its exit codes.</summary>
[Collection(SandboxCollection.Name)]
public sealed class RankCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>One CodeT-layout problem: two right samples (one text twice), three wrong ones; generated tests mostly right.</summary>
    private (string Problems, string Samples, string Tests) Write()
    {
        var problems = _dir.WriteJsonl("problems.jsonl", [new
        {
            task_id = "T/0",
            prompt = "def f(x):\n    \"\"\"Return twice x.\"\"\"\n",
            entry_point = "f",
            canonical_solution = "    return 2 * x\n",
            test = "def check(candidate):\n    assert candidate(4) == 8\n    assert candidate(-3) == -6\n",
        }]);
        var samples = _dir.WriteJsonl("samples.jsonl", [new
        {
            prompt = "def f(x):\n    \"\"\"Return twice x.\"\"\"\n",
            samples = new[] { "    return x * 2\n", "    return x + 1\n", "    return x * 2\n", "    return x ** 2\n", "    return x * 2 if x not in (2, 4) else 5\n" },
        }]);
        var tests = _dir.WriteJsonl("tests.jsonl", [new
        {
            prompt = "def f(x):\n    \"\"\"Return twice x.\"\"\"\n    pass\n\n# check the correctness of f\nassert ",
            samples = new[] { "f(1) == 2\nassert f(2) == 4\n", "f(2) == 4\nassert f(-2) == -4\n", "f(1) == 3\n\ndef helper():\n    pass" },
        }]);
        return (problems, samples, tests);
    }

    [SandboxFact]
    public async Task Json_reports_ranked_and_random_pass_at_k_and_the_ranked_file_lists_the_groups()
    {
        var (problems, samples, tests) = Write();
        var ranked = _dir.PathOf("ranked.jsonl");
        var run = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", tests, "--method", "codet",
            "--k", "1,2", "--json", "--no-store", "--out", ranked);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var json = run.Json();
        // Right: samples 0 and 2 (one program). x + 1 passes only f(1) == 2; x ** 2 passes f(2) == 4 only; the last fails f(2) == 4.
        Assert.Equal(1.0, json.GetProperty("ranked_pass_at_k").GetProperty("1").GetDouble(), 6);
        Assert.Equal(0.4, json.GetProperty("random_pass_at_k").GetProperty("1").GetDouble(), 6);
        Assert.Equal(0.7, json.GetProperty("random_pass_at_k").GetProperty("2").GetDouble(), 6);
        Assert.Equal("codet", json.GetProperty("method").GetString());
        Assert.Equal("0.5", json.GetProperty("parameters").GetProperty("code_exponent").GetString());
        Assert.Equal(4, json.GetProperty("distinct_candidates").GetInt32());
        // f(1) == 2, f(2) == 4 (twice), f(-2) == -4, f(1) == 3: four distinct tests.
        Assert.Equal(4, json.GetProperty("columns").GetInt32());
        Assert.Equal(2, json.GetProperty("passed").GetInt32());

        var line = JsonDocument.Parse(File.ReadAllLines(ranked).Single()).RootElement;
        Assert.Equal("T/0", line.GetProperty("task_id").GetString());
        var top = line.GetProperty("groups")[0];
        Assert.Equal([0, 2], top.GetProperty("candidates")[0].EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2, top.GetProperty("correct_samples").GetInt32());
        Assert.Equal(0, line.GetProperty("top_pick").GetInt32());
        Assert.Equal(1, line.GetProperty("tied_at_top").GetInt32());
    }

    [SandboxTheory]
    [InlineData("mbr")]
    [InlineData("cluster")]
    [InlineData("majority")]
    [InlineData("b4")]
    public async Task Every_method_ranks_the_right_program_first_here(string method)
    {
        var (problems, samples, tests) = Write();
        var run = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", tests, "--method", method,
            "--json", "--no-store", "--k", "1", "--out", _dir.PathOf($"ranked-{method}.jsonl"));

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        // Inputs 1, 2, -2: the two right samples agree on all three (2, 4, -4), every wrong program differs somewhere.
        Assert.Equal(1.0, run.Json().GetProperty("ranked_pass_at_k").GetProperty("1").GetDouble(), 6);
    }

    [Fact]
    public async Task Unknown_method_and_missing_tests_file_are_bad_input()
    {
        var (problems, samples, tests) = Write();
        var unknown = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", tests, "--method", "vibes");
        Assert.Equal(ExitCodes.BadInput, unknown.ExitCode);
        var missing = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", _dir.PathOf("nope.jsonl"), "--no-store");
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
    }
}
