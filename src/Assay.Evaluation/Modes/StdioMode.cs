using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Evaluation.Pipeline;
using Assay.Execution.Judging;
using Assay.Execution.Toolchains;

namespace Assay.Evaluation.Modes;

/// <summary>
/// Judging mode 3, stdin/stdout tests (APPS, LiveCodeBench, competitive programming), for programs in any language
/// with a toolchain: the program is compiled once and run per test. What is its own: the key (toolchains, program,
/// tests, comparison rule, checker, limit) and running tests in waves that share the sandboxes with the other
/// programs in flight.
/// </summary>
internal sealed class StdioMode(ModeContext context) : IJudgingMode
{
    private readonly Lazy<StdioTestRunner> _tests = new(() => new StdioTestRunner(context.Runner));
    private int _active;

    public bool Handles(JudgeSpec judge) => judge is StdioJudge;

    public TimedUnit Unit => TimedUnit.Test;

    /// <summary>Measured only when the problem has no limit of its own and the user fixed none.</summary>
    public bool NeedsReference(Problem problem, TimeLimitPolicy policy) => policy.Calibrates(((StdioJudge)problem.Judge).TimeLimitSeconds);

    public double? MeasuredCpuMs(ProgramVerdict reference) => reference.Tests.Count > 0 ? reference.Tests.Max(t => t.CpuTimeMs) : null;

    public IReadOnlyList<double>? PerTestLimits(Problem problem, ProgramVerdict? reference, TimeLimitPolicy policy) => null;

    public Planned Plan(Problem problem, string language, string program, ProblemCalibration limits, bool reference)
    {
        var judge = (StdioJudge)problem.Judge;
        if (Toolchain(language, out var why) is not { } toolchain) return Planned.Refused(why!);
        Toolchain? checker = null;
        if (judge.Checker is { } spec && (checker = Toolchain(spec.Language, out why)) is null) return Planned.Refused("the problem's checker: " + why);
        var stdio = new StdioProgram(toolchain, program, judge, limits.TimeLimitSeconds, checker, RunAllTests: reference || judge.RunAllTests);
        return Planned.Of(new StdioWork(Key(stdio, reference ? "reference:" : ""), stdio));
    }

    /// <summary>
    /// Judges programs, as many at once as there are sandboxes; each runs its tests in waves that share the
    /// sandboxes with the other programs in flight (one test at a time when every sandbox has a program).
    /// </summary>
    public async Task JudgeAsync(IReadOnlyList<PlannedWork> work, Func<PlannedWork, RawOutcome, ValueTask> onOutcome, CancellationToken cancellationToken)
    {
        var concurrency = context.Runner.Concurrency;
        int WaveSize() => Math.Max(1, concurrency / Math.Max(1, Volatile.Read(ref _active)));
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                Interlocked.Increment(ref _active);
                var program = ((StdioWork)entry).Program;
                StdioRuns runs;
                try
                {
                    // Stopping after a failing test needs to know which runs fail: the very rule Decide applies.
                    runs = await _tests.Value.RunAsync(program, (i, run) => StdioVerdicts.Outcome(program.Judge, i, run).Passed, WaveSize, ct);
                }
                finally
                {
                    Interlocked.Decrement(ref _active);
                }
                await onOutcome(entry, new RawRuns(runs));
            });
    }

    /// <summary>Each run's stdout compared with the expected output (or the checker's run read), outside the sandbox.</summary>
    public ProgramVerdict Decide(PlannedWork work, RawOutcome raw, ProblemCalibration limits) => DecideReference(work, raw);

    /// <summary>The reference is judged as any program (its expected outputs are the dataset's); calibration reads its times.</summary>
    public ProgramVerdict DecideReference(PlannedWork work, RawOutcome raw) =>
        StdioVerdicts.Decide(((StdioWork)work).Program.Judge, ((RawRuns)raw).Runs);

    private Toolchain? Toolchain(string language, out string? why)
    {
        var resolved = context.Runner.ResolveLanguage(language);
        why = resolved is null ? $"no toolchain for language {language}" : resolved.Toolchain is null ? $"language {language}: {resolved.Problem}" : null;
        return resolved?.Toolchain;
    }

    /// <summary>Everything that decides a verdict: toolchains, program, tests, rule, checker and limits.</summary>
    private static string Key(StdioProgram program, string prefix)
    {
        var judge = program.Judge;
        var key = new StringBuilder()
            .Append("stdio-v1\0").Append(program.Toolchain.Fingerprint).Append('\0')
            .Append(program.Source).Append('\0')
            .Append(judge.Match).Append('\0').Append(judge.Tolerance.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
            .Append(program.TimeLimitSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
            .Append(program.RunAllTests).Append('\0');
        if (judge.MemoryLimitKb is { } memoryKb) key.Append("memory:").Append(memoryKb).Append('\0');
        if (judge.Checker is { } checker)
            key.Append(program.Checker?.Fingerprint).Append('\0').Append(checker.Source).Append('\0');
        foreach (var test in judge.Tests)
        {
            key.Append(test.Input.Length).Append(':').Append(test.Input).Append(test.ExpectedOutput.Length).Append(':').Append(test.ExpectedOutput);
            foreach (var alternative in test.Alternatives ?? []) key.Append('|').Append(alternative.Length).Append(':').Append(alternative);
            key.Append('\u0001');
        }
        return prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
    }

    private sealed record StdioWork(string Id, StdioProgram Program) : PlannedWork(Id);

    /// <summary>A program's runs (stdout kept) until Decide compares them.</summary>
    private sealed record RawRuns(StdioRuns Runs) : RawOutcome;
}
