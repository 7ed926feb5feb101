using System.Collections.Concurrent;
using Assay.Core.Evaluation;

namespace Assay.Evaluation.Pipeline;

/// <summary>
/// The one path from planned work to stored verdicts, for every judging mode and for execution-matrix rows:
/// distinct keys → store lookup → judge what is missing → decide → store what is storable
/// (<see cref="ProgramVerdict.IsStorable"/>). Nothing else in Assay reads or writes verdicts.
/// </summary>
internal static class VerdictFlow
{
    /// <summary>
    /// Verdicts for every piece of work, by key. <paramref name="onVerdict"/> is told of each key and its verdict as it
    /// gets it (stored ones first, with <c>fromStore</c> true), for progress and for answering early. <typeparamref name="TRaw"/> is what the judge
    /// reports and <paramref name="decide"/> turns into the verdict.
    /// </summary>
    public static async Task<FlowResult> RunAsync<TRaw>(IVerdictStore store, IReadOnlyList<PlannedWork> work,
        Func<IReadOnlyList<PlannedWork>, Func<PlannedWork, TRaw, ValueTask>, CancellationToken, Task> judge,
        Func<PlannedWork, TRaw, ProgramVerdict> decide, Action<string, ProgramVerdict, bool>? onVerdict, CancellationToken cancellationToken)
    {
        var distinct = new Dictionary<string, PlannedWork>(StringComparer.Ordinal);
        foreach (var w in work) distinct.TryAdd(w.Key, w);
        var stored = await store.GetManyAsync(distinct.Keys, cancellationToken);
        var verdicts = new ConcurrentDictionary<string, ProgramVerdict>(stored, StringComparer.Ordinal);
        foreach (var (key, verdict) in stored) onVerdict?.Invoke(key, verdict, true);

        var todo = distinct.Values.Where(w => !verdicts.ContainsKey(w.Key)).ToList();
        if (todo.Count > 0)
        {
            await judge(todo, (w, raw) =>
            {
                var verdict = decide(w, raw);
                verdicts[w.Key] = verdict;
                if (verdict.IsStorable) store.Put(w.Key, verdict);
                onVerdict?.Invoke(w.Key, verdict, false);
                return ValueTask.CompletedTask;
            }, cancellationToken);
        }
        await store.FlushAsync(cancellationToken);
        // Work the judge never answered for is an infrastructure fault, never a verdict (and never stored).
        foreach (var w in todo.Where(w => !verdicts.ContainsKey(w.Key)))
            verdicts[w.Key] = new ProgramVerdict { Status = Core.Execution.RunStatus.SandboxError, Error = "the judge returned no verdict" };
        return new FlowResult(verdicts, stored.Keys.ToHashSet(StringComparer.Ordinal), distinct.Count, todo.Count);
    }
}

/// <summary>Verdicts by key, which of them came from the store, and how much work there was.</summary>
internal sealed record FlowResult(IReadOnlyDictionary<string, ProgramVerdict> Verdicts, IReadOnlySet<string> FromStore, int Distinct, int JudgedNow);
