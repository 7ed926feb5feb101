using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Execution.Judging;

/// <summary>One program to judge against a test program: the assembled source (see <see cref="TestProgramSource"/>) and its limit.</summary>
/// <param name="Id">Caller's identifier (the verdict's content key).</param>
/// <param name="Toolchain">The language's toolchain.</param>
/// <param name="Source">Candidate + tests + epilogue, as <see cref="TestProgramSource.Assemble"/> built it.</param>
/// <param name="CpuLimitSeconds">CPU-time limit of the run (the compile has the toolchain's own limits).</param>
/// <param name="MemoryLimitKb">Memory limit of the run, when the caller sets one; otherwise the toolchain's.</param>
public sealed record TestProgramItem(string Id, Toolchain Toolchain, string Source, double CpuLimitSeconds, long? MemoryLimitKb = null);

/// <summary>
/// Judges programs whose tests are a program in their own language (HumanEval-X, MultiPL-E, MBXP): compiles the
/// assembled source once per distinct content (the runner's cache), runs it in the sandbox with a fresh nonce
/// on stdin, and passes it only when it exits with status 0 and printed the epilogue's marker with that nonce.
/// </summary>
public sealed class TestProgramJudge(IProgramRunner runner)
{
    private const int MessageLines = 8;
    private const int MessageChars = 1500;

    public IProgramRunner Runner { get; } = runner ?? throw new ArgumentNullException(nameof(runner));

    public async Task<ProgramVerdict> JudgeAsync(TestProgramItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        PreparedProgram prepared;
        try
        {
            prepared = await Runner.PrepareAsync(item.Toolchain, item.Source, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ProgramVerdict { Status = RunStatus.SandboxError, Error = "could not stage the program: " + ex.Message };
        }
        if (prepared.Compile is { Status: not RunStatus.Ok } compile)
        {
            if (compile.Status == RunStatus.SandboxError)
                return new ProgramVerdict { Status = RunStatus.SandboxError, Error = compile.Message ?? "the compiler could not run" };
            var why = compile.Status == RunStatus.TimeLimit
                ? "compilation exceeded its time limit"
                : FirstLines(compile.Stderr.Trim().Length > 0 ? compile.Stderr : compile.Stdout) ?? compile.Message ?? "compilation failed";
            return new ProgramVerdict
            {
                Status = RunStatus.CompileError,
                Error = why,
                Tests = [new TestOutcome(false, RunStatus.CompileError, why, 0)],
                // A compiler that ran out of time on a busy machine may not next time.
                Transient = compile.Status == RunStatus.TimeLimit,
            };
        }

        var limits = TimeLimitPolicy.Apply(item.Toolchain.RunLimits(ResourceLimits.Default), item.CpuLimitSeconds);
        if (item.MemoryLimitKb is { } memoryKb) limits = limits with { MemoryKb = memoryKb };
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var run = await Runner.RunPreparedAsync(prepared, Encoding.UTF8.GetBytes(nonce + "\n"), limits, cancellationToken);
        return Classify(run, nonce, item.Toolchain.Definition.AssertionSignals);
    }

    /// <summary>
    /// The verdict for one finished run, given the nonce it was sent and what a failed test prints in its language
    /// (the toolchain's `assertion_signals`): an abnormal end with one of those in its output is a wrong answer.
    /// </summary>
    public static ProgramVerdict Classify(ProcessReport run, string nonce, IReadOnlyList<string> assertionSignals)
    {
        ArgumentNullException.ThrowIfNull(assertionSignals);
        ArgumentNullException.ThrowIfNull(run);
        var expected = TestProgramSource.Marker + nonce;
        var lines = run.Stdout.Split('\n');
        var completed = lines.Any(l => l.TrimEnd('\r') == expected);
        // What the program itself printed, without the marker line.
        var stdout = string.Join('\n', lines.Where(l => l.TrimEnd('\r') != expected));
        RunStatus status;
        string? error;
        switch (run.Status)
        {
            case RunStatus.Ok when completed:
                status = RunStatus.Ok;
                error = null;
                break;
            case RunStatus.Ok:
                status = RunStatus.RuntimeError;
                error = "the program exited with status 0 before its tests finished (the judge's end-of-tests marker was not printed)";
                break;
            case RunStatus.RuntimeError:
                var output = FirstLines(run.Stderr) ?? LastLines(stdout);
                status = assertionSignals.Any(s => run.Stderr.Contains(s, StringComparison.Ordinal) || stdout.Contains(s, StringComparison.Ordinal))
                    ? RunStatus.WrongAnswer
                    : RunStatus.RuntimeError;
                var how = run.Signal is { } signal ? $"killed by signal {signal}" : $"exit status {run.ExitCode}";
                error = output is null ? how : how + ": " + output;
                break;
            default:
                status = run.Status;
                error = run.Message ?? run.Status.ToWireName();
                if (run.Status == RunStatus.SandboxError) break;
                if (FirstLines(run.Stderr) is { } stderr) error += ": " + stderr;
                break;
        }
        return new ProgramVerdict
        {
            Status = status,
            Error = error,
            CpuTimeMs = run.CpuTimeMs,
            WallTimeMs = run.WallTimeMs,
            PeakMemoryKb = run.PeakMemoryKb,
            Tests = [new TestOutcome(status == RunStatus.Ok, status, error, run.CpuTimeMs)],
            Isolated = true,
        };
    }

    private static string? FirstLines(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).Take(MessageLines).ToList();
        return lines.Count == 0 ? null : Clip(string.Join('\n', lines));
    }

    private static string? LastLines(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        return lines.Count == 0 ? null : Clip(string.Join('\n', lines.TakeLast(MessageLines)));
    }

    private static string Clip(string text) => text.Length <= MessageChars ? text : text[..MessageChars] + "...";
}
