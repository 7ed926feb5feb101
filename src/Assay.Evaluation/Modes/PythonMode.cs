using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Execution.Judging;

namespace Assay.Evaluation.Modes;

/// <summary>
/// Python problems judged by Assay's Python harness: assert tests (HumanEval, MBPP) and function inputs whose
/// outputs are compared with the reference solution's (EvalPlus). Each problem's time limit is calibrated from
/// its reference solution; every distinct program is judged once, in batches.
/// </summary>
internal sealed class PythonMode(EvaluationContext context) : JudgingMode(context)
{
    public override bool Handles(JudgeSpec judge) => judge is PythonAssertJudge or IoFunctionJudge;

    public override async Task<ModeResult> EvaluateAsync(IReadOnlyList<Problem> problems, IReadOnlyList<Sample> samples, EvaluationTally tally,
        CancellationToken cancellationToken)
    {
        var byId = problems.ToDictionary(p => p.TaskId, StringComparer.Ordinal);
        var sampled = samples.Select(s => s.TaskId).ToHashSet(StringComparer.Ordinal);
        var used = problems.Where(p => sampled.Contains(p.TaskId)).ToList();
        var calibrations = await CalibrateAsync(used, cancellationToken);
        var byTask = calibrations.ToDictionary(c => c.TaskId, StringComparer.Ordinal);

        // Plan: one item per distinct (program, tests, limit); many samples may share it.
        var items = new Dictionary<string, JudgeItem>(StringComparer.Ordinal);
        var sampleKeys = new string[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var problem = byId[sample.TaskId];
            var item = ItemFor(problem, sample.ProgramFor(problem), byTask[problem.TaskId], idPrefix: "");
            sampleKeys[i] = item.Id;
            items.TryAdd(item.Id, item);
        }

        var verdicts = new ConcurrentDictionary<string, ProgramVerdict>(await Context.Store.GetManyAsync(items.Keys, cancellationToken), StringComparer.Ordinal);
        var fromStore = verdicts.Keys.ToHashSet(StringComparer.Ordinal);
        var samplesPerKey = sampleKeys.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        tally.AddStored(fromStore.Sum(k => samplesPerKey[k]));

        var todo = items.Values.Where(item => !verdicts.ContainsKey(item.Id)).ToList();
        var problemOf = new Dictionary<string, Problem>(StringComparer.Ordinal);
        for (var i = 0; i < samples.Count; i++) problemOf.TryAdd(sampleKeys[i], byId[samples[i].TaskId]);
        await Context.Python.JudgeAsync(todo, Context.Options.Isolation, (id, verdict) =>
        {
            var problem = problemOf[id];
            if (problem.Judge is IoFunctionJudge io) verdict = IoVerdicts.Compare(verdict, io, byTask[problem.TaskId].Reference);
            verdicts[id] = verdict;
            // Infrastructure faults are not remembered: the next run tries again.
            if (verdict.Status != RunStatus.SandboxError) Context.Store.Put(id, verdict);
            tally.AddJudged(samplesPerKey[id]);
            return Task.CompletedTask;
        }, cancellationToken);
        await Context.Store.FlushAsync(cancellationToken);

        var results = new List<SampleResult>(samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            results.Add(new SampleResult(sample, items[sampleKeys[i]].Program, verdicts[sampleKeys[i]], fromStore.Contains(sampleKeys[i])));
        }
        return new ModeResult(results, calibrations, items.Count, todo.Count);
    }

