namespace Assay.Cli.Tests.BadInput;

/// <summary>
/// Messages in the user's terms, each one found wrong by trying Assay as a new user: .NET type names in parse
/// errors, PascalCase values in --help, "Access denied" for a directory, the samples file blamed for an empty
/// problems file, JSON errors ending in "LineNumber: 0".
/// </summary>
public sealed class MessagesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("--time-limit", "abc", "--time-limit: `abc` is not a number")]
    [InlineData("--concurrency", "two", "--concurrency: `two` is not a whole number")]
    [InlineData("--isolation", "weird", "--isolation: `weird` is not one of batch, strict")]
    [InlineData("--problems-format", "csv", "--problems-format: `csv` is not one of auto, humaneval")]
    public async Task A_value_that_does_not_parse_is_described_without_dotnet_types(string option, string value, string expected)
    {
        var run = await AssayCli.RunAsync("eval", "--problems", "p.jsonl", "--canonical", option, value);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("assay: " + expected, run.Stderr);
        Assert.DoesNotContain("System.", run.Stderr);
        Assert.DoesNotContain("Nullable", run.Stderr);
        Assert.Contains("assay eval --help", run.Stderr);
    }

    [Fact]
    public async Task Help_lists_choices_in_lowercase_as_the_readme_writes_them()
    {
        var run = await AssayCli.RunAsync("eval", "--help");

        Assert.Contains("<auto|humaneval|mbpp|evalplus|apps", run.Stdout);
        Assert.Contains("<batch|strict>", run.Stdout);
        Assert.Contains("[default: auto]", run.Stdout);
        Assert.DoesNotContain("EvalPlus|", run.Stdout);
        Assert.DoesNotContain("[default: Auto]", run.Stdout);
    }

    [Fact]
    public async Task Choices_are_read_in_any_case()
    {
        var problems = Tiny.WriteProblems(_dir);

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--canonical", "--problems-format", "HumanEval", "--isolation", "STRICT", "--time-limit", "NaN");

        // Parsed (the choices are accepted); refused only for the time limit, before anything runs.
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("--time-limit must be", run.Stderr);
    }

    [Fact]
    public async Task A_directory_given_as_the_problems_file_says_so()
    {
        var folder = _dir.PathOf("data");
        Directory.CreateDirectory(folder);

        var run = await AssayCli.RunAsync("eval", "--problems", folder, "--canonical", "--no-store", "-o", _dir.PathOf("r.jsonl"));

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"{folder} is a directory, not a file", run.Stderr);
        Assert.DoesNotContain("denied", run.Stderr);
    }

    [Theory]
    [InlineData("--file")]
    [InlineData("--stdin")]
    public async Task A_directory_given_to_run_says_so(string option)
    {
        var folder = Directory.CreateDirectory(_dir.PathOf("code")).FullName;
        string[] args = option == "--file" ? ["run", "--lang", "python", "--file", folder] : ["run", "--lang", "python", "--code", "print(1)", "--stdin", folder];

        var run = await AssayCli.RunAsync(args);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"{option} {folder} is a directory, not a file", run.Stderr);
        Assert.DoesNotContain("denied", run.Stderr);
    }

    [Fact]
    public async Task A_trailing_comma_is_described_for_someone_fixing_a_data_file()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.PathOf("samples.jsonl");
        File.WriteAllText(samples, "{\"task_id\": \"Tiny/0\", \"completion\": \"x\",}\n");

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", _dir.PathOf("r.jsonl"));

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"{samples}:1: not valid JSON", run.Stderr);
        Assert.Contains("JSON does not allow", run.Stderr);
        Assert.DoesNotContain("reader options", run.Stderr);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("rank")]
    public async Task An_empty_problems_file_is_blamed_not_the_samples(string verb)
    {
        var problems = _dir.PathOf("problems.jsonl");
        File.WriteAllText(problems, "\n\n");
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var tests = _dir.WriteJsonl("tests.jsonl", [new { prompt = Tiny.AddPrompt, samples = new[] { "assert add(1, 2) == 3" } }]);
        string[] args = verb == "rank"
            ? ["rank", "--problems", problems, "--samples", samples, "--tests", tests, "--no-store", "-o", _dir.PathOf("r.jsonl")]
            : ["eval", "--problems", problems, "--samples", samples, "--no-store", "-o", _dir.PathOf("r.jsonl")];

        var run = await AssayCli.RunAsync(args);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"{problems}: no problems (the file is empty)", run.Stderr);
        Assert.DoesNotContain(samples, run.Stderr);
    }

    [Fact]
    public async Task A_malformed_json_line_gives_our_line_number_and_not_theirs()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.PathOf("samples.jsonl");
        File.WriteAllText(samples, System.Text.Json.JsonSerializer.Serialize(Tiny.Completion(Tiny.AddId, "    return a + b\n")) + "\n{\"task_id\": \"x\", oops}\n");

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", _dir.PathOf("r.jsonl"));

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"{samples}:2: not valid JSON", run.Stderr);
        Assert.Contains("(at byte ", run.Stderr);
        Assert.DoesNotContain("LineNumber", run.Stderr);
        Assert.DoesNotContain("BytePositionInLine", run.Stderr);
    }

    [ToolchainFact(["c"])]
    public async Task A_compile_error_summary_gives_no_run_figures()
    {
        var run = await AssayCli.RunAsync("run", "--lang", "c", "--code", "int main(void) { return x; }");

        Assert.Contains("compile_error", run.Stderr);
        Assert.DoesNotContain("ms wall", run.Stderr);
        Assert.DoesNotContain("MB peak", run.Stderr);
    }

    [SandboxFact]
    public async Task Run_refuses_a_time_limit_that_is_not_a_number_of_seconds()
    {
        var run = await AssayCli.RunAsync("run", "--lang", "python", "--code", "print(1)", "--time-limit", "NaN");

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("--time-limit must be a number of seconds", run.Stderr);
    }
}
