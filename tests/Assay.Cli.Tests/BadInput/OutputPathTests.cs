using Assay.Cli.Output;

namespace Assay.Cli.Tests.BadInput;

/// <summary>
/// A results path that is an input, a directory or an unwritable place is refused with exit 2 before anything
/// is judged: `-o p.jsonl` used to overwrite the benchmark with results, and a read-only place failed only after
/// all the judging.
/// </summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("problems")]
    [InlineData("samples")]
    public async Task Eval_refuses_an_out_path_that_is_an_input_and_leaves_the_input_as_it_was(string which)
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var target = which == "problems" ? problems : samples;
        var before = File.ReadAllBytes(target);

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", target);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"is the --{which} file", run.Stderr);
        Assert.Equal(before, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task Eval_refuses_a_hard_link_to_the_samples_file()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var link = _dir.PathOf("other-name.jsonl");
        using (var ln = System.Diagnostics.Process.Start("ln", [samples, link]))
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }
        var before = File.ReadAllBytes(samples);

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", link);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("is the --samples file", run.Stderr);
        Assert.Equal(before, File.ReadAllBytes(samples));
    }

    [Theory]
    [InlineData("problems")]
    [InlineData("samples")]
    [InlineData("tests")]
    public async Task Rank_refuses_an_out_path_that_is_an_input(string which)
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var tests = _dir.WriteJsonl("tests.jsonl", [new { prompt = "x", samples = new[] { "assert add(1, 2) == 3" } }]);
        var target = which switch { "problems" => problems, "samples" => samples, _ => tests };
        var before = File.ReadAllBytes(target);

        var run = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", tests, "--no-store", "-o", target);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"is the --{which} file", run.Stderr);
        Assert.Equal(before, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task A_directory_a_missing_directory_and_an_unwritable_place_are_refused_before_judging()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var cases = new[]
        {
            (_dir.Path, "is a directory"),
            (_dir.PathOf("no/such/dir/r.jsonl"), "does not exist"),
            // /proc takes no new files, whoever asks (root included): a stand-in for a read-only mount.
            ("/proc/assay-results.jsonl", "cannot write in /proc"),
        };
        foreach (var (output, expected) in cases)
        {
            var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", output);
            Assert.True(run.ExitCode == ExitCodes.BadInput, output + ": " + run);
            Assert.Contains(expected, run.Stderr);
            Assert.DoesNotContain("judging", run.Stderr);
        }
    }

    [Fact]
    public void Defaults_go_beside_the_samples_and_never_into_a_problem_files_folder()
    {
        var samples = new FileInfo(_dir.PathOf("model-a.jsonl.gz"));
        Assert.Equal(_dir.PathOf("model-a_results.jsonl"), ResultsTarget.Default(samples, ResultsTarget.Stem(samples), "_results.jsonl"));
        // --canonical: no samples file, so the current directory, not the dataset's folder.
        Assert.Equal(Path.GetFullPath("HumanEval_canonical_results.jsonl"),
            ResultsTarget.Default(null, ResultsTarget.Stem(new FileInfo("/data/HumanEval.jsonl.gz")), "_canonical_results.jsonl"));
        // A read-only place (as root too: the bits are read, and the mount is tried) falls back to the current directory.
        Assert.Equal(Path.GetFullPath("x_results.jsonl"), ResultsTarget.Default(new FileInfo("/proc/x.jsonl"), "x", "_results.jsonl"));
    }
}
