using System.Collections.Concurrent;
using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Evaluation;
using Assay.Evaluation.Pipeline;
using Assay.Execution.Judging;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Server.Judging;

/// <summary>
/// The server's one set of sandboxes and everything judged through them: the runner, the verdict store, and
/// evaluators made to measure for each batch. Judging modes are the evaluator's: whatever it supports, the
/// server supports.
/// </summary>
public sealed class JudgeEngine : IAsyncDisposable
{
    private readonly IVerdictStore _store;
    private readonly Lazy<Toolchain?> _python;
    private readonly JudgingPipeline _prototype;
    private readonly ConcurrentDictionary<string, Lazy<Task<ToolchainResolution?>>> _languages = new(StringComparer.OrdinalIgnoreCase);

    public JudgeEngine(ProgramRunner runner, IVerdictStore store)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(store);
        Runner = runner;
        _store = store;
        _python = new Lazy<Toolchain?>(() => runner.ResolveLanguage("python")?.Toolchain);
        _prototype = new JudgingPipeline(runner, store, new EvaluationOptions());
    }

    public ProgramRunner Runner { get; }

    /// <summary>
    /// Candidates one judging sandbox takes, at most. Verdicts leave a sandbox as the harness reports them (a
    /// finished item does not wait for the others judged beside it); this bounds what a sandbox that dies takes
    /// with it — the items it had not reported are judged again — while a sandbox start (~0.15 s of CPU) is still
    /// shared by up to 16 candidates.
    /// </summary>
    public const int MaxItemsPerSandbox = 16;

    /// <summary>True when the pipeline has a judging mode for this problem's tests.</summary>
    public bool Supports(Problem problem) => _prototype.Supports(problem);

    /// <summary>
    /// A language's toolchain on this host, resolved once (null: no such language). Resolving runs the toolchain's
    /// version command and blocks while it does; it runs on one thread while every other request for the language
    /// awaits it. Requests that blocked instead would each hold a thread-pool thread, and a burst of them (verl's
    /// first hundred `/run_code` requests) starves the pool of the threads the version command's own reads need.
    /// </summary>
    public Task<ToolchainResolution?> ResolveAsync(string language) =>
        _languages.GetOrAdd(language, l => new Lazy<Task<ToolchainResolution?>>(() => Task.Run(() => Runner.ResolveLanguage(l)))).Value;

    /// <summary>
    /// What the first requests would otherwise wait for: Python's toolchain (the harness that judges assert and
    /// function tests). Done while the host starts, before it listens.
    /// </summary>
    public async Task WarmUpAsync()
    {
        await ResolveAsync("python");
        _ = _python.Value;
    }

    /// <summary>
    /// The judging pipeline for one batch of <paramref name="items"/> items with this per-test limit. Python batches
    /// are split evenly over the <paramref name="sandboxes"/> this batch may count on (the others are busy with other
    /// batches): every sandbox start is amortised over as many candidates as possible without leaving a core idle.
    /// Candidates in the Python harness run one at a time in a judging sandbox of <paramref name="memoryLimitKb"/>.
    /// </summary>
    public JudgingPipeline PipelineFor(double timeLimitSeconds, long memoryLimitKb, int items, int sandboxes)
    {
        var options = new EvaluationOptions { TimeLimit = TimeSpan.FromSeconds(timeLimitSeconds), Isolation = JudgeIsolation.Batch };
        if (_python.Value is not { } python) return new JudgingPipeline(Runner, _store, options);
        var share = Math.Clamp(sandboxes, 1, Runner.Concurrency);
        var perSandbox = Math.Clamp((items + share - 1) / share, 1, MaxItemsPerSandbox);
        return new JudgingPipeline(Runner, _store, options, new PythonJudge(Runner, python, perSandbox, memoryLimitKb));
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Runner.Dispose();
    }
}
