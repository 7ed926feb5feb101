using System.Text.Json;
using Assay.Datasets.Jsonl;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.MultiLanguage;

/// <summary>The real HumanEval-X and MultiPL-E files in ../shared/data (read-only; slices and results go to temp dirs).</summary>
[Collection(SandboxCollection.Name)]
public sealed class MultiLanguageRealDataTests : IDisposable
{
    /// <summary>Problems per HumanEval-X language: enough to cover every language's assembly, few enough for Java's and Rust's compiles.</summary>
    private const int FirstProblems = 12;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [ToolchainFact(["cpp"], "humaneval-x/humaneval_cpp.jsonl.gz")]
    public Task HumanEval_X_cpp_canonical_solutions_pass() => CanonicalSolutionsPass("cpp");

    [ToolchainFact(["go"], "humaneval-x/humaneval_go.jsonl.gz")]
    public Task HumanEval_X_go_canonical_solutions_pass() => CanonicalSolutionsPass("go");

    [ToolchainFact(["java"], "humaneval-x/humaneval_java.jsonl.gz")]
    public Task HumanEval_X_java_canonical_solutions_pass() => CanonicalSolutionsPass("java");

    [ToolchainFact(["javascript"], "humaneval-x/humaneval_js.jsonl.gz")]
    public Task HumanEval_X_js_canonical_solutions_pass() => CanonicalSolutionsPass("js");

    [ToolchainFact(["python"], "humaneval-x/humaneval_python.jsonl.gz")]
    public Task HumanEval_X_python_canonical_solutions_pass() => CanonicalSolutionsPass("python");

    [ToolchainFact(["rust"], "humaneval-x/humaneval_rust.jsonl.gz")]
    public Task HumanEval_X_rust_canonical_solutions_pass() => CanonicalSolutionsPass("rust");

    /// <summary>The first problems of one language (a slice of the real file), judged with `--canonical`: all must pass.</summary>
    private async Task CanonicalSolutionsPass(string language)
    {
        var source = Requirements.Data($"humaneval-x/humaneval_{language}.jsonl.gz");
        var slice = _dir.WriteLines("slice.jsonl", JsonlFile.Read(source, BadRecordPolicy.Stop, new List<BadRecord>())
            .Take(FirstProblems).Select(r => r.Record.GetRawText()));

        var cli = await AssayCli.RunAsync("eval", "--problems", slice, "--canonical", "--json", "--no-store", "--k", "1", "--out", _dir.PathOf("results.jsonl"));

        Assert.True(cli.ExitCode == 0, cli.ToString());
        var report = cli.Json();
        var failures = File.ReadLines(_dir.PathOf("results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => !r.GetProperty("passed").GetBoolean())
            .Select(r => $"{r.GetProperty("task_id").GetString()}: {r.GetProperty("status").GetString()}: {r.GetProperty("error").GetString()}").ToList();
        Assert.True(failures.Count == 0, $"{language} canonical solutions failing:\n" + string.Join("\n", failures));
        Assert.Equal(FirstProblems, report.GetProperty("samples").GetInt32());
        Assert.Equal(FirstProblems, report.GetProperty("passed").GetInt32());
        Assert.Empty(report.GetProperty("reference_failures").EnumerateArray());
    }

    /// <summary>
    /// MultiPL-E has no reference solutions: hand-written completions of HumanEval_23_strlen, right and wrong, in
    /// several languages, against the real problem files (prompt + completion, cut at the stop tokens, + tests).
    /// </summary>
    [ToolchainFact(["cpp", "java", "javascript", "rust", "go", "ruby", "lua"], "multipl-e-deepseek/humaneval-cpp.jsonl", "multipl-e-deepseek/humaneval-java.jsonl", "multipl-e-deepseek/humaneval-js.jsonl",
        "multipl-e-deepseek/humaneval-rs.jsonl", "multipl-e-deepseek/humaneval-go.jsonl", "multipl-e-deepseek/humaneval-rb.jsonl", "multipl-e-deepseek/humaneval-lua.jsonl")]
    public async Task MultiPL_E_strlen_completions_get_the_verdicts_they_deserve()
    {
        var completions = new (string File, string Right, string Wrong)[]
        {
            ("cpp", "    return string.size();\n}\n\nint unused() { return 0; }\n", "    return string.size() + 1;\n}\n"),
            ("java", "        return string.length();\n    }\n", "        return 0l;\n    }\n"),
            ("js", "  return string.length;\n}\n// trailing chatter the stop tokens cut off\nconsole.log('not run');\n", "  return string.length - 1;\n}\n"),
            ("rs", "    string.len() as isize\n}\n", "    string.len() as isize - 1\n}\n"),
            ("go", "    return len(myString)\n}\n", "    return len(myString) * 2\n}\n"),
            ("rb", "  string.length\nend\n", "  string.length + 1\nend\n"),
            ("lua", "    return #string\nend\n", "    return 1\nend\n"),
        };
        foreach (var (file, right, wrong) in completions)
        {
            var problems = Requirements.Data($"multipl-e-deepseek/humaneval-{file}.jsonl");
            var samples = _dir.WriteJsonl($"{file}.jsonl", [new { task_id = "HumanEval_23_strlen", completion = right }, new { task_id = "HumanEval_23_strlen", completion = wrong }]);

            var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--time-limit", "2");

            var detail = string.Join("\n", run.Results.Select(r => r.GetProperty("error").GetString()));
            Assert.True(run.Verdicts.Select(v => v.Passed).SequenceEqual([true, false]), $"{file}: {detail}");
            Assert.Equal("wrong_answer", run.Verdicts[1].Status);
        }
    }
}
