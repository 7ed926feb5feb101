using Assay.Cli;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.MultiLanguage;

/// <summary>`assay eval --canonical`: the problem file's own solutions as the samples, instead of --samples.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CanonicalFlagTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Samples_and_canonical_are_one_or_the_other()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("s.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);

        var neither = await AssayCli.RunAsync("eval", "--problems", problems, "--json", "--no-store");
        var both = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--canonical", "--json", "--no-store");

        Assert.Equal(ExitCodes.BadInput, neither.ExitCode);
        Assert.Equal(ExitCodes.BadInput, both.ExitCode);
        Assert.Contains("--canonical", neither.Stderr);
    }

    [SandboxFact]
    public async Task Canonical_judges_each_problem_s_own_solution_and_leaves_out_those_without_one()
    {
        var problems = _dir.WriteJsonl("p.jsonl",
        [
            Tiny.AddProblem,
            new { task_id = "Tiny/2", prompt = "def wrong():\n", entry_point = "wrong", canonical_solution = "    return 1\n", test = "def check(candidate):\n    assert candidate() == 2\n" },
            new { task_id = "Tiny/3", prompt = "def none():\n", entry_point = "none", test = "def check(candidate):\n    assert candidate() == 2\n" },
        ]);
        var results = _dir.PathOf("canonical.jsonl");

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--canonical", "--json", "--no-store", "--k", "1", "--out", results);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var report = run.Json();
        Assert.Equal(2, report.GetProperty("samples").GetInt32());
        Assert.Equal(1, report.GetProperty("passed").GetInt32());
        Assert.Contains("1 of 3 problems have no canonical solution", run.Stderr);
        Assert.Equal(["Tiny/0", "Tiny/2"], File.ReadLines(results).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("task_id").GetString()));
        Assert.Contains("Tiny/2", string.Join(" ", report.GetProperty("reference_failures").EnumerateArray().Select(f => f.GetString())));
    }
}
