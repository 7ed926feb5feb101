using Assay.Core.Evaluation;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation.Tests.Support;

/// <summary>Items judged by the real Python harness in batch isolation, their verdicts by item id.</summary>
internal static class HarnessVerdicts
{
    public static async Task<Dictionary<string, ProgramVerdict>> JudgeAsync(ProgramRunner runner, IReadOnlyList<JudgeItem> items, long memoryLimitKb)
    {
        var judge = new PythonJudge(runner, runner.ResolveLanguage("python")!.Toolchain!, memoryLimitKb: memoryLimitKb);
        var verdicts = new Dictionary<string, ProgramVerdict>();
        await judge.JudgeAsync(items, JudgeIsolation.Batch, items.Count, (id, verdict) =>
        {
            lock (verdicts) verdicts[id] = verdict;
            return Task.CompletedTask;
        });
        return verdicts;
    }
}
