using System.Text.Json;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests;

/// <summary>
/// Samples that try to look like they pass: each must fail, with a status and a text that say why, and batch
/// judging (many candidates per interpreter) must reach exactly the verdicts of strict judging (one sandbox each).
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class NotFooledTests(NotFooledTests.Runs runs) : IClassFixture<NotFooledTests.Runs>
{
    /// <summary>An attempt, and what an honest judge says about it.</summary>
    public sealed record Attempt(string Name, string Completion, bool Passes, string[] Statuses, string[] Explanations);

    private static readonly string[] Wrong = ["wrong_answer"];
    private static readonly string[] Crashed = ["runtime_error"];
    private static readonly string[] WrongOrCrashed = ["wrong_answer", "runtime_error"];
    private const string FirstAssert = "add(2, 3) should be 5";

    public static readonly Attempt[] Attempts =
    [
        new("correct", "    return a + b\n", true, ["ok"], ["passed"]),
        new("sys_exit_at_module_level", "    return a - b\nimport sys\nsys.exit(0)\n", false, Crashed, ["SystemExit"]),
        new("os_exit_in_atexit_hook", "    return a - b\nimport atexit, os\natexit.register(lambda: os._exit(0))\n", false, Wrong, [FirstAssert]),
        new("prints_passed", "    print('PASSED')\n    print('passed')\n    print('All tests passed!')\n    return a - b\n", false, Wrong, [FirstAssert]),
        new("eq_always_true",
            "    class Yes:\n" +
            "        def __eq__(self, other):\n            return True\n" +
            "        def __ne__(self, other):\n            return False\n" +
            "        def __sub__(self, other):\n            return self\n" +
            "        def __abs__(self):\n            return 0\n" +
            "        __hash__ = object.__hash__\n" +
            "    return Yes()\n",
            false, Wrong, ["not plain data"]),
        new("int_subclass_with_lying_eq",
            "    class Liar(int):\n" +
            "        def __eq__(self, other):\n            return True\n" +
            "        def __ne__(self, other):\n            return False\n" +
            "        __hash__ = int.__hash__\n" +
            "    return Liar(a - b)\n",
            false, Wrong, [FirstAssert]),
        new("kills_its_parent", "    import os\n    os.kill(os.getppid(), 9)\n    return a - b\n", false, WrongOrCrashed, [FirstAssert, "ended before its tests finished"]),
        new("os_exit_at_module_level", "    return a - b\nimport os\nos._exit(0)\n", false, Crashed, ["ended before its tests finished"]),
        new("system_exit_inside_the_function", "    raise SystemExit(0)\n", false, Crashed, ["SystemExit"]),
        // Right on the integer asserts, wrong on the one that goes through abs(), which it rebinds to pass.
        new("monkeypatches_builtins_abs",
            "    return a + b if isinstance(a, int) else 0.0\nimport builtins\nbuiltins.abs = lambda x: 0\n",
            false, Wrong, ["add(2.5, 0.25) should be 2.75"]),
        // Finds the harness's own reporting function and nonce, reports itself passed, and leaves.
        new("forges_the_harness_verdict",
            "    return a - b\n" +
            "import sys, os\n" +
            "frame = sys._getframe()\n" +
            "while frame is not None and 'item' not in frame.f_locals:\n    frame = frame.f_back\n" +
            "harness = sys.modules['__main__']\n" +
            "harness._emit({'id': frame.f_locals['item']['id'], 'status': 'passed', 'tests': [{'passed': True, 'cpu_ms': 1}], 'cpu_ms': 1})\n" +
            "os._exit(0)\n",
            // The tests run in another process than the candidate: there is no harness to find.
            false, WrongOrCrashed, [FirstAssert, "ended before its tests finished", "has no attribute '_emit'"]),
    ];

    public static TheoryData<string> Names => new(Attempts.Select(a => a.Name));

    /// <summary>One evaluation of every attempt per isolation mode, made on first use and shared by the tests.</summary>
    public sealed class Runs : IDisposable
    {
        private readonly TempDir _dir = new();
        private readonly Lazy<Task<(EvalRun Batch, EvalRun Strict)>> _runs;

        public Runs() => _runs = new(async () =>
        {
            var problems = Tiny.WriteProblems(_dir);
            var samples = _dir.WriteJsonl("samples.jsonl", Attempts.Select(a => Tiny.Completion(Tiny.AddId, a.Completion)));
            var batch = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--isolation", "batch");
            var strict = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--isolation", "strict");
            return (batch, strict);
        });

        public Task<(EvalRun Batch, EvalRun Strict)> GetAsync() => _runs.Value;

        public void Dispose() => _dir.Dispose();
    }

    [SandboxTheory]
    [MemberData(nameof(Names))]
    public async Task Attempt_gets_an_honest_verdict_in_batch_and_strict_mode(string name)
    {
        var index = Array.FindIndex(Attempts, a => a.Name == name);
        var attempt = Attempts[index];
        var (batch, strict) = await runs.GetAsync();
        foreach (var (mode, run) in new[] { ("batch", batch), ("strict", strict) })
        {
            var line = run.Results[index];
            var context = $"{name} ({mode}): {line}";
            Assert.True(line.GetProperty("completion_id").GetInt32() == index, context);
            Assert.True(line.GetProperty("passed").GetBoolean() == attempt.Passes, context);
            Assert.True(attempt.Statuses.Contains(line.GetProperty("status").GetString()), context);
            var result = line.GetProperty("result").GetString()!;
            Assert.True(attempt.Passes ? result == "passed" : result.StartsWith("failed: ", StringComparison.Ordinal), context);
            // The explanation is in the human-eval `result` text and in `error`, not just a bare status.
            Assert.True(attempt.Explanations.Any(result.Contains), context);
            if (!attempt.Passes)
            {
                var error = line.GetProperty("error");
                Assert.True(error.ValueKind == JsonValueKind.String && attempt.Explanations.Any(error.GetString()!.Contains), context);
            }
        }
        // Batch judging is an optimisation: the verdict must be the one a sandbox of its own gives.
        Assert.Equal(Verdict(strict.Results[index]), Verdict(batch.Results[index]));
    }

    [SandboxFact]
    public async Task Batch_and_strict_runs_agree_on_every_sample()
    {
        var (batch, strict) = await runs.GetAsync();
        Assert.Equal(Attempts.Length, batch.Int("samples"));
        Assert.Equal(Attempts.Length, strict.Int("samples"));
        Assert.Equal(strict.Results.Select(Verdict), batch.Results.Select(Verdict));
        Assert.Equal(batch.Report.GetProperty("status_counts").ToString(), strict.Report.GetProperty("status_counts").ToString());
        // In strict mode every program is judged alone; in batch mode at least the ones that exit or change the interpreter.
        Assert.Equal(Attempts.Length, strict.Int("judged_alone"));
        // Batch mode replaces a candidate's process instead of re-judging it: none needs judging alone.
        Assert.InRange(batch.Int("judged_alone"), 0, Attempts.Length);
    }

    [SandboxFact]
    public async Task Only_the_correct_sample_passes()
    {
        var (batch, strict) = await runs.GetAsync();
        foreach (var run in new[] { batch, strict })
        {
            var passing = run.Results.Where(r => r.GetProperty("passed").GetBoolean()).Select(r => Attempts[r.GetProperty("completion_id").GetInt32()].Name);
            Assert.Equal(["correct"], passing);
            Assert.Equal(1, run.Int("passed"));
            Assert.Equal(1.0 / Attempts.Length, run.PassAt(1), 6);
        }
    }

    private static (bool Passed, string? Status, string? Result) Verdict(JsonElement line) =>
        (line.GetProperty("passed").GetBoolean(), line.GetProperty("status").GetString(), line.GetProperty("result").GetString());
}
