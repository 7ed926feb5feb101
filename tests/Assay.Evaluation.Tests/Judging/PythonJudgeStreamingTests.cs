using System.Diagnostics;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Evaluation.Tests.Support;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation.Tests.Judging;

/// <summary>
/// Verdicts leave a batch's sandbox while it runs (the supervisor streams the harness's results channel): a
/// candidate judged before a slow one in the same sandbox is reported when it is done, not when the sandbox ends.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class PythonJudgeStreamingTests
{
    [SandboxFact]
    public async Task A_candidate_is_reported_while_the_slow_one_after_it_in_the_same_sandbox_still_runs()
    {
        // One sandbox at a time: the schedule then puts the first two items into one batch (and the rest after it).
        var (runner, why) = ProgramRunner.Create(concurrency: 1);
        Assert.True(runner is not null, why);
        using (runner)
        {
            var judge = new PythonJudge(runner, runner.ResolveLanguage("python")!.Toolchain!);
            string[] tests = ["assert f() == 1"];
            JudgeItem[] items =
            [
                new("quick", "def f():\n    return 1\n", "", tests, "f", 5),
                new("slow", "import time\ndef f():\n    t = time.process_time()\n    while time.process_time() - t < 3:\n        pass\n    return 1\n", "", tests, "f", 5),
                new("later-1", "def f():\n    return 1 # 1\n", "", tests, "f", 5),
                new("later-2", "def f():\n    return 1 # 2\n", "", tests, "f", 5),
            ];
            var clock = Stopwatch.StartNew();
            var reported = new Dictionary<string, (TimeSpan At, ProgramVerdict Verdict)>();
            await judge.JudgeAsync(items, JudgeIsolation.Batch, items.Length, (id, verdict) =>
            {
                lock (reported) reported.Add(id, (clock.Elapsed, verdict));
                return Task.CompletedTask;
            });
            Assert.Equal(RunStatus.Ok, reported["quick"].Verdict.Status);
            Assert.Equal(RunStatus.Ok, reported["slow"].Verdict.Status);
            Assert.False(reported["quick"].Verdict.Isolated, "the two shared one sandbox");
            Assert.False(reported["slow"].Verdict.Isolated);
            Assert.True(reported["slow"].At - reported["quick"].At >= TimeSpan.FromSeconds(2),
                $"quick reported at {reported["quick"].At.TotalSeconds:F2} s, slow (its sandbox's end) at {reported["slow"].At.TotalSeconds:F2} s");
        }
    }
}