    /// <summary>
    /// Measures each reference solution (with a generous limit) and derives the problem's per-test limit from
    /// its slowest test. Measurements are stored like verdicts, so a re-run uses the very same limits.
    /// </summary>
    private async Task<List<ProblemCalibration>> CalibrateAsync(IReadOnlyList<Problem> problems, CancellationToken cancellationToken)
    {
        // Input/output problems need the reference's outputs even with a fixed limit: they are the expected outputs.
        var measured = problems.Where(p => p.CanonicalSolution is not null
            && (Context.Options.FixedTimeLimitSeconds is null || p.Judge is IoFunctionJudge)).ToList();
        var generous = new ProblemCalibration("", Context.Options.CalibrationLimitSeconds, null);
        var items = measured
            .Select(p => (Problem: p, Item: ItemFor(p, p.Prompt + p.CanonicalSolution, generous, idPrefix: "reference:")))
            .ToList();
        var verdicts = new ConcurrentDictionary<string, ProgramVerdict>(
            await Context.Store.GetManyAsync(items.Select(i => i.Item.Id).ToList(), cancellationToken), StringComparer.Ordinal);
        var todo = items.Select(i => i.Item).Where(i => !verdicts.ContainsKey(i.Id)).ToList();
        // Reference solutions are measured in batches too: the harness resets nothing they could depend on, and
        // anything unusual (a timeout, a crash, changed interpreter state) is measured again alone.
        await Context.Python.JudgeAsync(todo, Context.Options.Isolation, (id, verdict) =>
        {
            verdicts[id] = verdict;
            if (verdict.Status != RunStatus.SandboxError) Context.Store.Put(id, verdict);
            return Task.CompletedTask;
        }, cancellationToken);

        var result = new List<ProblemCalibration>(problems.Count);
        foreach (var problem in problems)
        {
            var entry = items.FirstOrDefault(i => i.Problem == problem);
            var reference = entry.Item is null ? null : verdicts.GetValueOrDefault(entry.Item.Id);
            if (Context.Options.FixedTimeLimitSeconds is { } fixedLimit)
            {
                result.Add(new ProblemCalibration(problem.TaskId, fixedLimit, reference,
                    reference?.Tests.Select(_ => fixedLimit).ToList()));
                continue;
            }
            var limit = Context.Options.TimeLimitFloorSeconds;
            IReadOnlyList<double>? perTest = null;
            if (reference is { Passed: true })
            {
                var slowest = reference.Tests.Count == 0 ? reference.CpuTimeMs : reference.Tests.Max(t => t.CpuTimeMs);
                limit = LimitFor(slowest);
                if (problem.Judge is IoFunctionJudge) perTest = reference.Tests.Select(t => LimitFor(t.CpuTimeMs)).ToList();
            }
            result.Add(new ProblemCalibration(problem.TaskId, limit, reference, perTest));
        }
        return result;
    }

    /// <summary>max(floor, factor × measured), rounded up to a tenth of a second so that noise rarely changes it.</summary>
    private double LimitFor(double measuredMs) =>
        Math.Max(Context.Options.TimeLimitFloorSeconds, Math.Ceiling(Context.Options.TimeLimitFactor * measuredMs / 100.0) / 10.0);

    private JudgeItem ItemFor(Problem problem, string program, ProblemCalibration calibration, string idPrefix)
    {
        var limitSeconds = calibration.TimeLimitSeconds;
        if (problem.Judge is IoFunctionJudge io)
        {
            // Per-input limits when the reference was measured; otherwise the problem's limit for every input.
            var callLimits = calibration.TestLimits is { } measured && measured.Count == io.Inputs.Count
                ? measured
                : io.Inputs.Select(_ => limitSeconds).ToList();
            // EvalPlus's budget for all tests together (60 s), but never less than four times what the
            // reference solution needed for them all.
            var referenceTotal = (calibration.Reference?.Tests.Sum(t => t.CpuTimeMs) ?? 0) / 1000.0;
            var total = idPrefix.Length > 0 ? 0 : Math.Min(Math.Max(Context.Options.TotalTimeLimitSeconds, 4 * referenceTotal), callLimits.Sum());
            var ioKey = new StringBuilder()
                .Append("io-v1\0").Append(Context.Python.Fingerprint).Append('\0')
                .Append(program).Append('\0').Append(problem.EntryPoint).Append('\0')
                .AppendJoin('\u0001', io.Inputs).Append('\0')
                .AppendJoin(',', callLimits.Select(l => l.ToString("R", CultureInfo.InvariantCulture))).Append('\0')
                .Append(total.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
                // The verdict depends on the expected outputs, which the canonical solution determines.
                .Append(problem.Prompt).Append(problem.CanonicalSolution).Append('\0')
                .Append(io.Atol.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
                .AppendJoin('\u0001', io.Expected ?? []).Append(io.Expected is null ? "\0reference\0" : "\0given\0")
                .Append(io.Oracle).Append('\0').Append(io.TaggedInputs).Append('\0').Append(io.Method);
            var ioId = idPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ioKey.ToString())))[..40];
            return new JudgeItem(ioId, program, "", [], problem.EntryPoint, limitSeconds, Calls: io.Inputs, CallLimits: callLimits,
                TotalLimitSeconds: total, TaggedCalls: io.TaggedInputs, Method: io.Method, NotNone: io.Oracle == IoOracle.NotNone);
        }
        if (problem.Judge is not PythonAssertJudge judge)
            throw new NotSupportedException($"{problem.TaskId}: judging mode {problem.Judge.GetType().Name} is not supported yet");
        var key = new StringBuilder()
            .Append("assert-v1\0").Append(Context.Python.Fingerprint).Append('\0')
            .Append(program).Append('\0').Append(judge.Setup).Append('\0')
            .AppendJoin('\u0001', judge.Tests).Append('\0')
            .Append(problem.EntryPoint).Append(judge.RebindEntryPoint ? "\0rebind\0" : "\0")
            .Append(limitSeconds.ToString("R", CultureInfo.InvariantCulture));
        var id = idPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
        return new JudgeItem(id, program, judge.Setup, judge.Tests, problem.EntryPoint, limitSeconds, judge.RebindEntryPoint);
    }
}
