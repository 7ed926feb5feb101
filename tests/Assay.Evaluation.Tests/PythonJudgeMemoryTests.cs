using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Evaluation.Tests.Support;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation.Tests;

/// <summary>
/// Memory bombs judged by the Python harness (python_harness*.py) in the real sandbox: each is `memory_limit` — the
/// worker the OOM killer took (signal 9) or the candidate's MemoryError (a request the kernel refuses outright) —
/// in assert tests, input/output calls and execution-matrix rows, and the candidate judged after it in the same
/// batch gets its own verdict from a fresh worker.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class PythonJudgeMemoryTests
{
    /// <summary>Small enough that a bomb reaches it in a fraction of a second of CPU, far within the time limit.</summary>
    private const long MemoryKb = 256 * 1024;

    private const string Right = "def f(x):\n    return 2 * x\n";

    /// <summary>Bodies of `f(x)` that allocate without bound, or more than any machine has at once.</summary>
    public static TheoryData<string, string> Bombs => new()
    {
        { "append", "def f(x):\n    a = []\n    while True:\n        a.append(bytearray(10 ** 7))\n" },
        { "huge", "def f(x):\n    return ' ' * 10 ** 11\n" },
        { "doubling", "def f(x):\n    a = [0]\n    while True:\n        a = a + a\n" },
        { "recursive", "def f(x):\n    return [x] * 10 ** 6 + f(x + 1)\n" },
    };

    private static async Task<Dictionary<string, ProgramVerdict>> JudgeAsync(IReadOnlyList<JudgeItem> items)
    {
        var (runner, why) = ProgramRunner.Create();
        Assert.True(runner is not null, why);
        using (runner)
        {
            // One batch: the bomb and the right program share a sandbox, the right one judged after the bomb.
            return await HarnessVerdicts.JudgeAsync(runner, items, MemoryKb);
        }
    }

    [SandboxTheory]
    [MemberData(nameof(Bombs))]
    public async Task A_memory_bomb_is_memory_limit_in_every_kind_of_test_and_the_next_candidate_is_judged(string name, string bomb)
    {
        string[] asserts = ["assert f(1) == 2", "assert f(2) == 4"];
        JudgeColumn[] columns = [JudgeColumn.ForCall("[1]"), JudgeColumn.ForAssertion("assert f(2) == 4")];
        var verdicts = await JudgeAsync(
        [
            new JudgeItem("assert-bomb", bomb, "", asserts, "f", 2.0),
            new JudgeItem("assert-right", Right, "", asserts, "f", 2.0),
            new JudgeItem("calls-bomb", bomb, "", [], "f", 2.0, Calls: ["[1]", "[2]"]),
            new JudgeItem("calls-right", Right, "", [], "f", 2.0, Calls: ["[1]", "[2]"]),
            new JudgeItem("matrix-bomb", bomb, "", [], "f", 2.0, Matrix: columns, MaxTimeouts: 3, LoadLimitSeconds: 2.0),
            new JudgeItem("matrix-right", Right, "", [], "f", 2.0, Matrix: columns, MaxTimeouts: 3, LoadLimitSeconds: 2.0),
        ]);

        foreach (var kind in new[] { "assert", "calls" })
        {
            Assert.True(verdicts[kind + "-bomb"].Status == RunStatus.MemoryLimit, $"{name} ({kind}): {Describe(verdicts[kind + "-bomb"])}");
            Assert.True(verdicts[kind + "-right"].Tests.All(t => t.Passed), $"after {name} ({kind}): {Describe(verdicts[kind + "-right"])}");
        }
        // A matrix row's cells are its verdict: every cell the bomb reached is memory_limit, none a timeout.
        var row = verdicts["matrix-bomb"];
        Assert.True(row.Tests.Count == 2 && row.Tests.All(t => t.Status == RunStatus.MemoryLimit), $"{name} (matrix): {Describe(row)}");
        Assert.True(verdicts["matrix-right"].Tests.All(t => t.Passed), $"after {name} (matrix): {Describe(verdicts["matrix-right"])}");
    }

    /// <summary>Through `assay eval` with its defaults: a request larger than the machine is memory_limit, the samples after it pass.</summary>
    [SandboxFact]
    public async Task Eval_reports_memory_limit_for_an_allocation_larger_than_the_machine()
    {
        using var dir = new TempDir();
        var problems = Tiny.WriteProblems(dir);
        var samples = dir.WriteJsonl("samples.jsonl", new[]
        {
            Tiny.Completion(Tiny.AddId, "    return ' ' * 10 ** 11\n"),
            Tiny.Completion(Tiny.AddId, "    return a + b\n"),
            Tiny.Completion(Tiny.MulId, "    x = bytearray(10 ** 11)\n    return a * b\n"),
            Tiny.Completion(Tiny.MulId, "    return a * b\n"),
        });
        var run = await AssayCli.EvalAsync(dir, problems, samples, null, "--k", "1");

        Assert.Equal(
            [(Tiny.AddId, 0, false, "memory_limit"), (Tiny.AddId, 1, true, "ok"), (Tiny.MulId, 0, false, "memory_limit"), (Tiny.MulId, 1, true, "ok")],
            run.Verdicts.OrderBy(v => v.TaskId, StringComparer.Ordinal).ThenBy(v => v.CompletionId));
    }

    private static string Describe(ProgramVerdict v) =>
        $"{v.Status.ToWireName()} ({v.Error}) tests: " + string.Join(", ", v.Tests.Select(t => $"{t.Status.ToWireName()} {t.Error}"));
}
