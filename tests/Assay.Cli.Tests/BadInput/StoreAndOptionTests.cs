namespace Assay.Cli.Tests.BadInput;

/// <summary>
/// A store Assay cannot use, contradictory store options and seconds that are not numbers are refused with exit 2,
/// one message and the way out — they used to be raw `SQLite Error 26`, accepted, or a crash after all the judging.
/// </summary>
public sealed class StoreAndOptionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string NotAStore()
    {
        var path = _dir.PathOf("notes.db");
        File.WriteAllText(path, "my notes, not a database\n" + new string('n', 5000));
        return path;
    }

    private static void AssertRefused(CliResult run, params string[] mentions)
    {
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        foreach (var mention in mentions) Assert.Contains(mention, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("SQLite Error", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [SandboxFact]
    public async Task Eval_on_a_file_that_is_not_a_store_says_so_and_leaves_it_alone()
    {
        var store = NotAStore();
        var before = File.ReadAllBytes(store);
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var results = _dir.PathOf("r.jsonl");

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--store", store, "--json", "-o", results);

        AssertRefused(run, store, "is not an Assay verdict store", "--no-store");
        Assert.Equal(before, File.ReadAllBytes(store));
        Assert.False(File.Exists(results));
    }

    [SandboxFact]
    public async Task Rank_on_a_damaged_store_says_to_move_it_aside()
    {
        var store = _dir.PathOf("damaged.db");
        // A valid SQLite header followed by pages of noise: opens, but fails SQLite's own check.
        var header = "SQLite format 3\0"u8.ToArray();
        var bytes = new byte[4096 * 8];
        new Random(3).NextBytes(bytes);
        header.CopyTo(bytes, 0);
        bytes[16] = 0x10; bytes[17] = 0x00; // page size 4096
        bytes[18] = 1; bytes[19] = 1; bytes[20] = 0; bytes[21] = 64; bytes[22] = 32; bytes[23] = 32;
        File.WriteAllBytes(store, bytes);
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var tests = _dir.WriteJsonl("tests.jsonl", [new { prompt = Tiny.AddPrompt, samples = new[] { "assert add(1, 2) == 3" } }]);

        var run = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", tests, "--store", store, "-o", _dir.PathOf("r.jsonl"));

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains(store, run.Stderr);
        Assert.Contains("move the file aside", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.True(File.Exists(store));
    }

    [SandboxFact]
    public async Task Serve_with_a_store_that_is_a_directory_exits_2_before_listening()
    {
        var store = _dir.PathOf("folder.db");
        Directory.CreateDirectory(store);

        var run = await AssayCli.RunAsync("serve", "--port", "0", "--store", store);

        AssertRefused(run, store, "directory");
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("rank")]
    public async Task Store_and_no_store_together_are_refused(string verb)
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var tests = _dir.WriteJsonl("tests.jsonl", [new { prompt = Tiny.AddPrompt, samples = new[] { "assert add(1, 2) == 3" } }]);
        string[] args = verb == "rank"
            ? ["rank", "--problems", problems, "--samples", samples, "--tests", tests, "--store", _dir.PathOf("s.db"), "--no-store", "-o", _dir.PathOf("r.jsonl")]
            : ["eval", "--problems", problems, "--samples", samples, "--store", _dir.PathOf("s.db"), "--no-store", "-o", _dir.PathOf("r.jsonl")];

        var run = await AssayCli.RunAsync(args);

        AssertRefused(run, "--store and --no-store");
        Assert.False(File.Exists(_dir.PathOf("s.db")));
    }

    [Theory]
    [InlineData("rank", "--time-limit", "NaN")]
    [InlineData("rank", "--time-limit", "Infinity")]
    [InlineData("rank", "--time-limit", "0")]
    [InlineData("eval", "--time-limit", "NaN")]
    [InlineData("eval", "--time-limit-floor", "-Infinity")]
    [InlineData("serve", "--drain-timeout", "NaN")]
    [InlineData("serve", "--drain-timeout", "-1")]
    public async Task Seconds_that_are_not_a_usable_number_are_refused_before_anything_runs(string verb, string option, string value)
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var tests = _dir.WriteJsonl("tests.jsonl", [new { prompt = Tiny.AddPrompt, samples = new[] { "assert add(1, 2) == 3" } }]);
        string[] args = verb switch
        {
            "rank" => ["rank", "--problems", problems, "--samples", samples, "--tests", tests, "--no-store", "-o", _dir.PathOf("r.jsonl"), option, value],
            "eval" => ["eval", "--problems", problems, "--samples", samples, "--no-store", "-o", _dir.PathOf("r.jsonl"), option, value],
            _ => ["serve", "--port", "0", option, value],
        };

        var run = await AssayCli.RunAsync(args);

        AssertRefused(run, option + " must be a number of seconds", "not " + value);
        Assert.DoesNotContain("between 0 and", run.Stderr);
        Assert.False(File.Exists(_dir.PathOf("r.jsonl")));
    }
}
