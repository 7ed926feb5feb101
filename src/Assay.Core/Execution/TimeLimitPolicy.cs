namespace Assay.Core.Execution;

/// <summary>What a time limit applies to, which decides the limit a problem gets when nothing measured it.</summary>
public enum TimedUnit
{
    /// <summary>One test: one stdin/stdout run, one function call, one assertion.</summary>
    Test,

    /// <summary>A whole test program (HumanEval-X, MultiPL-E, MBXP): every test in one process.</summary>
    TestProgram,
}

/// <summary>
/// The one rule for CPU-time limits and their wall-clock backstops, used by every verb and endpoint. A limit is,
/// in order: the user's fixed limit (`--time-limit`); the problem's own limit (datasets that give one, scaled by the
/// candidate language's multiplier); max(floor, factor × the reference solution's measured CPU time) when a
/// reference passed; otherwise the uncalibrated default for what is timed. CPU time is the limit that counts —
/// it does not flake on a busy machine — and the wall-clock limit is only a backstop for programs that sleep or
/// block, generous enough that a starved but honest program is never stopped by it.
/// </summary>
public sealed record TimeLimitPolicy
{
    /// <summary>
    /// Assay's own smallest calibrated limit, for problems whose reference harness sets none (CodeT's and HumanEval's
    /// harnesses time a whole program, 3 s of wall time). 50 ms, chosen by measurement (docs/BENCHMARKS.md, "The
    /// time-limit floor"): on CodeT's 16,400 HumanEval samples the slowest test of any program that passes with 3 s
    /// takes 13.7 ms of CPU, and no floor from 20 ms up flips a verdict there or on MBXP's Python; every program that
    /// loops for ever costs the floor, so 0.5 s made those programs over half of a CodeT run.
    /// </summary>
    public const double DefaultFloorSeconds = 0.05;

    /// <summary>
    /// The user's floor (`--time-limit-floor`), which wins over every other; null to take the problem's harness
    /// floor (EvalPlus: 4 s) or else <see cref="DefaultFloorSeconds"/>.
    /// </summary>
    public double? FloorSeconds { get; init; }

    /// <summary>The floor a problem gets: the user's, else its reference harness's, else Assay's own.</summary>
    public double FloorFor(double? harnessFloorSeconds) => FloorSeconds ?? harnessFloorSeconds ?? DefaultFloorSeconds;

    /// <summary>This rule for a problem whose tests reproduce a harness with that floor (null: none): its floor fixed.</summary>
    public TimeLimitPolicy ForHarness(double? harnessFloorSeconds) => this with { FloorSeconds = FloorFor(harnessFloorSeconds) };

    /// <summary>Calibrated limit = max(floor, factor × the reference's slowest test), EvalPlus-style.</summary>
    public double Factor { get; init; } = 10.0;

    /// <summary>A fixed limit instead of calibration (the user's `--time-limit`, a request's `time_limit`).</summary>
    public double? FixedSeconds { get; init; }

    /// <summary>The limit reference solutions get while they are measured.</summary>
    public double CalibrationSeconds { get; init; } = 20.0;

    /// <summary>
    /// Per-test limit when there is no limit of the problem's own and no passing reference to calibrate from:
    /// 2 s, the usual competitive-programming limit (a Python HumanEval test needs milliseconds).
    /// </summary>
    public double UncalibratedTestSeconds { get; init; } = 2.0;

    /// <summary>
    /// Limit of a whole test program without a passing reference: generous, because a JVM or .NET start alone costs a
    /// few hundred milliseconds of CPU, yet small enough that a few infinite loops do not dominate a run.
    /// </summary>
    public double UncalibratedProgramSeconds { get; init; } = 5.0;

    /// <summary>CPU budget for all of one program's function-call tests together (EvalPlus: 60 s).</summary>
    public double TotalSeconds { get; init; } = 60.0;

    public static TimeLimitPolicy Default { get; } = new();

    /// <summary>
    /// The wall-clock backstop for a CPU-time limit: 3 × the limit + 1 s. CPU time can fall behind wall time by a
    /// factor of the machine's load; a tighter backstop turns a busy machine into false time-outs.
    /// </summary>
    public static TimeSpan WallBackstop(TimeSpan cpuLimit) => cpuLimit * 3 + TimeSpan.FromSeconds(1);

