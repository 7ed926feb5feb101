using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Evaluation.Pipeline;
using Assay.Evaluation.Tests.Pipeline;
using Assay.Evaluation.Tests.Support;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation.Tests.Judging;

/// <summary>
/// How the harness starts its workers and times a program's definition, in the real sandbox: workers are forked
/// from a fork server, and a candidate that kills it (its parent) changes no verdict after it, a memory bomb's
/// included; defining a program has its own limit, so a 50 ms test limit does not make a program that imports
/// numpy (or computes at its top level) time out in a fresh worker and pass in one where another candidate had
/// imported it.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class PythonWorkerTests
{
    private const string Right = "def f(x):\n    return 2 * x\n";

    private static string[] Tests => ["assert f(1) == 2", "assert f(3) == 6"];

    private const string Killer = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n" + Right;

    /// <summary>
    /// Judges <paramref name="items"/> in one sandbox, in order. With one sandbox at a time the schedule gives the first
    /// batch half of what there is: as many right programs follow as a second batch.
    /// </summary>
    private static async Task<Dictionary<string, ProgramVerdict>> JudgeOneBatchAsync(ProgramRunner runner, params JudgeItem[] items)
    {
        var all = items.Concat(items.Select((_, i) => new JudgeItem($"filler-{i}", Right + $"# filler {i}\n", "", Tests, "f", 2))).ToList();
        return await HarnessVerdicts.JudgeAsync(runner, all, 256 * 1024);
    }

    [SandboxFact]
    public async Task A_candidate_that_kills_the_fork_server_changes_no_verdict_after_it()
    {
        var (runner, why) = ProgramRunner.Create(concurrency: 1);
        Assert.True(runner is not null, why);
        using (runner)
        {
            // Workers after the fork server's death are new interpreters; the batch goes on in its sandbox.
            var verdicts = await JudgeOneBatchAsync(runner,
                new("killer", Killer, "", Tests, "f", 2),
                new("right", Right + "# 1\n", "", Tests, "f", 2),
                new("wrong", "def f(x):\n    return x\n", "", Tests, "f", 2),
                new("loop", "def f(x):\n    while True:\n        pass\n", "", Tests, "f", 0.2),
                new("right-after", Right + "# 2\n", "", Tests, "f", 2));
            // The killer's own worker is not its victim: its tests pass.
            Assert.Equal(RunStatus.Ok, verdicts["killer"].Status);
            Assert.Equal(RunStatus.Ok, verdicts["right"].Status);
            Assert.Equal(RunStatus.WrongAnswer, verdicts["wrong"].Status);
            Assert.Equal(RunStatus.TimeLimit, verdicts["loop"].Status);
            Assert.Equal(RunStatus.Ok, verdicts["right-after"].Status);
            Assert.All(verdicts.Where(v => !v.Key.StartsWith("filler", StringComparison.Ordinal)), v => Assert.False(v.Value.Isolated, v.Key + " was judged alone"));

            // The OOM killer takes a forked worker whose fork server is gone: it is still seen to die of signal 9
            // (the judge, a child subreaper, reaps it).
            verdicts = await JudgeOneBatchAsync(runner,
                new("killer", Killer + "# 3\n", "", Tests, "f", 2),
                new("bomb", "def f(x):\n    a = []\n    while True:\n        a.append(bytearray(10 ** 7))\n", "", Tests, "f", 2));
            Assert.Equal(RunStatus.Ok, verdicts["killer"].Status);
            Assert.Equal(RunStatus.MemoryLimit, verdicts["bomb"].Status);
            Assert.False(verdicts["bomb"].Isolated, "the bomb was judged alone, not in the killer's worker");
        }
    }

    [SandboxFact]
    public async Task Defining_a_program_has_its_own_limit_not_one_tests()
    {
        var (runner, why) = ProgramRunner.Create(concurrency: 1);
        Assert.True(runner is not null, why);
        using (runner)
        {
            // A 50 ms test limit, Assay's floor; the definition gets TimeLimitPolicy.LoadLimitSeconds of it (1 s).
            var pipeline = new JudgingPipeline(runner, new MemoryStore(), new EvaluationOptions { TimeLimit = TimeSpan.FromSeconds(0.05) });
            var problem = new Problem("T/0", "python", "def f(x):\n", "f", "    return 2 * x\n", new PythonAssertJudge("", Tests));
            const string busyTop = "import time\n_t = time.process_time()\nwhile time.process_time() - _t < {0}:\n    pass\n";
            string[] programs =
            [
                // First in its sandbox, so in a fresh worker: 0.3 s at its top level (more than numpy's import).
                string.Format(System.Globalization.CultureInfo.InvariantCulture, busyTop, "0.3") + Right,
                string.Format(System.Globalization.CultureInfo.InvariantCulture, busyTop, "5") + Right,
                Right,
            ];
            var result = await pipeline.JudgeAsync(programs.Select(p => new JudgeRequest(problem, p)).ToList());

            Assert.Equal(RunStatus.Ok, result.Programs[0].Verdict.Status);
            Assert.Equal(RunStatus.TimeLimit, result.Programs[1].Verdict.Status);
            Assert.Contains("defining the program", result.Programs[1].Verdict.Error ?? "", StringComparison.Ordinal);
            Assert.Equal(RunStatus.Ok, result.Programs[2].Verdict.Status);
            Assert.Equal(1.0, TimeLimitPolicy.LoadLimitSeconds(0.05));
            Assert.Equal(4.0, TimeLimitPolicy.LoadLimitSeconds(4.0));
        }
    }
}
