using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Tests;

/// <summary>The HumanEval-X, MultiPL-E and mxeval loaders on records written here: detection, assembly, stop tokens, bad lines.</summary>
public sealed class TestProgramLoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<Problem> Load(string name, params object[] records)
    {
        var bad = new List<BadRecord>();
        var problems = ProblemFile.Load(_dir.WriteJsonl(name, records), ProblemFormat.Auto, BadRecordPolicy.Stop, bad, Languages.Catalog);
        Assert.Empty(bad);
        return problems;
    }

    private static object HumanEvalX(string taskId, string prompt, string declaration, string test, string? setup = null) => setup is null
        ? new { task_id = taskId, prompt, declaration, canonical_solution = "BODY", test, example_test = "" }
        : new { task_id = taskId, prompt, declaration, canonical_solution = "BODY", test, test_setup = setup, import = "" };

    [Fact]
    public void HumanEval_X_records_get_their_language_and_the_harness_s_program_prefix()
    {
        var problems = Load("hx.jsonl",
            HumanEvalX("CPP/0", "#include<stdio.h>\nint f(){\n", "#include<stdio.h>\nint f(){\n", "int main(){}"),
            HumanEvalX("Go/0", "import (\n    \"math\"\n)\nfunc F() int {\n", "\nfunc F() int {\n", "func TestF(t *testing.T) {}", setup: "package main\n\nimport (\n    \"testing\"\n)\n"),
            HumanEvalX("Java/0", "class Solution {\n", "class Solution {\n", "public class Main {}"),
            HumanEvalX("JavaScript/0", "const f = () => {\n", "\nconst f = () => {\n", "f()"),
            HumanEvalX("Python/0", "def f():\n", "def f():\n", "check(f)"),
            HumanEvalX("Rust/0", "\n/* doc */\n", "\nuse md5;\nfn f() -> i32{\n", "#[cfg(test)]\nmod tests {}"));

        Assert.Equal(["cpp", "go", "java", "javascript", "python", "rust"], problems.Select(p => p.Language));
        Assert.All(problems, p => Assert.Equal("BODY", p.CanonicalSolution));
        Assert.All(problems, p => Assert.IsType<ProgramTestJudge>(p.Judge));
        // C++: CodeGeeX's includes that the prompt lacks come first; the prompt's own include is not repeated.
        Assert.StartsWith("#include<stdlib.h>\n#include<algorithm>\n#include<math.h>\n#include<vector>", problems[0].Prompt);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(problems[0].Prompt, "#include<stdio.h>"));
        Assert.EndsWith("#include<stdio.h>\nint f(){\n", problems[0].Prompt);
        // Go: the test setup (package clause, imports) precedes the prompt, and imports are fitted at judge time.
        Assert.StartsWith("package main\n", problems[1].Prompt);
        Assert.True(((ProgramTestJudge)problems[1].Judge).AutoImports);
        Assert.False(((ProgramTestJudge)problems[0].Judge).AutoImports);
        Assert.Equal("class Solution {\n", problems[2].Prompt);
        Assert.Contains("import numpy as np\n", problems[4].Prompt);
        Assert.EndsWith("def f():\n", problems[4].Prompt);
        // Rust: the declaration (with its `use` lines) is the start of the program, the prompt's comment follows.
        Assert.Equal("\nuse md5;\nfn f() -> i32{\n\n/* doc */\n", problems[5].Prompt);
        Assert.Equal("#[cfg(test)]\nmod tests {}", ((ProgramTestJudge)problems[5].Judge).TestProgram);
    }

    [Fact]
    public void MultiPL_E_records_map_language_names_and_samples_are_cut_at_the_stop_tokens()
    {
        object Record(string name, string language) => new
        {
            name,
            language,
            prompt = "PROMPT\n",
            tests = "TESTS",
            stop_tokens = new[] { "\n}", "\n//" },
            doctests = "transform",
        };
        var problems = Load("multipl-e.jsonl", Record("HumanEval_0_a", "cs"), Record("HumanEval_1_b", "go_test.go"), Record("HumanEval_2_c", "rs"),
            Record("HumanEval_3_d", "sh"), Record("HumanEval_4_e", "rb"), Record("HumanEval_5_f", "js"), Record("HumanEval_6_g", "ts"), Record("HumanEval_7_h", "jl"),
            Record("HumanEval_8_i", "rkt"), Record("HumanEval_9_j", "pl"), Record("HumanEval_10_k", "r"), Record("HumanEval_11_l", "d"),
            Record("HumanEval_12_m", "scala"), Record("HumanEval_13_n", "cobol"));

        // The spellings come from the toolchain files' `dataset_names`; one no file claims is kept as given.
        Assert.Equal(["csharp", "go", "rust", "bash", "ruby", "javascript", "typescript", "julia", "racket", "perl", "r", "d", "scala", "cobol"],
            problems.Select(p => p.Language));
        Assert.All(problems, p => Assert.Null(p.CanonicalSolution));
        Assert.Equal(["\n}", "\n//"], ((ProgramTestJudge)problems[0].Judge).StopTokens!);
        Assert.Equal("TESTS", ((ProgramTestJudge)problems[0].Judge).TestProgram);

        var samples = SampleFile.Load(_dir.WriteJsonl("samples.jsonl",
            [
                new { task_id = "HumanEval_0_a", completion = "    return 1;\n}\n// trailing chatter\n" },
                new { task_id = "HumanEval_0_a", completion = "    return 2; // no stop token before the end" },
                new { task_id = "HumanEval_1_b", completion = "x\n// a\n}" },
            ]), problems, SampleFormat.Auto, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog);
        Assert.Equal(["    return 1;", "    return 2; // no stop token before the end", "x"], samples.Select(s => s.Text));
        Assert.Equal("PROMPT\n    return 1;", samples[0].ProgramFor(problems[0]));
    }

    [Fact]
    public void Mxeval_records_are_test_programs_except_Python_which_is_human_eval()
    {
        var problems = Load("mxeval.jsonl",
            new { task_id = "MBJP/1", language = "java", prompt = "class A {\n", entry_point = "f", test = "class Main {}", description = "d", canonical_solution = "BODY" },
            new { task_id = "MBCSP/2", language = "csharp", prompt = "P", entry_point = "F", test = "T", description = "d", canonical_solution = (string?)null },
            new { task_id = "MBPP/3", language = "python", prompt = "def f():\n", entry_point = "f", test = "def check(candidate):\n    assert candidate() == 1\n", description = "d", canonical_solution = "    return 1\n" },
            new { task_id = "MBKP/4", language = "kotlin", prompt = "P", entry_point = "f", test = "T", description = "d", canonical_solution = "B" });

        Assert.Equal(["java", "csharp", "python", "kotlin"], problems.Select(p => p.Language));
        Assert.IsType<ProgramTestJudge>(problems[0].Judge);
        Assert.Equal("class Main {}", ((ProgramTestJudge)problems[0].Judge).TestProgram);
        Assert.Null(problems[1].CanonicalSolution);
        var python = Assert.IsType<PythonAssertJudge>(problems[2].Judge);
        Assert.Equal(["check(candidate)"], python.Tests);
        Assert.Equal("f", problems[2].EntryPoint);
        Assert.IsType<ProgramTestJudge>(problems[3].Judge);
    }

    [Fact]
    public void CodeGeeX_generation_samples_are_completions()
    {
        var problems = Load("hx.jsonl", HumanEvalX("JavaScript/0", "const f = () => {\n", "\nconst f = () => {\n", "f()"));
        var samples = SampleFile.Load(_dir.WriteJsonl("gen.jsonl", [new { task_id = "JavaScript/0", generation = "  return 1;\n}\n", prompt = "ignored" }]),
            problems, SampleFormat.Auto, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog);
        var sample = Assert.Single(samples);
        Assert.False(sample.IsSolution);
        Assert.Equal("const f = () => {\n  return 1;\n}\n", sample.ProgramFor(problems[0]));
    }

    [Fact]
    public void Bad_records_say_which_file_and_line()
    {
        var path = _dir.WriteLines("bad.jsonl",
        [
            """{"task_id": "CPP/0", "prompt": "p", "declaration": "d", "canonical_solution": "c", "test": "int main(){}"}""",
            """{"task_id": "Go/1", "prompt": "p", "declaration": "d", "canonical_solution": "c", "test": "t"}""",
            """{"name": "HumanEval_1_x", "language": "cpp", "prompt": "p", "tests": "t", "stop_tokens": "not a list"}""",
            """{"name": "HumanEval_2_y", "language": 7, "prompt": "p", "tests": "t"}""",
            """{"task_id": "MBJP/3", "language": "java", "prompt": "p", "test": 5, "entry_point": "f"}""",
        ]);

        var stop = Assert.Throws<BadRecordException>(() => ProblemFile.Load(path, ProblemFormat.Auto, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog));
        Assert.Equal(2, stop.Record.Line);
        Assert.Contains("test_setup", stop.Message);
        Assert.StartsWith(path + ":2:", stop.Message);

        var bad = new List<BadRecord>();
        var problems = ProblemFile.Load(path, ProblemFormat.Auto, BadRecordPolicy.Skip, bad, Languages.Catalog);
        Assert.Equal(["CPP/0"], problems.Select(p => p.TaskId));
        Assert.Equal([2, 3, 4, 5], bad.Select(b => b.Line));
        Assert.All(bad, b => Assert.Equal(path, b.File));
        Assert.Contains("stop_tokens", bad[1].Problem);
        Assert.Contains("MultiPL-E", bad[2].Problem);
        Assert.Contains("mxeval", bad[3].Problem);
    }

    [Fact]
    public void The_format_can_be_forced()
    {
        var path = _dir.WriteJsonl("forced.jsonl", [new { task_id = "X/1", language = "cpp", prompt = "p", test = "t", entry_point = "f" }]);
        var bad = new List<BadRecord>();
        Assert.Throws<BadRecordException>(() => ProblemFile.Load(path, ProblemFormat.HumanEvalX, BadRecordPolicy.Stop, bad, Languages.Catalog));
        var problem = Assert.Single(ProblemFile.Load(path, ProblemFormat.Mxeval, BadRecordPolicy.Stop, bad, Languages.Catalog));
        Assert.Equal("cpp", problem.Language);
    }
}
