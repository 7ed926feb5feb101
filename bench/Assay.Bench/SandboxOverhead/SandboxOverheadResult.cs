using Assay.Bench.Measurement;

namespace Assay.Bench.SandboxOverhead;

/// <summary>Every figure of one `sandbox-overhead` run (serialized as the `--json` output, snake_case).</summary>
internal sealed record SandboxOverheadResult(
    string Benchmark,
    DateTimeOffset TimestampUtc,
    string Command,
    MachineInfo Machine,
    string LoadAverageAfter,
    BenchSettings Settings,
    PythonOverhead Python,
    CppCompileCache Cpp);

/// <param name="Runs">Runs per throughput measurement.</param>
/// <param name="Concurrency">Runs in flight at once in the Python measurements.</param>
/// <param name="WarmupRuns">Untimed runs before each Python measurement (and before the C++ cached runs).</param>
/// <param name="CppCachedRuns">Timed C++ runs on a warm compile cache (a tenth of <paramref name="Runs"/>).</param>
internal sealed record BenchSettings(int Runs, int Concurrency, int WarmupRuns, int CppCachedRuns);

/// <summary>One throughput measurement: how many runs, how long in all, each run's latency, and CPU per run.</summary>
/// <param name="Runs">Timed runs (warm-up runs excluded).</param>
/// <param name="Concurrency">Runs in flight at once.</param>
/// <param name="ElapsedMs">Wall time from the first run's start to the last one's end.</param>
/// <param name="RunsPerSecond">Runs divided by elapsed time.</param>
/// <param name="LatencyMs">Each run's start-to-end time as the caller sees it.</param>
/// <param name="BenchCpuMsPerRun">CPU time of this .NET process per run (Process.Start, or the sandbox client).</param>
/// <param name="ReapedChildCpuMsPerRun">CPU time of the processes this process started and reaped, per run: the
/// bare interpreters (zero for sandboxed runs, whose processes are the supervisors' children).</param>
/// <param name="MachineBusyMsPerRun">CPU time the whole machine spent per run, kernel threads included; it also
/// counts anything else running at the time, so it is only meaningful on an otherwise idle machine.</param>
internal sealed record Throughput(
    int Runs,
    int Concurrency,
    double ElapsedMs,
    double RunsPerSecond,
    LatencySummary LatencyMs,
    double BenchCpuMsPerRun,
    double ReapedChildCpuMsPerRun,
    double MachineBusyMsPerRun)
{
    public static Throughput From(LoopTiming timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        return new(timing.Runs, timing.Concurrency, LatencySummary.Round(timing.ElapsedMs), LatencySummary.Round(timing.RunsPerSecond),
            LatencySummary.Of(timing.LatenciesMs), PerRun(timing.Cpu.SelfMs), PerRun(timing.Cpu.ReapedChildrenMs), PerRun(timing.Cpu.MachineBusyMs));

        double PerRun(double ms) => LatencySummary.Round(ms / timing.Runs);
    }
}

/// <param name="Interpreter">The real binary the python toolchain resolves to.</param>
/// <param name="Version">The interpreter's version line.</param>
/// <param name="Command">The run command, identical for the bare and the sandboxed runs.</param>
/// <param name="Program">The contents of main.py.</param>
/// <param name="Bare">Process.Start of the interpreter from .NET, stdio redirected, no sandbox.</param>
/// <param name="Sandboxed">ProgramRunner.RunPreparedAsync on a prepared program.</param>
/// <param name="SupervisorWallMs">What the supervisor itself timed per sandboxed run: fork of bubblewrap to the
/// last pipe closing, i.e. namespace setup, the interpreter and namespace teardown.</param>
/// <param name="OutsideSupervisorWallMs">Sandboxed latency minus the supervisor's wall time, per run: the per-run
/// cgroup's creation and removal, the pipes and mount fds, the request/response exchange and the .NET side.</param>
/// <param name="SandboxedCpuMs">CPU time of each sandboxed run's cgroup: bubblewrap, the init and the interpreter.</param>
/// <param name="Ratio">Sandboxed runs/s divided by bare runs/s.</param>
/// <param name="TargetRatio">The ratio Assay aims for.</param>
/// <param name="MeetsTarget">Whether <paramref name="Ratio"/> reached <paramref name="TargetRatio"/>.</param>
internal sealed record PythonOverhead(
    string Interpreter,
    string Version,
    IReadOnlyList<string> Command,
    string Program,
    Throughput Bare,
    Throughput Sandboxed,
    LatencySummary SupervisorWallMs,
    LatencySummary OutsideSupervisorWallMs,
    LatencySummary SandboxedCpuMs,
    double Ratio,
    double TargetRatio,
    bool MeetsTarget);

/// <param name="Compiler">The compiler's version line.</param>
/// <param name="CompileCommand">The compile command run in the sandbox.</param>
/// <param name="Program">The program compiled (without its nonce comment line).</param>
/// <param name="CompileMs">The compile step's wall time, as the supervisor measured it (cold compile cache).</param>
/// <param name="CompileCpuMs">The compile step's CPU time (all of the compiler's processes).</param>
/// <param name="FirstRunMs">ProgramRunner.RunAsync end to end on a never-seen source: stage, compile, run.</param>
/// <param name="CachedRunMs">ProgramRunner.RunAsync end to end on the same source again, one at a time.</param>
/// <param name="CachedRuns">How many cached runs were timed.</param>
/// <param name="FirstToCachedRatio">First run divided by the cached runs' median.</param>
/// <param name="DiskCachePrepareMs">PrepareAsync on a fresh runner (as a new process would): served from the on-disk cache.</param>
/// <param name="DiskCacheHit">Whether that PrepareAsync reported a cached compile.</param>
internal sealed record CppCompileCache(
    string Compiler,
    IReadOnlyList<string> CompileCommand,
    string Program,
    double CompileMs,
    double CompileCpuMs,
    double FirstRunMs,
    int CachedRuns,
    LatencySummary CachedRunMs,
    double FirstToCachedRatio,
    double DiskCachePrepareMs,
    bool DiskCacheHit);
