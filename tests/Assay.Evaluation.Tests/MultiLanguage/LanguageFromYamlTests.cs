using System.Text.Json;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.MultiLanguage;

/// <summary>
/// A language is one YAML file: a toolchain file in a temporary `ASSAY_TOOLCHAINS` directory adds "snake" (Python 3
/// under another name, its own source file, dataset spelling, fence tag, test-program prelude and epilogue and
/// assertion signal), and `assay eval` judges a MultiPL-E test-program problem and an APPS stdin/stdout problem in it
/// with no change to Assay's code.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class LanguageFromYamlTests : IDisposable
{
    private const string Snake = """
        name: snake
        display_name: Snake
        aliases: [snk]
        dataset_names: ["Snake 3"]
        fence_tags: [snake]
        source_file: coil.py
        tools:
          python:
            candidates: [/usr/bin/python3, python3]
            install: apt-get install python3-minimal
        version: ["{python}", "--version"]
        run: ["{python}", "-I", "coil.py"]
        assertion_signals: [SnakeBite]
        test_program:
          prelude: |
            import sys as _coil
            _coil_nonce = _coil.stdin.readline().strip()
          epilogue: |

            print('\n{marker}' + _coil_nonce, flush=True)
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [ToolchainFact(["python"])]
    public async Task A_language_added_as_one_yaml_file_judges_test_program_and_stdio_problems()
    {
        var toolchains = Directory.CreateDirectory(_dir.PathOf("toolchains")).FullName;
        File.WriteAllText(Path.Combine(toolchains, "snake.yaml"), Snake);
        var testProgram = "def check(candidate):\n    if candidate(2, 3) != 5:\n        raise Exception('SnakeBite: 2 + 3')\n\ncheck(add)\n";
        var problems = _dir.WriteJsonl("problems.jsonl",
        [
            new { name = "Add", language = "snk", prompt = "def add(a, b):\n", tests = testProgram, stop_tokens = new[] { "\ndef" } },
            new { problem_id = 7, question = "Add two numbers.", input_output = JsonSerializer.Serialize(new { inputs = new[] { "1 2\n", "40 2\n" }, outputs = new[] { "3\n", "42\n" } }) },
        ]);
        var samples = _dir.WriteJsonl("samples.jsonl",
        [
            new { task_id = "Add", completion = "    return a + b\n", language = (string?)null },
            new { task_id = "Add", completion = "    return a - b\n", language = (string?)null },
            new { task_id = "APPS/7", completion = "Here it is:\n```python\nprint('wrong block')\n```\n```snake\na, b = map(int, input().split())\nprint(a + b)\n```\n", language = (string?)"Snake 3" },
            new { task_id = "APPS/7", completion = "```snake\nprint(0)\n```\n", language = (string?)"snake" },
        ]);

        Environment.SetEnvironmentVariable("ASSAY_TOOLCHAINS", toolchains);
        EvalRun run;
        try
        {
            run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1");
        }
        finally
        {
            Environment.SetEnvironmentVariable("ASSAY_TOOLCHAINS", null);
        }

        Assert.Equal([true, false, true, false], run.Verdicts.Select(v => v.Passed));
        // The failed test's own signal (assertion_signals) makes it a wrong answer; the stdio one is compared output.
        Assert.Equal(["ok", "wrong_answer", "ok", "wrong_answer"], run.Verdicts.Select(v => v.Status));
        Assert.All(run.Results, r => Assert.Equal("snake", r.GetProperty("language").GetString()));
        Assert.True(run.Report.GetProperty("by_language").TryGetProperty("snake", out _), run.Report.ToString());
    }
}