    /// <summary>
    /// CPU-time limit for defining a candidate (its imports and top-level code) before its tests run, at least 1 s:
    /// classic harnesses run the program inside a whole-program budget (HumanEval's 3 s, CodeT's 0.1 s per test +
    /// 0.1 s), not within one test's limit, and `import numpy` alone takes ~80 ms. Within a 50 ms test limit a
    /// program that imports numpy timed out in a fresh worker and not in one where an earlier candidate had
    /// imported it: its verdict depended on its neighbours.
    /// </summary>
    public static double LoadLimitSeconds(double testLimitSeconds) => Math.Max(1.0, testLimitSeconds);

    /// <summary>CPU limit and its wall backstop, as resource limits.</summary>
    public static ResourceLimits Apply(ResourceLimits limits, double cpuSeconds)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var cpu = TimeSpan.FromSeconds(cpuSeconds);
        return limits with { CpuTime = cpu, WallTime = WallBackstop(cpu) };
    }

    /// <summary>True when a problem's limit comes from measuring its reference solution (nothing fixes it otherwise).</summary>
    public bool Calibrates(double? problemLimitSeconds) => FixedSeconds is null && problemLimitSeconds is null;

    /// <summary>
    /// max(floor, factor × measured), rounded up so that noise rarely changes it (the limit is part of a verdict's key):
    /// to a tenth of a second from 0.1 s up, as it always was, and to a hundredth below, where a tenth would be a floor
    /// of its own.
    /// </summary>
    public double Calibrated(double measuredCpuMs, double? harnessFloorSeconds = null)
    {
        var scaled = Factor * measuredCpuMs / 1000.0;
        var rounded = scaled > 0.1 ? Math.Ceiling(Factor * measuredCpuMs / 100.0) / 10.0 : Math.Ceiling(Factor * measuredCpuMs / 10.0) / 100.0;
        return Math.Max(FloorFor(harnessFloorSeconds), rounded);
    }

    /// <summary>
    /// The limit for a problem. <paramref name="referenceCpuMs"/> is the passing reference's slowest test (or whole
    /// run, for a test program), null when there is none; <paramref name="multiplier"/> is the candidate language's
    /// (a limit given for C++ is too tight for the JVM) and applies to the problem's own and default limits only:
    /// a calibrated limit was measured, not assumed. <paramref name="harnessFloorSeconds"/> is the smallest limit of
    /// the harness whose verdicts the problem's tests reproduce, when it has one.
    /// </summary>
    public double LimitFor(TimedUnit unit, double? problemLimitSeconds, double? referenceCpuMs, double multiplier = 1.0,
        double? harnessFloorSeconds = null)
    {
        if (FixedSeconds is { } fixedLimit) return fixedLimit;
        if (problemLimitSeconds is { } own) return own * multiplier;
        if (referenceCpuMs is { } measured) return Calibrated(measured, harnessFloorSeconds);
        return Math.Max(FloorFor(harnessFloorSeconds), unit == TimedUnit.TestProgram ? UncalibratedProgramSeconds : UncalibratedTestSeconds) * multiplier;
    }

    /// <summary>Checks the values; returns a message naming the first bad one, or null.</summary>
    public string? Validate()
    {
        static bool Positive(double v) => double.IsFinite(v) && v > 0;
        if (FloorSeconds is { } floor && (!Positive(floor) || floor > 600)) return "the time-limit floor must be a number of seconds in (0, 600]";
        if (!Positive(Factor) || Factor > 1000) return "the time-limit factor must be in (0, 1000]";
        if (FixedSeconds is { } f && (!Positive(f) || f > 600)) return "the time limit must be a number of seconds in (0, 600]";
        if (!Positive(CalibrationSeconds) || CalibrationSeconds > 3600) return "the calibration limit must be in (0, 3600] seconds";
        if (!Positive(UncalibratedTestSeconds) || !Positive(UncalibratedProgramSeconds)) return "default time limits must be positive";
        if (!Positive(TotalSeconds)) return "the total time limit must be positive";
        return null;
    }
}
