using System.Text;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Execution.Judging;

/// <summary>One program to run on stdin/stdout tests.</summary>
/// <param name="Toolchain">The program's language.</param>
/// <param name="Source">The whole program.</param>
/// <param name="Judge">The tests (and the checker, when the judge's rule is <see cref="OutputMatch.Checker"/>).</param>
/// <param name="TimeLimitSeconds">CPU-time limit of each test run (wall-clock backstop: <see cref="TimeLimitPolicy.WallBackstop"/>).</param>
/// <param name="Checker">The checker's toolchain, when the judge's rule is <see cref="OutputMatch.Checker"/>.</param>
/// <param name="RunAllTests">Run every test even after one failed (default: stop at the first failure).</param>
public sealed record StdioProgram(Toolchain Toolchain, string Source, StdioJudge Judge, double TimeLimitSeconds, Toolchain? Checker = null,
    bool RunAllTests = false);

/// <summary>One test's run: the program's report (its stdout as captured, bounded by the run's output limit), and the
/// checker's report when the problem has a checker and the program's run ended normally.</summary>
public sealed record StdioRun(ProcessReport Program, ProcessReport? Checker = null);

/// <summary>
/// What running a program on its tests gave, before any verdict: the stdio mode's Decide makes the verdict from it.
/// </summary>
/// <param name="Compile">The program's compilation, for compiled languages; when it failed no test ran.</param>
/// <param name="CheckerMissing">The rule asks for a checker but there is none (or no toolchain for it): no test ran.</param>
/// <param name="CheckerCompile">The checker's compilation, when it failed (no test ran).</param>
/// <param name="Runs">Each test's run, by test index; null for the tests that did not run.</param>
public sealed record StdioRuns(ProcessReport? Compile, bool CheckerMissing, ProcessReport? CheckerCompile, IReadOnlyList<StdioRun?> Runs)
{
    /// <summary>True when the tests ran (nothing stopped the program or its checker before them).</summary>
    public bool Ran => Compile is not { Status: not RunStatus.Ok } && !CheckerMissing && CheckerCompile is null;
}

/// <summary>
/// Runs programs on stdin/stdout tests: the program is prepared (compiled) once, then run in a fresh sandbox per test
/// with the test's input on stdin; when the problem has a checker, the checker runs in a sandbox of its own on every
/// run that ended normally. Nothing here compares outputs or decides a verdict: the runs are returned as they are,
/// and the caller's <c>passes</c> (the same rule its verdict uses) says which runs failed, only to stop early.
/// </summary>
public sealed class StdioTestRunner
{
    private readonly IProgramRunner _runner;

    public StdioTestRunner(IProgramRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <summary>
    /// Runs one program's tests in waves of <paramref name="waveSize"/> (asked before each wave, so a caller running
    /// many programs at once can keep every sandbox busy without running tests past a failure needlessly); after a
    /// wave with a run that <paramref name="passes"/> rejects (test index, run) no further wave starts, unless every
    /// test is to run. The runs of all tests that ran are kept.
    /// </summary>
    public async Task<StdioRuns> RunAsync(StdioProgram program, Func<int, StdioRun, bool> passes, Func<int>? waveSize = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(passes);
        var judge = program.Judge;
        var runs = new StdioRun?[judge.Tests.Count];
        var prepared = await _runner.PrepareAsync(program.Toolchain, program.Source, cancellationToken);
        if (!prepared.IsRunnable) return new StdioRuns(prepared.Compile, false, null, runs);
        PreparedProgram? checker = null;
        if (judge.Match == OutputMatch.Checker)
        {
            if (judge.Checker is null || program.Checker is null) return new StdioRuns(prepared.Compile, true, null, runs);
            checker = await _runner.PrepareAsync(program.Checker, judge.Checker.Source, cancellationToken);
            if (!checker.IsRunnable) return new StdioRuns(prepared.Compile, false, checker.Compile, runs);
        }

        var limits = TimeLimitPolicy.Apply(program.Toolchain.RunLimits(ResourceLimits.Default), program.TimeLimitSeconds);
        if (judge.MemoryLimitKb is { } memoryKb) limits = limits with { MemoryKb = memoryKb };
        var next = 0;
        while (next < judge.Tests.Count)
        {
            var size = Math.Max(1, waveSize?.Invoke() ?? _runner.Concurrency);
            var wave = Enumerable.Range(next, Math.Min(size, judge.Tests.Count - next)).ToList();
            next += wave.Count;
            await Task.WhenAll(wave.Select(async i => runs[i] = await RunTestAsync(prepared, checker, judge.Tests[i], limits, cancellationToken)));
            if (!program.RunAllTests && !judge.RunAllTests && wave.Any(i => !passes(i, runs[i]!))) break;
        }
        return new StdioRuns(prepared.Compile, false, null, runs);
    }

    private async Task<StdioRun> RunTestAsync(PreparedProgram prepared, PreparedProgram? checker, StdioTest test, ResourceLimits limits,
        CancellationToken cancellationToken)
    {
        var report = await _runner.RunPreparedAsync(prepared, Encoding.UTF8.GetBytes(test.Input), limits, cancellationToken);
        // A checker only reads the output of a run that ended normally (no rule with a checker judges failed runs).
        if (checker is null || report.Status != RunStatus.Ok) return new StdioRun(report);
        return new StdioRun(report, await CheckAsync(checker, test, report, cancellationToken));
    }

    /// <summary>The checker's run on the files it reads: the test's input, the expected output and the program's output.</summary>
    private Task<ProcessReport> CheckAsync(PreparedProgram checker, StdioTest test, ProcessReport run, CancellationToken cancellationToken)
    {
        var limits = checker.Toolchain.RunLimits(ResourceLimits.Default) with { TmpfsKb = 256 * 1024 };
        IReadOnlyList<(string, byte[])> files =
        [
            ("input.txt", Encoding.UTF8.GetBytes(test.Input)),
            ("expected.txt", Encoding.UTF8.GetBytes(test.ExpectedOutput)),
            ("output.txt", Encoding.UTF8.GetBytes(run.Stdout)),
        ];
        return _runner.RunPreparedAsync(checker, ReadOnlyMemory<byte>.Empty, limits, files, cancellationToken);
    }
}
