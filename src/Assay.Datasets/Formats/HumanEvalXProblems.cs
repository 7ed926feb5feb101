using Assay.Core.Languages;
using System.Text.Json;
using System.Text.RegularExpressions;
using Assay.Core.Problems;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Formats;

/// <summary>
/// HumanEval-X (CodeGeeX): `task_id` (`CPP/0`, `Go/0`, `Java/0`, `JavaScript/0`, `Python/0`, `Rust/0`),
/// `prompt`, `declaration`, `canonical_solution`, `test` (a whole test program). The program is assembled as
/// CodeGeeX's harness assembles it: C++ gets its standard includes, Go gets `test_setup` (package clause, testing
/// imports) and its imports fitted to the completion, Rust starts with the declaration (its `use` lines).
/// </summary>
internal static partial class HumanEvalXProblems
{
    [GeneratedRegex(@"^(CPP|Go|Java|JavaScript|Python|Rust)/\d+$")]
    private static partial Regex TaskId();

    /// <summary>The includes CodeGeeX adds to every C++ program that does not have them already.</summary>
    private static readonly string[] CppIncludes =
        ["#include<stdlib.h>", "#include<algorithm>", "#include<math.h>", "#include<stdio.h>", "#include<vector>", "#include<string>", "#include<climits>", "#include<cstring>", "#include<iostream>"];

    /// <summary>The imports CodeGeeX puts before every Python program.</summary>
    private const string PythonImports =
        "import math\nimport re\nimport sys\nimport copy\nimport datetime\nimport itertools\nimport collections\nimport heapq\nimport statistics\n" +
        "import functools\nimport hashlib\nimport numpy\nimport numpy as np\nimport string\nfrom typing import *\nfrom collections import *\n";

    public static bool Detect(JsonElement record) =>
        JsonlFile.OptionalString(record, "task_id") is { } id && TaskId().IsMatch(id)
        && record.TryGetProperty("declaration", out _) && record.TryGetProperty("prompt", out _) && record.TryGetProperty("test", out _);

    public static Problem? Read(JsonElement record, LanguageCatalog languages, out string why)
    {
        why = "";
        var taskId = JsonlFile.OptionalString(record, "task_id");
        var prompt = JsonlFile.OptionalString(record, "prompt");
        var test = JsonlFile.OptionalString(record, "test");
        var declaration = JsonlFile.OptionalString(record, "declaration");
        var match = taskId is null ? null : TaskId().Match(taskId);
        if (match is not { Success: true } || prompt is null || test is null || declaration is null)
        {
            why = "HumanEval-X record needs task_id (CPP/N, Go/N, Java/N, JavaScript/N, Python/N or Rust/N), prompt, declaration and test";
            return null;
        }
        var canonical = JsonlFile.OptionalString(record, "canonical_solution");
        var autoImports = false;
        // The task id's prefix is HumanEval-X's name for the language (`CPP`, `JavaScript`): a dataset spelling the
        // toolchain files list. What CodeGeeX's harness adds per language is this dataset's own, so it stays here.
        var language = languages.NameOf(match.Groups[1].Value);
        switch (language)
        {
            case "cpp":
                prompt = string.Concat(CppIncludes.Where(i => !prompt.Contains(i, StringComparison.Ordinal)).Select(i => i + "\n")) + "\n" + prompt;
                break;
            case "go":
                var setup = JsonlFile.OptionalString(record, "test_setup");
                if (setup is null)
                {
                    why = "HumanEval-X Go record needs test_setup (the package clause and the tests' imports)";
                    return null;
                }
                prompt = setup + "\n" + prompt;
                autoImports = true;
                break;
            case "rust":
                prompt = declaration + prompt;
                break;
            case "python":
                prompt = PythonImports + prompt;
                break;
        }
        return new Problem(taskId!, language, prompt, null, canonical, new ProgramTestJudge(test, AutoImports: autoImports));
    }
}
