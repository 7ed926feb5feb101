using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Evaluation.Modes;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation.Pipeline;

/// <summary>One program to judge against one problem's tests.</summary>
/// <param name="Language">The program's language (any alias); null: the problem's own.</param>
public sealed record JudgeRequest(Problem Problem, string Program, string? Language = null);

/// <summary>A request's verdict, and whether it came from the store.</summary>
public sealed record JudgedProgram(JudgeRequest Request, ProgramVerdict Verdict, bool FromStore);

/// <summary>Every request's verdict (in request order), each problem's limits, and how much was judged.</summary>
public sealed record PipelineResult(IReadOnlyList<JudgedProgram> Programs, IReadOnlyList<ProblemCalibration> Calibrations, int DistinctPrograms, int JudgedNow);

/// <summary>
/// The one judging path of every verb — eval, rank, serve — inputs → plan → sandbox → verdicts: each problem's
/// limits come from <see cref="TimeLimitPolicy"/> (its reference solution measured when the policy calibrates);
/// each request becomes planned work with a content key; equal keys are judged once; stored verdicts are reused;
/// only storable verdicts are stored. A judging mode adds only what is its own (<see cref="IJudgingMode"/>).
/// </summary>
public sealed class JudgingPipeline
{
    private readonly IVerdictStore _store;
    private readonly IProgramRunner _runner;
    private readonly EvaluationOptions _options;
    private readonly IReadOnlyList<IJudgingMode> _modes;

