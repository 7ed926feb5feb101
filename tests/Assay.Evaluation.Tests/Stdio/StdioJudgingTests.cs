using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Evaluation.Tests.Support;
using Assay.Execution.Running;

namespace Assay.Evaluation.Tests.Stdio;

/// <summary>Judging mode 3 in the real sandbox: programs in Python and C on stdin/stdout tests.</summary>
[Collection(SandboxCollection.Name)]
public sealed class StdioJudgingTests
{
    private static readonly StdioTest[] SumTests =
    [
        new("1 2\n", "3\n", IsPublic: true),
        new("10 -4\n", "6\n"),
        new("123456789 987654321\n", "1111111110\n"),
    ];

    private static Problem Sum(string language, OutputMatch match = OutputMatch.Tokens, OutputChecker? checker = null, double? limit = null) =>
        new("Sum/" + language, language, "", null, null, new StdioJudge(SumTests, match, limit, Checker: checker));

    private static async Task<IReadOnlyList<SampleResult>> JudgeAsync(Problem problem, params string[] programs)
    {
        var (runner, why) = ProgramRunner.Create();
        Assert.True(runner is not null, why);
        using (runner)
        {
            var evaluator = new Evaluator(runner, new NoVerdictStore(), new EvaluationOptions());
            var samples = programs.Select((p, i) => new Sample(problem.TaskId, i, p, IsSolution: true)).ToList();
            return (await evaluator.EvaluateAsync([problem], samples)).Samples;
        }
    }

    [SandboxFact]
    public async Task Python_programs_get_the_verdict_their_behaviour_earns()
    {
        var results = await JudgeAsync(Sum("python", limit: 1),
            "a, b = map(int, input().split())\nprint(a + b)\n",
            "a, b = map(int, input().split())\nprint(a - b)\n",
            "a, b = map(int, input().split())\nprint(a // 0)\n",
            "while True:\n    pass\n",
            "while True:\n    print('x' * 4096)\n",
            "import sys\na, b = map(int, input().split())\nprint(a + b)\nsys.stdout.flush()\nsys.exit(3)\n",
            "import os\na, b = map(int, input().split())\nprint(a + b, flush=True)\nos._exit(0)\n");

        Assert.Equal(
            ["ok", "wrong_answer", "runtime_error", "time_limit", "output_limit", "runtime_error", "ok"],
            results.Select(r => r.Verdict.Status.ToWireName()));
        Assert.Equal(3, results[0].Verdict.TestsPassed);
        Assert.Equal(3, results[0].Verdict.Tests.Count);
        // Stops at the first failing test, but keeps the outcome of every test that ran, and says which failed.
        Assert.Equal("test 0 (public): token 1: expected `3`, got `-1`", results[1].Verdict.Error);
        Assert.Equal(0, results[1].Verdict.TestsPassed);
        Assert.Contains("ZeroDivisionError", results[2].Verdict.Error, StringComparison.Ordinal);
        Assert.Contains("exit code 3", results[5].Verdict.Error, StringComparison.Ordinal);
        Assert.All(results, r => Assert.Equal(3, r.Verdict.TestsTotal));
    }

    [SandboxFact]
    public async Task C_programs_are_compiled_once_and_judged_the_same_way()
    {
        const string Main = "#include <stdio.h>\n#include <stdlib.h>\nint main(void) { long long a, b; if (scanf(\"%lld %lld\", &a, &b) != 2) return 1; ";
        var results = await JudgeAsync(Sum("c", limit: 1),
            Main + "printf(\"%lld\\n\", a + b); return 0; }\n",
            Main + "printf(\"%lld\\n\", a * b); return 0; }\n",
            Main + "int *p = NULL; *p = (int)a; printf(\"%d\\n\", *p); return 0; }\n",
            Main + "volatile unsigned long long x = 0; for (;;) x += a; }\n",
            Main + "for (;;) puts(\"flood flood flood flood flood flood flood flood\"); }\n",
            Main + "printf(\"%lld\\n\", a + b); fflush(stdout); return 1; }\n",
            "int main(void) { this is not C; }\n");

        Assert.Equal(
            ["ok", "wrong_answer", "runtime_error", "time_limit", "output_limit", "runtime_error", "compile_error"],
            results.Select(r => r.Verdict.Status.ToWireName()));
        Assert.Contains("signal 11", results[2].Verdict.Error, StringComparison.Ordinal);
        Assert.Contains("error", results[6].Verdict.Error, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task A_checker_program_decides_when_many_answers_are_right()
    {
        // Any two numbers whose sum is the input's a + b are accepted.
        const string Checker =
            "a, b = map(int, open('input.txt').read().split())\n" +
            "got = open('output.txt').read().split()\n" +
            "import sys\n" +
            "sys.exit(0 if len(got) == 2 and int(got[0]) + int(got[1]) == a + b else 1)\n";
        var problem = Sum("python", OutputMatch.Checker, new OutputChecker("python", Checker), limit: 2);
        var results = await JudgeAsync(problem,
            "a, b = map(int, input().split())\nprint(a, b)\n",
            "a, b = map(int, input().split())\nprint(b, a)\n",
            "a, b = map(int, input().split())\nprint(a + b, 0)\n",
            "a, b = map(int, input().split())\nprint(a + b)\n");

        Assert.Equal(["ok", "ok", "ok", "wrong_answer"], results.Select(r => r.Verdict.Status.ToWireName()));
        Assert.Contains("rejected by the checker", results[3].Verdict.Error, StringComparison.Ordinal);

        // A checker that fails is nobody's verdict: a sandbox error, which is never stored.
        var broken = Sum("python", OutputMatch.Checker, new OutputChecker("python", "raise SystemExit(7)\n"), limit: 2);
        var faulted = await JudgeAsync(broken, "a, b = map(int, input().split())\nprint(a, b)\n");
        Assert.Equal("sandbox_error", faulted[0].Verdict.Status.ToWireName());
        Assert.Contains("checker failed", faulted[0].Verdict.Error, StringComparison.Ordinal);
    }
}
