using System.Text.Json;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Server.Admission;
using Assay.Server.Judging;
using Assay.Server.Metrics;

namespace Assay.Server.Scoring;

/// <summary>One completion to score, as every reward endpoint hands it over.</summary>
/// <param name="Where">Where it sits in the request (`items[3]`), for error messages.</param>
/// <param name="MemoryLimitMb">Memory of every run of the item's program.</param>
public sealed record RewardItem(string Where, string? Id, string Language, string? Code, string? Completion, string? Prompt, JsonElement Tests,
    ScoringPreset Preset, OutputMatch? Compare, double TimeLimitSeconds, int MemoryLimitMb);

/// <summary>One test's outcome in a result.</summary>
public sealed record TestResult(bool Passed, string Status, string? Error);

/// <summary>
/// An item's reward. <see cref="Score"/> is null exactly when <see cref="InfraError"/> is true: a failure on
/// Assay's side (sandbox, missing toolchain, deadline while queued, shutdown) is never reported as a zero reward.
/// </summary>
public sealed record ItemResult(string? Id, double? Score, int Passed, int Total, string Status, bool InfraError, string? Error,
    IReadOnlyList<TestResult>? Tests);

/// <summary>The items' results, or the gate's refusal (nothing was judged).</summary>
public sealed record RewardBatch(IReadOnlyList<ItemResult>? Results, AdmissionDecision? Refusal);

/// <summary>Turns reward items into problems, admits them, has them judged in batches, and scores the verdicts.</summary>
public sealed class RewardService(JudgeEngine engine, BatchingDispatcher dispatcher, AdmissionGate gate, ServerMetrics metrics, ServeOptions options,
    ILogger<RewardService> logger)
{
    /// <summary>
    /// Scores the items. Throws <see cref="InvalidRequestException"/> for a malformed or unsupported item, or one in a
    /// language without a toolchain here, before anything is judged; returns a refusal when the queue is full.
    /// </summary>
    public async Task<RewardBatch> ScoreAsync(IReadOnlyList<RewardItem> items, DateTimeOffset deadline, bool details, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new ItemResult?[items.Count];
        var work = new List<JudgeWork>();
        var workIndex = new List<int>();
        var totals = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var resolution = await engine.ResolveAsync(item.Language) ?? throw new InvalidRequestException(
                $"{item.Where}.language: unknown language `{item.Language}` (known: {string.Join(", ", engine.Runner.Catalog.Definitions.Select(d => d.Name))})");
            // A language this host has no toolchain for stays so: answered as a per-item infra error it would be
            // retried for ever (OpenRLHF retries every 503), so the request is refused with the reason.
            if (resolution.Toolchain is null)
                throw new InvalidRequestException(
                    $"{item.Where}.language: this server has no toolchain for {resolution.Definition.Name} ({resolution.Problem}); retrying cannot help", 422);
            var memoryKb = item.MemoryLimitMb * 1024L;
            var suite = TestSuite.Parse(item.Tests, resolution.Definition.Name, item.Preset, item.Compare, memoryKb, item.Where + ".tests");
            totals[i] = suite.Total;
            string? program;
            if (item.Code is not null && item.Completion is not null) throw new InvalidRequestException($"{item.Where}: give either code or completion, not both");
            if (item.Code is not null) program = item.Code;
            else if (item.Completion is not null)
                program = CodeExtraction.Extract(CodeExtraction.StripPrompt(item.Completion, item.Prompt), item.Preset.Extraction, resolution.Definition.Language);
            else throw new InvalidRequestException($"{item.Where}: missing completion (model output) or code (a program)");

            var problem = suite.ProblemFor("item", resolution.Definition.Name, program ?? "");
            if (!engine.Supports(problem))
                throw new InvalidRequestException($"{item.Where}.tests: {suite.Kind} tests ({problem.Judge.GetType().Name}) are not supported by this build of Assay", 422);
            if (program is null)
            {
                // The trainer's own rule finds no code: the completion's fault, scored as the trainer scores it.
                results[i] = new ItemResult(item.Id, 0.0, 0, suite.Total, "no_code", false, "no code block found in the completion", null);
                metrics.ItemFinished("no_code");
                continue;
            }
            if (System.Text.Encoding.UTF8.GetByteCount(program) is var bytes && bytes > options.MaxSourceBytes)
            {
                // Not run: the completion's fault, scored as a failure (like no_code), never an infra error.
                results[i] = new ItemResult(item.Id, 0.0, 0, suite.Total, "source_too_large", false,
                    $"the program is {bytes} bytes; this server judges programs of at most {options.MaxSourceBytes} bytes (--max-source-kb)", null);
                metrics.ItemFinished("source_too_large");
                continue;
            }
            work.Add(new JudgeWork(problem, program, item.TimeLimitSeconds, memoryKb));
            workIndex.Add(i);
        }

        if (work.Count > 0)
        {
            var admission = gate.TryAdmit(work.Count);
            if (!admission.Admitted)
            {
                if (admission.Reason == "draining") logger.LogWarning("assay serve: dropped a request ({Items} items): refused while shutting down (503)", work.Count);
                return new RewardBatch(null, admission);
            }
            var outcomes = await Task.WhenAll(dispatcher.Submit(work, deadline, aborted));
            // Shutdown's drain timeout stopped some of this request's items: said in the log, once per request.
            if (outcomes.Count(o => o.FailureStatus == "shutting_down") is var dropped and > 0)
            {
                logger.LogWarning("assay serve: dropped a request: {Dropped} of {Items} items not judged, the server is shutting down (first: {Where}{Id})",
                    dropped, work.Count, items[workIndex[0]].Where, items[workIndex[0]].Id is { } id ? " id " + id : "");
            }
            for (var j = 0; j < work.Count; j++)
            {
                var i = workIndex[j];
                results[i] = Score(items[i], outcomes[j], totals[i], details);
            }
        }
        return new RewardBatch(results.Select(r => r!).ToList(), null);
    }

    private static ItemResult Score(RewardItem item, JudgeOutcome outcome, int total, bool details)
    {
        if (outcome.Verdict is not { } verdict)
            return new ItemResult(item.Id, null, 0, total, outcome.FailureStatus!, true, outcome.FailureMessage, null);
        if (verdict.Status == RunStatus.SandboxError)
            return new ItemResult(item.Id, null, 0, total, "sandbox_error", true, verdict.Error ?? "the sandbox failed", null);
        var tests = details ? verdict.Tests.Select(t => new TestResult(t.Passed, t.Status.ToWireName(), t.Error)).ToList() : null;
        var error = verdict.Status == RunStatus.Ok ? null : verdict.Error;
        var timedOut = verdict.Status == RunStatus.TimeLimit || verdict.Tests.Any(t => t.Status == RunStatus.TimeLimit);
        List<bool> passed;
        if (verdict.TestsPassed is { } counted && verdict.Tests.Count != total)
            // A verdict that gives the count passed and not every test's outcome (the passed ones come first).
            passed = Enumerable.Range(0, total).Select(i => i < counted).ToList();
        else
            passed = verdict.Tests.Select(t => t.Passed).ToList();
        // A program that passed has passed every test, whether or not the mode lists them one by one.
        if (verdict.Status == RunStatus.Ok && passed.Count < total) passed = Enumerable.Repeat(true, total).ToList();
        var count = Math.Min(total, passed.Count(p => p));
        return new ItemResult(item.Id, item.Preset.ScoreOf(passed, total, timedOut), count, total, verdict.Status.ToWireName(), false, error, tests);
    }
}
