namespace Assay.Cli.Tests;

/// <summary>
/// Results on stdout, diagnostics on stderr: `assay eval … &gt; summary.txt` used to leave the file empty and
/// `assay toolchains | grep lua` to print nothing, because every table went to stderr. `--quiet` drops the
/// informational lines and keeps results, warnings and errors.
/// </summary>
public sealed class OutputStreamsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SandboxFact]
    public async Task Eval_prints_its_summary_on_stdout_and_its_warnings_on_stderr()
    {
        var problems = Tiny.WriteProblems(_dir);
        // Samples for one of the two problems: a coverage warning.
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var results = _dir.PathOf(new string('r', 150) + "-results.jsonl");

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", results);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("pass@1", run.Stdout);
        Assert.Contains("results: " + results + "\n", run.Stdout.ReplaceLineEndings("\n")); // one line, not wrapped in a cell
        Assert.DoesNotContain("pass@1", run.Stderr);
        Assert.Contains("warning", run.Stderr);
        Assert.DoesNotContain("warning", run.Stdout);
        Assert.Contains("samples/s", run.Stdout);
        Assert.DoesNotContain(" 1 samples/s", run.Stdout);
    }

    [SandboxFact]
    public async Task Rank_says_what_it_is_doing_on_stderr_unless_quiet_and_ranks_on_stdout()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n"), Tiny.Completion(Tiny.AddId, "    return a - b\n")]);
        var tests = _dir.WriteJsonl("tests.jsonl", [new { prompt = Tiny.AddPrompt, samples = new[] { "assert add(1, 2) == 3" } }]);
        string[] args = ["rank", "--problems", problems, "--samples", samples, "--tests", tests, "--no-store", "-o", _dir.PathOf("r.jsonl")];

        var loud = await AssayCli.RunAsync(args);
        var quiet = await AssayCli.RunAsync([.. args, "--quiet"]);

        Assert.True(loud.ExitCode == 0, loud.ToString());
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Contains("ranked pass@k", loud.Stdout);
        Assert.Contains("building the", loud.Stderr);
        Assert.DoesNotContain("building the", loud.Stdout);
        Assert.Contains("ranked pass@k", quiet.Stdout);
        Assert.DoesNotContain("building the", quiet.Stderr);
        Assert.DoesNotContain("judging", quiet.Stderr);
    }

    [SandboxFact]
    public async Task Toolchains_lists_languages_on_stdout_so_grep_finds_them()
    {
        var run = await AssayCli.RunAsync("toolchains");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Stdout.Split('\n'), line => line.Contains("python", StringComparison.Ordinal) && line.Contains("interpreted", StringComparison.Ordinal));
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Version_is_printed_on_stdout()
    {
        var run = await AssayCli.RunAsync("--version");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Stdout);
    }
}