    /// <param name="python">The Python harness judge to use (its batch size); by default one on this runner, made on first use.</param>
    public JudgingPipeline(IProgramRunner runner, IVerdictStore store, EvaluationOptions options, PythonJudge? python = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem) throw new ArgumentException(problem, nameof(options));
        _store = store;
        _runner = runner;
        _options = options;
        var context = new ModeContext(runner, options, python is null ? () => DefaultPythonJudge(runner) : () => python);
        _modes = [new PythonMode(context), new StdioMode(context), new ProgramTestMode(context)];
    }

    /// <summary>True when some judging mode handles this problem's tests.</summary>
    public bool Supports(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return _modes.Any(m => m.Handles(problem.Judge));
    }

    public Task<PipelineResult> JudgeAsync(IReadOnlyList<JudgeRequest> requests, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default) => JudgeAsync(requests, progress, null, cancellationToken);

    /// <summary>
    /// As above; <paramref name="onJudged"/> is also told of each request (by its index) as soon as its verdict is
    /// known, from several threads, so that a caller (the server) can answer it before the rest are judged.
    /// </summary>
    public async Task<PipelineResult> JudgeAsync(IReadOnlyList<JudgeRequest> requests, IProgress<EvaluationProgress>? progress,
        Action<int, JudgedProgram>? onJudged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var modeOf = new IJudgingMode[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var judge = requests[i].Problem.Judge;
            modeOf[i] = _modes.FirstOrDefault(m => m.Handles(judge))
                ?? throw new NotSupportedException($"{requests[i].Problem.TaskId}: judging mode {judge.GetType().Name} is not supported");
        }
        var tally = new Tally(requests.Count, progress);
        var multipliers = new TimeMultipliers(_runner);
        var results = new JudgedProgram[requests.Count];
        var calibrations = new List<ProblemCalibration>();
        int distinct = 0, judgedNow = 0;
        // Modes run one after another, each with all of the runner's sandboxes.
        foreach (var mode in _modes)
        {
            var indices = Enumerable.Range(0, requests.Count).Where(i => modeOf[i] == mode).ToList();
            if (indices.Count == 0) continue;
            var limits = await CalibrateAsync(mode, indices.Select(i => requests[i].Problem), cancellationToken);
            calibrations.AddRange(limits.Values.Select(l => l.Calibration));

            var planned = new Planned[indices.Count];
            var limitsOfKey = new Dictionary<string, ProblemCalibration>(StringComparer.Ordinal);
            var requestsOfKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var j = 0; j < indices.Count; j++)
            {
                var request = requests[indices[j]];
                var language = request.Language ?? request.Problem.Language;
                var problemLimits = limits[request.Problem].For(mode.Unit, _options.TimeLimits, multipliers.Of(language));
                planned[j] = mode.Plan(request.Problem, language, request.Program, problemLimits, reference: false);
                if (planned[j].Work is not { } work)
                {
                    tally.Judged(1);
                    onJudged?.Invoke(indices[j], new JudgedProgram(request, planned[j].Unrunnable!, false));
                    continue;
                }
                limitsOfKey.TryAdd(work.Key, problemLimits);
                if (!requestsOfKey.TryGetValue(work.Key, out var same)) requestsOfKey[work.Key] = same = [];
                same.Add(indices[j]);
            }
            tally.Start();
            var flow = await VerdictFlow.RunAsync<RawOutcome>(_store, planned.Where(p => p.Work is not null).Select(p => p.Work!).ToList(), mode.JudgeAsync,
                (work, raw) => mode.Decide(work, raw, limitsOfKey[work.Key]),
                (key, verdict, fromStore) =>
                {
                    tally.Add(requestsOfKey[key].Count, fromStore);
                    if (onJudged is null) return;
                    foreach (var i in requestsOfKey[key]) onJudged(i, new JudgedProgram(requests[i], verdict, fromStore));
                }, cancellationToken);
            for (var j = 0; j < indices.Count; j++)
            {
                var request = requests[indices[j]];
                results[indices[j]] = planned[j].Work is { } work
                    ? new JudgedProgram(request, flow.Verdicts[work.Key], flow.FromStore.Contains(work.Key))
                    : new JudgedProgram(request, planned[j].Unrunnable!, false);
            }
            distinct += flow.Distinct;
            judgedNow += flow.JudgedNow;
        }
        return new PipelineResult(results, calibrations, distinct, judgedNow);
    }

    /// <summary>
    /// Each problem's limits: the reference solution is measured (generous limit, every test) where the mode needs it
    /// and the policy calibrates; measurements go through the same flow and store as verdicts, so a re-run uses the
    /// very same limits.
    /// </summary>
    private async Task<Dictionary<Problem, ProblemLimits>> CalibrateAsync(IJudgingMode mode, IEnumerable<Problem> used,
        CancellationToken cancellationToken)
    {
        var policy = _options.TimeLimits;
        var problems = used.Distinct(ReferenceEqualityComparer.Instance).Cast<Problem>().ToList();
        var generous = new ProblemCalibration("", policy.CalibrationSeconds, null);
        var references = new Dictionary<Problem, PlannedWork>(ReferenceEqualityComparer.Instance);
        foreach (var problem in problems)
        {
            if (problem.CanonicalSolution is null || !mode.NeedsReference(problem, policy)) continue;
            var planned = mode.Plan(problem, problem.Language, problem.Prompt + problem.CanonicalSolution, generous, reference: true);
            if (planned.Work is { } work) references[problem] = work;
        }
        var measured = await VerdictFlow.RunAsync<RawOutcome>(_store, references.Values.ToList(), mode.JudgeAsync, mode.DecideReference, null, cancellationToken);

        var result = new Dictionary<Problem, ProblemLimits>(ReferenceEqualityComparer.Instance);
        foreach (var problem in problems)
        {
            var reference = references.TryGetValue(problem, out var work) ? measured.Verdicts[work.Key] : null;
            var own = (problem.Judge as StdioJudge)?.TimeLimitSeconds;
            var cpu = reference is { Passed: true } ? mode.MeasuredCpuMs(reference) : null;
            var harnessFloor = (problem.Judge as IoFunctionJudge)?.HarnessFloorSeconds;
            var limit = policy.LimitFor(mode.Unit, own, cpu, harnessFloorSeconds: harnessFloor);
            result[problem] = new ProblemLimits(new ProblemCalibration(problem.TaskId, limit, reference, mode.PerTestLimits(problem, reference, policy.ForHarness(harnessFloor))),
                own, cpu, harnessFloor);
        }
        return result;
    }

    private static PythonJudge DefaultPythonJudge(IProgramRunner runner)
    {
        var python = runner.ResolveLanguage("python");
        if (python?.Toolchain is not { } toolchain)
            throw new InvalidOperationException("Python problems need the python toolchain: " + (python?.Problem ?? "no python toolchain file"));
        return new PythonJudge(runner, toolchain);
    }

    /// <summary>
    /// A problem's calibration with what it was made from, so that a candidate language's time multiplier can be
    /// applied by the policy's own rule (to the problem's own or the default limit, never to a measured one).
    /// </summary>
    private sealed record ProblemLimits(ProblemCalibration Calibration, double? OwnSeconds, double? ReferenceCpuMs, double? HarnessFloorSeconds)
    {
        public ProblemCalibration For(TimedUnit unit, TimeLimitPolicy policy, double multiplier) =>
            multiplier == 1.0 ? Calibration : Calibration with { TimeLimitSeconds = policy.LimitFor(unit, OwnSeconds, ReferenceCpuMs, multiplier, HarnessFloorSeconds) };
    }

    /// <summary>Each language's time multiplier (from its toolchain file; no host probe), looked up once per run.</summary>
    private sealed class TimeMultipliers(IProgramRunner runner)
    {
        private readonly Dictionary<string, double> _of = new(StringComparer.Ordinal);

        public double Of(string language)
        {
            if (!_of.TryGetValue(language, out var multiplier))
                _of[language] = multiplier = runner.Catalog.Find(language)?.Language.TimeMultiplier ?? 1.0;
            return multiplier;
        }
    }

    /// <summary>Requests with a verdict so far, for one progress report across all modes.</summary>
    private sealed class Tally(int total, IProgress<EvaluationProgress>? progress)
    {
        private int _done;
        private int _fromStore;

        public void Add(int requests, bool fromStore)
        {
            if (fromStore) Interlocked.Add(ref _fromStore, requests);
            Report(Interlocked.Add(ref _done, requests));
        }

        public void Judged(int requests) => Interlocked.Add(ref _done, requests);

        public void Start() => Report(Volatile.Read(ref _done));

        private void Report(int done) => progress?.Report(new EvaluationProgress(done, total, Volatile.Read(ref _fromStore)));
    }
}

/// <summary>What every mode may use: the sandboxes, the options, and the Python judge when one is needed.</summary>
internal sealed class ModeContext(IProgramRunner runner, EvaluationOptions options, Func<PythonJudge> python)
{
    private readonly Lazy<PythonJudge> _python = new(python);

    public IProgramRunner Runner { get; } = runner;

    public EvaluationOptions Options { get; } = options;

    /// <summary>The Python harness judge, created on first use (a run without Python problems needs no Python).</summary>
    public PythonJudge Python => _python.Value;
}
