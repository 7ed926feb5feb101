using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.MultiLanguage;

/// <summary>
/// The test-program judge in each language, through `assay eval` on MultiPL-E-style problems written here
/// (`add(a, b)` and tests in the language's own style): a correct completion passes; a wrong one, one that does
/// not compile, one that ends the process with status 0 from inside the function before the tests are done, and
/// an infinite loop each fail with their own status.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed partial class TestProgramJudgeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>One language's problem and completions; a null completion is a case the language cannot express.</summary>
    public sealed record Case(string Language, string Prompt, string Tests, string[] StopTokens, string Correct, string Wrong, string WrongStatus,
        string Broken, string BrokenStatus, string? EarlyExit, string Loop, string EarlyExitError = "before its tests finished", string TimeLimit = "1");

    private static readonly Dictionary<string, Case> Cases = WithNewLanguages(new()
    {
        ["cpp"] = new("cpp", "#include<assert.h>\n#include<bits/stdc++.h>\nlong add(long a, long b) {\n",
            "}\nint main() {\n    auto candidate = add;\n    assert(candidate(2, 3) == 5);\n    assert(candidate(-1, 1) == 0);\n}\n", ["\n}"],
            "    return a + b;\n}\n", "    return a - b;\n}\n", "wrong_answer", "    return a + ;\n}\n", "compile_error",
            "    exit(0);\n}\n", "    volatile long x = 0;\n    while (true) { x++; }\n}\n"),
        ["java"] = new("java", "import java.util.*;\nclass Problem {\n    public static long add(long a, long b) {\n",
            "    }\n    public static void main(String[] args) {\n    assert(add((2l), (3l)) == (5l));\n    assert(add((-1l), (1l)) == (0l));\n    }\n\n}\n", ["\n    }\n"],
            "        return a + b;\n    }\n", "        return a - b;\n    }\n", "wrong_answer", "        return a + ;\n    }\n", "compile_error",
            "        System.exit(0);\n        return 0;\n    }\n", "        while (true) { }\n    }\n"),
        ["csharp"] = new("csharp", "using System;\nusing System.Diagnostics;\nclass Problem {\n    public static long Add(long a, long b) {\n",
            "    }\n    public static void Main(string[] args) {\n    Debug.Assert(Add((2L), (3L)) == (5L));\n    Debug.Assert(Add((-1L), (1L)) == (0L));\n    }\n\n}\n", ["\n    }\n"],
            "        return a + b;\n    }\n", "        return a - b;\n    }\n", "wrong_answer", "        return a + ;\n    }\n", "compile_error",
            "        Environment.Exit(0);\n        return 0;\n    }\n", "        while (true) { }\n    }\n"),
        ["go"] = new("go", "package add_test\n\nimport (\n    \"testing\"\n    \"fmt\"\n    \"os\"\n)\n\nvar _ = os.Exit\n\nfunc add(a int, b int) int {\n",
            "func TestAdd(t *testing.T) {\n  candidate := add\n\ttype test struct {\n\t\tactual   interface{}\n\t\texpected interface{}\n\t}\n" +
            "   tests := []test{\n     { actual: candidate(2, 3), expected: 5 },\n     { actual: candidate(-1, 1), expected: 0 },\n   }\n\n" +
            "\tfor i, tc := range tests {\n\t\tt.Run(fmt.Sprintf(\"test num % d\", i), func(t *testing.T) {\n" +
            "\t\t\tif fmt.Sprintf(\"%v\", tc.actual) != fmt.Sprintf(\"%v\", tc.expected) {\n\t\t\t\tt.Errorf(\"expected '%s', got '%s'\", tc.expected, tc.actual)\n\t\t\t}\n\t\t})\n\t}\n}\n",
            ["\nfunc", "struct", "\n// "],
            "    return a + b\n}\n", "    return a - b\n}\n", "wrong_answer", "    return a + \"x\"\n}\n", "compile_error",
            "    os.Exit(0)\n    return 0\n}\n", "    for {\n    }\n}\n"),
        ["rust"] = new("rust", "fn add(a: isize, b: isize) -> isize {\n",
            "}\n\nfn main() {\n    let candidate = add;\n    assert_eq!(candidate(2, 3), 5);\n    assert_eq!(candidate(-1, 1), 0);\n}\n", ["\n}"],
            "    a + b\n}\n", "    a - b\n}\n", "wrong_answer", "    a + \"x\"\n}\n", "compile_error",
            "    std::process::exit(0)\n}\n", "    loop {}\n}\n"),
        ["javascript"] = new("javascript", "function add(a, b){\n",
            "const assert = require('node:assert');\n\n\nfunction test() {\n  let candidate = add;\n  assert.deepEqual(candidate(2, 3),5);\n  assert.deepEqual(candidate(-1, 1),0);\n}\n\ntest();",
            ["\nfunction ", "\n/*", "\n//", "\nconsole.log"],
            "  return a + b;\n}\n", "  return a - b;\n}\n", "wrong_answer", "  return a + ;\n}\n", "runtime_error",
            "  process.exit(0);\n}\n", "  while (true) {}\n}\n"),
        ["typescript"] = new("typescript", "function add(a: number, b: number): number {\n",
            "declare var require: any;\nconst assert = require('node:assert');\n\n\nfunction test() {\n  let candidate = add;\n  assert.deepEqual(candidate(2, 3),5);\n  assert.deepEqual(candidate(-1, 1),0);\n}\n\ntest();",
            ["\nfunction ", "\n/*", "\n//", "\nclass"],
            "  return a + b;\n}\n", "  return a - b;\n}\n", "wrong_answer", "  return \"not a number\";\n}\n", "compile_error",
            "  process.exit(0);\n  return 0;\n}\n", "  while (true) {}\n}\n"),
        ["python"] = new("python", "def add(a, b):\n",
            "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n\ndef test_check():\n    check(add)\n\ntest_check()\n",
            ["\ndef", "\n#", "\nif", "\nclass"],
            "    return a + b\n", "    return a - b\n", "wrong_answer", "    return a +\n", "runtime_error",
            "    import sys\n    sys.exit(0)\n", "    while True:\n        pass\n"),
        ["php"] = new("php", "<?php\nfunction add($a, $b) {\n",
            "function candidate(...$args) {\n    return add(...$args);\n}\n\nfunction test(): void {\n" +
            "    if (candidate(2, 3) !== 5) { throw new Exception(\"Test failed!\"); }\n    if (candidate(-1, 1) !== 0) { throw new Exception(\"Test failed!\"); }\n}\n\ntest();",
            ["\nfunction", "\n?>", "\n//", "\n#"],
            "    return $a + $b;\n}\n", "    return $a - $b;\n}\n", "wrong_answer", "    return $a + ;\n}\n", "runtime_error",
            "    exit(0);\n}\n", "    while (true) {}\n}\n"),
        ["ruby"] = new("ruby", "def add(a, b)\n",
            "require 'test/unit'\nclass TestHumanEval < Test::Unit::TestCase\n  def test_add\n    candidate = method(:add)\n" +
            "    assert_equal(5, candidate.call(2, 3))\n    assert_equal(0, candidate.call(-1, 1))\n  end\nend\n",
            ["\nclass", "\ndef", "\n#", "\n\n"],
            "  a + b\nend\n", "  a - b\nend\n", "wrong_answer", "  a + \nend\nend\n", "runtime_error",
            "  exit!(0)\nend\n", "  loop do\n  end\nend\n"),
        ["lua"] = new("lua", "local function add(a, b)\n",
            "lu = require('luaunit')\n\nfunction test_humaneval()\nlocal candidate = add\n    lu.assertEquals(candidate(2, 3), 5)\n    lu.assertEquals(candidate(-1, 1), 0)\nend\n\nos.exit(lu.LuaUnit.run())",
            ["\nlocal", "\nfunction", "\n--", "\n\n"],
            "    return a + b\nend\n", "    return a - b\nend\n", "wrong_answer", "    return a +\nend\n", "runtime_error",
            // LuaUnit itself refuses os.exit inside a test: the run fails before the judge has to notice.
            "    os.exit(0)\nend\n", "    while true do end\nend\n", EarlyExitError: "trying to exit"),
        // A function's `exit` in bash only leaves the $(...) subshell the tests call it in: no early-exit case.
        ["bash"] = new("bash", "#!/bin/bash\nadd() {\n",
            "}\n\ncandidate() {\n    add \"$@\"\n}\n\nset -e\nrun_test() {\n    [[ $(candidate \"2\" \"3\") = \"5\" ]]\n    [[ $(candidate \"-1\" \"1\") = \"0\" ]]\n}\n\nrun_test",
            ["\n}"],
            "    echo $(( $1 + $2 ))\n}\n", "    echo $(( $1 - $2 ))\n}\n", "runtime_error", "    echo $(( $1 + ))\n}\n", "runtime_error",
            null, "    while true; do :; done\n}\n"),
    });

    public static TheoryData<string> Languages => new(Cases.Keys);

    [ToolchainTheory("cpp", "java", "csharp", "go", "rust", "javascript", "typescript", "python", "php", "ruby", "lua", "bash",
        "perl", "r", "racket", "d", "scala", "kotlin")]
    [MemberData(nameof(Languages))]
    public async Task Each_outcome_gets_its_own_verdict(string language)
    {
        var c = Cases[language];
        var problems = _dir.WriteJsonl($"{language}.jsonl",
            [new { name = "Add_" + language, language = c.Language, prompt = c.Prompt, tests = c.Tests, stop_tokens = c.StopTokens }]);
        var completions = new List<string?> { c.Correct, c.Wrong, c.Broken, c.EarlyExit, c.Loop }.Where(x => x is not null).ToList();
        var samples = _dir.WriteJsonl($"{language}-samples.jsonl", completions.Select(x => (object)new { task_id = "Add_" + language, completion = x }));

        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--time-limit", c.TimeLimit);

        var verdicts = run.Verdicts;
        var errors = run.Results.Select(r => r.GetProperty("error").GetString() ?? "").ToList();
        var expected = new List<string> { "ok", c.WrongStatus, c.BrokenStatus };
        if (c.EarlyExit is not null) expected.Add("runtime_error");
        expected.Add("time_limit");
        Assert.True(expected.SequenceEqual(verdicts.Select(v => v.Status)),
            $"{language}: expected {string.Join(", ", expected)}; got {string.Join(", ", verdicts.Select(v => v.Status))}\n" + string.Join("\n---\n", errors));
        Assert.Equal([true, false, false], verdicts.Take(3).Select(v => v.Passed));
        Assert.All(verdicts.Skip(1), v => Assert.False(v.Passed));
        // Every failure says why, in the program's own words where it has any.
        Assert.All(errors.Skip(1), e => Assert.False(string.IsNullOrWhiteSpace(e)));
        if (c.EarlyExit is not null) Assert.Contains(c.EarlyExitError, errors[3]);
        Assert.Equal(1, run.Report.GetProperty("status_counts").GetProperty("time_limit").GetInt32());
    }

    [SandboxFact]
    public async Task The_marker_needs_this_run_s_nonce_and_identical_programs_are_judged_once()
    {
        // A candidate that prints a marker line of its own and exits 0 does not pass: the nonce is the run's.
        var c = Cases["python"];
        var problems = _dir.WriteJsonl("p.jsonl", [new { name = "Add", language = "python", prompt = c.Prompt, tests = c.Tests, stop_tokens = c.StopTokens }]);
        var forged = "    import sys\n    print('" + Assay.Execution.Judging.TestProgramSource.Marker + "0123456789abcdef0123456789abcdef')\n    sys.exit(0)\n";
        var samples = _dir.WriteJsonl("s.jsonl", [new { task_id = "Add", completion = forged }, new { task_id = "Add", completion = c.Correct }, new { task_id = "Add", completion = c.Correct }]);

        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--time-limit", "1");

        Assert.Equal([false, true, true], run.Verdicts.Select(v => v.Passed));
        Assert.Equal(2, run.Int("distinct_programs"));
        Assert.Equal(2, run.Int("judged_now"));
    }

    [ToolchainFact(["cpp"])]
    public async Task Stored_verdicts_are_reused_and_a_reference_solution_calibrates_the_limit()
    {
        var c = Cases["cpp"];
        var problems = _dir.WriteJsonl("p.jsonl",
            [new { task_id = "MBCPP/1", language = "cpp", prompt = c.Prompt, entry_point = "add", test = c.Tests[1..], canonical_solution = c.Correct }]);
        var samples = _dir.WriteJsonl("s.jsonl", [new { task_id = "MBCPP/1", completion = c.Correct }, new { task_id = "MBCPP/1", completion = c.Wrong }]);
        var store = _dir.PathOf("verdicts.db");

        var first = await AssayCli.EvalAsync(_dir, problems, samples, store, "--k", "1");
        var second = await AssayCli.EvalAsync(_dir, problems, samples, store, "--k", "1");
        var canonical = await AssayCli.RunAsync("eval", "--problems", problems, "--canonical", "--json", "--store", store, "--out", _dir.PathOf("canon.jsonl"));

        Assert.Equal([true, false], first.Verdicts.Select(v => v.Passed));
        Assert.Equal(first.Verdicts, second.Verdicts);
        Assert.Equal(2, first.Int("judged_now"));
        Assert.Equal(0, second.Int("judged_now"));
        Assert.Equal(2, second.Int("samples_from_store"));
        Assert.Empty(first.Report.GetProperty("reference_failures").EnumerateArray());
        Assert.True(canonical.ExitCode == 0, canonical.ToString());
        var report = canonical.Json();
        Assert.Equal(1, report.GetProperty("samples").GetInt32());
        Assert.Equal(1, report.GetProperty("passed").GetInt32());
        Assert.Equal(0, report.GetProperty("judged_now").GetInt32());
    }
}
