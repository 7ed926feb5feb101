using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Evaluation.Pipeline;
using Assay.Execution.Judging;

namespace Assay.Evaluation.Modes;

/// <summary>
/// Python problems judged by Assay's Python harness: assert tests (HumanEval, MBPP) and function inputs whose
/// outputs are compared with the expected ones outside the candidate's process (EvalPlus, APPS call-based).
/// What is its own: the harness items and their keys, batches of candidates per sandbox, output comparison.
/// </summary>
internal sealed class PythonMode(ModeContext context) : IJudgingMode
{
    public bool Handles(JudgeSpec judge) => judge is PythonAssertJudge or IoFunctionJudge;

    public TimedUnit Unit => TimedUnit.Test;

    /// <summary>Input/output problems need the reference's outputs even with a fixed limit: they are the expected outputs.</summary>
    public bool NeedsReference(Problem problem, TimeLimitPolicy policy) => policy.FixedSeconds is null || problem.Judge is IoFunctionJudge;

    public double? MeasuredCpuMs(ProgramVerdict reference) =>
        reference.Tests.Count == 0 ? reference.CpuTimeMs : reference.Tests.Max(t => t.CpuTimeMs);

    /// <summary>Input/output tests are timed one by one: each gets its own calibrated limit (the policy is the problem's).</summary>
    public IReadOnlyList<double>? PerTestLimits(Problem problem, ProgramVerdict? reference, TimeLimitPolicy policy) =>
        policy.FixedSeconds is null && problem.Judge is IoFunctionJudge && reference is { Passed: true }
            ? reference.Tests.Select(t => policy.Calibrated(t.CpuTimeMs)).ToList()
            : null;

    public Planned Plan(Problem problem, string language, string program, ProblemCalibration limits, bool reference)
    {
        var name = context.Runner.Catalog.Find(language)?.Name;
        if (name != "python")
            return Planned.Refused($"{problem.TaskId}: its tests are Python functions; a program in {name ?? "unknown language " + language} cannot be judged against them");
        return Planned.Of(new PythonWork(ItemFor(problem, program, limits, reference ? "reference:" : ""), problem));
    }

    public Task JudgeAsync(IReadOnlyList<PlannedWork> work, Func<PlannedWork, RawOutcome, ValueTask> onOutcome, CancellationToken cancellationToken)
    {
        var byKey = work.ToDictionary(w => w.Key, StringComparer.Ordinal);
        return context.Python.JudgeAsync(work.Select(w => ((PythonWork)w).Item).ToList(), context.Options.Isolation,
            async (id, verdict) => await onOutcome(byKey[id], new RawVerdict(verdict)), cancellationToken);
    }

    /// <summary>Function results compared with the expected ones; an assert test's verdict is the harness's.</summary>
    public ProgramVerdict Decide(PlannedWork work, RawOutcome raw, ProblemCalibration limits)
    {
        var verdict = ((RawVerdict)raw).Verdict;
        return ((PythonWork)work).Problem.Judge is IoFunctionJudge io ? IoVerdicts.Compare(verdict, io, limits.Reference) : verdict;
    }

    /// <summary>Kept raw: the reference's results are the expected outputs of input/output tests.</summary>
    public ProgramVerdict DecideReference(PlannedWork work, RawOutcome raw) => ((RawVerdict)raw).Verdict;

    private JudgeItem ItemFor(Problem problem, string program, ProblemCalibration calibration, string idPrefix)
    {
        var limitSeconds = calibration.TimeLimitSeconds;
        var python = context.Python;
        if (problem.Judge is IoFunctionJudge io)
        {
            // Per-input limits when the reference was measured; otherwise the problem's limit for every input.
            var callLimits = calibration.TestLimits is { } measured && measured.Count == io.Inputs.Count
                ? measured
                : io.Inputs.Select(_ => limitSeconds).ToList();
            // EvalPlus's budget for all tests together (60 s), but never less than four times what the
            // reference solution needed for them all.
            var referenceTotal = (calibration.Reference?.Tests.Sum(t => t.CpuTimeMs) ?? 0) / 1000.0;
            var total = idPrefix.Length > 0 ? 0 : Math.Min(Math.Max(context.Options.TimeLimits.TotalSeconds, 4 * referenceTotal), callLimits.Sum());
            var ioKey = new StringBuilder()
                .Append("io-v1\0").Append(python.Fingerprint).Append('\0')
                .Append(program).Append('\0').Append(problem.EntryPoint).Append('\0')
                .AppendJoin('\u0001', io.Inputs).Append('\0')
                .AppendJoin(',', callLimits.Select(l => l.ToString("R", CultureInfo.InvariantCulture))).Append('\0')
                .Append(total.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
                // The verdict depends on the expected outputs, which the canonical solution determines.
                .Append(problem.Prompt).Append(problem.CanonicalSolution).Append('\0')
                .Append(io.Atol.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
                .AppendJoin('\u0001', io.Expected ?? []).Append(io.Expected is null ? "\0reference\0" : "\0given\0")
                .Append(io.Oracle).Append('\0').Append(io.TaggedInputs).Append('\0').Append(io.Method)
                .Append(IoVerdicts.Version)
                // APPS's rule was made exact (any non-empty expected list, top-level tuples only): its verdicts only.
                .Append(io.Oracle == IoOracle.Apps ? "\0apps-rule-2" : "");
            var ioId = idPrefix + Hash(ioKey);
            return new JudgeItem(ioId, program, "", [], problem.EntryPoint, limitSeconds, Calls: io.Inputs, CallLimits: callLimits,
                TotalLimitSeconds: total, TaggedCalls: io.TaggedInputs, Method: io.Method, NotNone: io.Oracle == IoOracle.NotNone,
                LoadLimitSeconds: TimeLimitPolicy.LoadLimitSeconds(limitSeconds));
        }
        var judge = (PythonAssertJudge)problem.Judge;
        var key = new StringBuilder()
            .Append("assert-v1\0").Append(python.Fingerprint).Append('\0')
            .Append(program).Append('\0').Append(judge.Setup).Append('\0')
            .AppendJoin('\u0001', judge.Tests).Append('\0')
            .Append(problem.EntryPoint).Append(judge.RebindEntryPoint ? "\0rebind\0" : "\0")
            .Append(limitSeconds.ToString("R", CultureInfo.InvariantCulture));
        return new JudgeItem(idPrefix + Hash(key), program, judge.Setup, judge.Tests, problem.EntryPoint, limitSeconds, judge.RebindEntryPoint,
            LoadLimitSeconds: TimeLimitPolicy.LoadLimitSeconds(limitSeconds));
    }

    private static string Hash(StringBuilder key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];

    private sealed record PythonWork(JudgeItem Item, Problem Problem) : PlannedWork(Item.Id);
}
