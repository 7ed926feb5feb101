namespace Assay.Cli.Tests;

/// <summary>`--limit N` and `--task-ids` run part of a benchmark; the other problems' samples are set aside, not errors.</summary>
public sealed class ProblemSelectionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Problems, string Samples) Files() => (Tiny.WriteProblems(_dir), _dir.WriteJsonl("samples.jsonl",
    [
        Tiny.Completion(Tiny.AddId, "    return a + b\n"),
        Tiny.Completion(Tiny.MulId, "    return a * b\n"),
        Tiny.Completion(Tiny.MulId, "    return a + b\n"),
    ]));

    [SandboxFact]
    public async Task Task_ids_judge_only_those_problems_and_warn_about_nothing_else()
    {
        var (problems, samples) = Files();

        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--task-ids", Tiny.MulId, "--k", "1");

        Assert.Equal(1, run.Int("problems"));
        Assert.Equal(1, run.Int("problems_in_file"));
        Assert.Equal(2, run.Int("samples"));
        Assert.All(run.Results, r => Assert.Equal(Tiny.MulId, r.GetProperty("task_id").GetString()));
        Assert.DoesNotContain("warning", run.Cli.Stderr);
    }

    [SandboxFact]
    public async Task Limit_takes_the_first_problems_of_the_file()
    {
        var (problems, samples) = Files();

        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--limit", "1", "--k", "1");

        Assert.Equal(1, run.Int("problems"));
        Assert.All(run.Results, r => Assert.Equal(Tiny.AddId, r.GetProperty("task_id").GetString()));
    }

    [Theory]
    [InlineData("--task-ids", "Nope/1,Nope/2", "--task-ids: Nope/1, Nope/2 not in the problems file")]
    [InlineData("--limit", "0", "--limit must be at least 1")]
    public async Task A_selection_that_cannot_be_made_is_exit_2(string option, string value, string message)
    {
        var (problems, samples) = Files();

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", _dir.PathOf("r.jsonl"), option, value);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains(message, run.Stderr);
        Assert.False(File.Exists(_dir.PathOf("r.jsonl")));
    }
}
