using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Execution.Judging;

namespace Assay.Evaluation;

/// <summary>
/// Scores samples against their problems: calibrates each problem's time limit from its reference solution,
/// judges every distinct program once (reusing stored verdicts), and returns each sample's verdict.
/// Inputs → plan (distinct programs and their limits) → sandbox (the judge) → verdicts (stored) → results.
/// </summary>
public sealed class Evaluator
{
    private readonly PythonJudge _judge;
    private readonly IVerdictStore _store;
    private readonly EvaluationOptions _options;

    public Evaluator(PythonJudge judge, IVerdictStore store, EvaluationOptions options)
    {
        _judge = judge;
        _store = store;
        _options = options;
    }

    public async Task<EvaluationResult> EvaluateAsync(IReadOnlyList<Problem> problems, IReadOnlyList<Sample> samples,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(samples);
        var clock = Stopwatch.StartNew();
        var byId = problems.ToDictionary(p => p.TaskId, StringComparer.Ordinal);
        var sampled = samples.Select(s => s.TaskId).ToHashSet(StringComparer.Ordinal);
        var used = problems.Where(p => sampled.Contains(p.TaskId)).ToList();
        var calibrations = await CalibrateAsync(used, cancellationToken);
        var limits = calibrations.ToDictionary(c => c.TaskId, c => c.TimeLimitSeconds, StringComparer.Ordinal);

        // Plan: one item per distinct (program, tests, limit); many samples may share it.
        var items = new Dictionary<string, JudgeItem>(StringComparer.Ordinal);
        var sampleKeys = new string[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var problem = byId[sample.TaskId];
            var item = ItemFor(problem, sample.ProgramFor(problem), limits[problem.TaskId], idPrefix: "");
            sampleKeys[i] = item.Id;
            items.TryAdd(item.Id, item);
        }

        var verdicts = new ConcurrentDictionary<string, ProgramVerdict>(await _store.GetManyAsync(items.Keys, cancellationToken), StringComparer.Ordinal);
        var fromStore = verdicts.Keys.ToHashSet(StringComparer.Ordinal);
        var samplesPerKey = sampleKeys.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var done = fromStore.Sum(k => samplesPerKey[k]);
        var storedSamples = done;
        progress?.Report(new EvaluationProgress(done, samples.Count, storedSamples));

        var todo = items.Values.Where(item => !verdicts.ContainsKey(item.Id)).ToList();
        await _judge.JudgeAsync(todo, _options.Isolation, (id, verdict) =>
        {
            verdicts[id] = verdict;
            // Infrastructure faults are not remembered: the next run tries again.
            if (verdict.Status != RunStatus.SandboxError) _store.Put(id, verdict);
            var now = Interlocked.Add(ref done, samplesPerKey[id]);
            progress?.Report(new EvaluationProgress(now, samples.Count, storedSamples));
            return Task.CompletedTask;
        }, cancellationToken);
        await _store.FlushAsync(cancellationToken);

        var results = new List<SampleResult>(samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            results.Add(new SampleResult(sample, items[sampleKeys[i]].Program, verdicts[sampleKeys[i]], fromStore.Contains(sampleKeys[i])));
        }
        return new EvaluationResult(results, calibrations, items.Count, todo.Count, clock.Elapsed);
    }

    /// <summary>
    /// Measures each reference solution (with a generous limit) and derives the problem's per-test limit from
    /// its slowest test. Measurements are stored like verdicts, so a re-run uses the very same limits.
    /// </summary>
    private async Task<List<ProblemCalibration>> CalibrateAsync(IReadOnlyList<Problem> problems, CancellationToken cancellationToken)
    {
        if (_options.FixedTimeLimitSeconds is { } fixedLimit)
            return problems.Select(p => new ProblemCalibration(p.TaskId, fixedLimit, null)).ToList();
        var items = problems.Where(p => p.CanonicalSolution is not null)
            .Select(p => (Problem: p, Item: ItemFor(p, p.Prompt + p.CanonicalSolution, _options.CalibrationLimitSeconds, idPrefix: "reference:")))
            .ToList();
        var verdicts = new ConcurrentDictionary<string, ProgramVerdict>(
            await _store.GetManyAsync(items.Select(i => i.Item.Id).ToList(), cancellationToken), StringComparer.Ordinal);
        var todo = items.Select(i => i.Item).Where(i => !verdicts.ContainsKey(i.Id)).ToList();
        // Reference solutions are measured in batches too: the harness resets nothing they could depend on, and
        // anything unusual (a timeout, a crash, changed interpreter state) is measured again alone.
        await _judge.JudgeAsync(todo, _options.Isolation, (id, verdict) =>
        {
            verdicts[id] = verdict;
            if (verdict.Status != RunStatus.SandboxError) _store.Put(id, verdict);
            return Task.CompletedTask;
        }, cancellationToken);

        var result = new List<ProblemCalibration>(problems.Count);
        foreach (var problem in problems)
        {
            var entry = items.FirstOrDefault(i => i.Problem == problem);
            var reference = entry.Item is null ? null : verdicts.GetValueOrDefault(entry.Item.Id);
            var limit = _options.TimeLimitFloorSeconds;
            if (reference is { Passed: true })
            {
                var slowest = reference.Tests.Count == 0 ? reference.CpuTimeMs : reference.Tests.Max(t => t.CpuTimeMs);
                // Rounded up to a tenth of a second so that measurement noise rarely changes the limit.
                limit = Math.Max(limit, Math.Ceiling(_options.TimeLimitFactor * slowest / 100.0) / 10.0);
            }
            result.Add(new ProblemCalibration(problem.TaskId, limit, reference));
        }
        return result;
    }

    private JudgeItem ItemFor(Problem problem, string program, double limitSeconds, string idPrefix)
    {
        if (problem.Judge is not PythonAssertJudge judge)
            throw new NotSupportedException($"{problem.TaskId}: judging mode {problem.Judge.GetType().Name} is not supported yet");
        var key = new StringBuilder()
            .Append("assert-v1\0").Append(_judge.Fingerprint).Append('\0')
            .Append(program).Append('\0').Append(judge.Setup).Append('\0')
            .AppendJoin('\u0001', judge.Tests).Append('\0')
            .Append(problem.EntryPoint).Append(judge.RebindEntryPoint ? "\0rebind\0" : "\0")
            .Append(limitSeconds.ToString("R", CultureInfo.InvariantCulture));
        var id = idPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
        return new JudgeItem(id, program, judge.Setup, judge.Tests, problem.EntryPoint, limitSeconds, judge.RebindEntryPoint);
    }
}
