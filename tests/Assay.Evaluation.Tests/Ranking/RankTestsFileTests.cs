using Assay.Cli;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.Ranking;

/// <summary>
/// `assay rank --tests` that yields no usable test is refused before any sample is judged (it used to report
/// `226 candidates × 0 columns` and a random ranking with exit 0); tests for some problems only are a warning.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RankTestsFileTests : IDisposable
{
    private const string TwicePrompt = "def f(x):\n    \"\"\"Return twice x.\"\"\"\n";
    private const string HalfPrompt = "def g(x):\n    \"\"\"Return half x.\"\"\"\n";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Problems, string Samples) Write() => (
        _dir.WriteJsonl("problems.jsonl", [
            new { task_id = "T/0", prompt = TwicePrompt, entry_point = "f", canonical_solution = "    return 2 * x\n", test = "def check(candidate):\n    assert candidate(4) == 8\n" },
            new { task_id = "T/1", prompt = HalfPrompt, entry_point = "g", canonical_solution = "    return x / 2\n", test = "def check(candidate):\n    assert candidate(4) == 2\n" },
        ]),
        _dir.WriteJsonl("samples.jsonl", [
            new { prompt = TwicePrompt, samples = new[] { "    return x * 2\n", "    return x + 1\n", "    return f(x - 1) + 2 if x else 0\n" } },
            new { prompt = HalfPrompt, samples = new[] { "    return x / 2\n", "    return x // 3\n" } },
        ]));

    [Fact]
    public async Task The_samples_file_given_as_tests_is_refused_by_name()
    {
        var (problems, samples) = Write();
        var run = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", samples, "--no-store", "-o", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("is the --samples file", run.Stderr);
    }

    [SandboxFact]
    public async Task A_copy_of_the_code_samples_as_tests_is_refused_before_judging()
    {
        var (problems, samples) = Write();
        var copy = _dir.PathOf("tests.jsonl");
        File.Copy(samples, copy);
        var run = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", copy, "--no-store", "-o", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("no usable generated test for any of the 2 problems", run.Stderr);
        Assert.Contains("not code samples", run.Stderr);
        Assert.DoesNotContain("judging", run.Stderr);
        Assert.False(File.Exists(_dir.PathOf("r.jsonl")));
    }

    [SandboxFact]
    public async Task Tests_for_some_problems_only_are_a_warning_with_the_counts()
    {
        var (problems, samples) = Write();
        var tests = _dir.WriteJsonl("tests.jsonl", [new
        {
            prompt = TwicePrompt + "    pass\n\n# check the correctness of f\nassert ",
            samples = new[] { "f(1) == 2\nassert f(2) == 4\n" },
        }]);
        var run = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", tests, "--no-store", "--k", "1", "--json", "-o", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("assay: warning: 1 of 2 problems have no usable generated test (T/1)", run.Stderr);
    }
}
