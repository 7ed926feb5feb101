using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.Stdio;

/// <summary>
/// MapCoder's 150-problem APPS selection has no reference solutions, so these are solutions written for this
/// test (two stdin problems, two call-based ones in MapCoder's stdin form), judged on the real tests.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RealAppsTests : IDisposable
{
    public const string MapCoderApps = "competitive/mapcoder_apps_selected150.jsonl";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [RealDataFact(MapCoderApps)]
    public async Task Correct_solutions_pass_the_real_tests_and_wrong_ones_fail()
    {
        var samples = _dir.WriteJsonl("samples.jsonl",
        [
            // "QAQ" subsequences (stdin, 43 tests).
            new { task_id = "1607", solution = "s = input().strip()\nq = a = r = 0\nfor c in s:\n    if c == 'Q':\n        r += a\n        q += 1\n    elif c == 'A':\n        a += q\nprint(r)\n" },
            // Swaps that change a | b (stdin).
            new { task_id = "2224", solution = "n = int(input()); a = input().strip(); b = input().strip()\nc = {}\nfor x, y in zip(a, b):\n    c[x + y] = c.get(x + y, 0) + 1\ng = lambda k: c.get(k, 0)\nprint(g('00') * (g('10') + g('11')) + g('01') * g('10'))\n" },
            // super_size(n) (call-based, as MapCoder runs it: argument on stdin, result printed).
            new { task_id = "4465", solution = "```python\ndef super_size(n):\n    return int(''.join(sorted(str(n), reverse=True)))\n\nprint(super_size(int(input())))\n```" },
            new { task_id = "3512", solution = "n = int(input())\na, b = 0, 1\nfor _ in range(n % 60):\n    a, b = b, (a + b) % 10\nprint(a)\n" },
            new { task_id = "1607", solution = "import sys\nprint(sys.stdin.read().count('Q'))\n" },
            new { task_id = "4465", solution = "def super_size(n):\n    return int(''.join(sorted(str(n), reverse=True)))\n" }, // never prints
        ]);

        var run = await AssayCli.EvalAsync(_dir, Requirements.Data(MapCoderApps), samples, null, "--k", "1", "--on-bad-record", "skip");

        Assert.Equal(
        [
            ("APPS/1607", 0, true, "ok"), ("APPS/2224", 0, true, "ok"), ("APPS/4465", 0, true, "ok"), ("APPS/3512", 0, true, "ok"),
            ("APPS/1607", 1, false, "wrong_answer"), ("APPS/4465", 1, false, "wrong_answer"),
        ], run.Verdicts);
        Assert.Equal(43, run.Results[0].GetProperty("tests_total").GetInt32());
        Assert.Equal(43, run.Results[0].GetProperty("tests_passed").GetInt32());
        Assert.Contains("expected 1 tokens, got 0", run.Results[5].GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
