namespace Assay.Cli.Tests.BadInput;

/// <summary>
/// Partial coverage is said loudly: samples for some problems only, or a k that no figure is given for, used to
/// pass silently with exit 0 (`"pass_at_k": {}` for `--k 1000`). `--require-all` refuses such a run before judging.
/// </summary>
public sealed class CoverageTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Require_all_refuses_samples_for_some_problems_before_judging()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "--require-all", "-o", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("1 of 2 problems have no samples (Tiny/1)", run.Stderr);
        Assert.False(File.Exists(_dir.PathOf("r.jsonl")));
    }

    [Fact]
    public async Task Require_all_refuses_a_k_that_cannot_be_reported()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n"), Tiny.Completion(Tiny.MulId, "    return a * b\n")]);
        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "--require-all", "--k", "1,1000");
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("pass@1000 needs at least 1000 samples per problem", run.Stderr);
    }

    [SandboxFact]
    public async Task Samples_for_some_problems_warn_and_the_report_names_the_missing_ones()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1");
        Assert.Contains("assay: warning: 1 of 2 problems have no samples (Tiny/1)", run.Cli.Stderr);
        Assert.Equal(2, run.Int("problems_in_file"));
        Assert.Equal(1, run.Int("problems"));
        Assert.Equal(["Tiny/1"], run.Report.GetProperty("problems_without_samples").EnumerateArray().Select(e => e.GetString()));
    }

    [SandboxFact]
    public async Task A_k_with_no_figure_is_a_warning_and_k_dropped_says_why()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n"), Tiny.Completion(Tiny.MulId, "    return a * b\n")]);
        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1000");
        Assert.Contains("assay: warning: pass@1000 needs at least 1000 samples per problem", run.Cli.Stderr);
        Assert.Empty(run.Report.GetProperty("pass_at_k").EnumerateObject());
        Assert.StartsWith("pass@1000 needs", run.Report.GetProperty("k_dropped").GetProperty("1000").GetString());
        Assert.Empty(run.Report.GetProperty("problems_without_samples").EnumerateArray());
    }

    [SandboxFact]
    public async Task Uneven_samples_warn_about_a_default_k_that_some_problems_could_have_had()
    {
        var problems = Tiny.WriteProblems(_dir);
        var many = Enumerable.Range(0, 12).Select(i => Tiny.Completion(Tiny.AddId, $"    return a + b + {i % 2}\n"));
        var samples = _dir.WriteJsonl("samples.jsonl", [.. many, Tiny.Completion(Tiny.MulId, "    return a * b\n")]);
        var run = await AssayCli.EvalAsync(_dir, problems, samples, null);
        Assert.Contains("assay: warning: pass@10 needs at least 10 samples per problem; Tiny/1 has 1", run.Cli.Stderr);
        // pass@100: no problem has 100, so the default k is left to the report without a warning.
        Assert.DoesNotContain("warning: pass@100", run.Cli.Stderr);
        Assert.Equal(["10", "100"], run.Report.GetProperty("k_dropped").EnumerateObject().Select(p => p.Name));
    }
}
