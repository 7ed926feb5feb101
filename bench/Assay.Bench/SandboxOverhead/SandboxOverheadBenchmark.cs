using System.Diagnostics;
using Assay.Bench.Measurement;
using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Execution.Sandboxing;
using Assay.Execution.Toolchains;

namespace Assay.Bench.SandboxOverhead;

/// <summary>
/// What Assay's sandbox costs per run. Python: the same trivial program started bare with Process.Start and
/// through the sandbox, with the same number in flight. C++: a compile-cache miss (compile + run) against hits.
/// </summary>
internal static class SandboxOverheadBenchmark
{
    public const double TargetRatio = 0.5;

    private const string PythonProgram = "print(\"ok\")\n";
    private const string ExpectedOutput = "ok\n";

    private static readonly ReadOnlyMemory<byte> NoStdin = ReadOnlyMemory<byte>.Empty;

    public static async Task<SandboxOverheadResult> RunAsync(int runs, int concurrency, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var started = DateTimeOffset.UtcNow;
        var (runner, problem) = ProgramRunner.Create(concurrency: concurrency);
        if (runner is null) throw new BenchmarkException(problem ?? "the sandbox is unavailable");
        using (runner)
        {
            var host = SandboxHost.Probe().Host ?? throw new BenchmarkException("the sandbox is unavailable");
            var machine = MachineInfo.Read(host.BubblewrapPath, host.DropsPrivileges);
            var python = Resolve(runner, "python");
            var cpp = Resolve(runner, "cpp");
            var warmup = Math.Max(10, 2 * concurrency);
            var cachedRuns = Math.Max(1, runs / 10);

            var pythonResult = await MeasurePythonAsync(runner, python, runs, concurrency, warmup, progress, cancellationToken);
            var cppResult = await MeasureCppAsync(runner, cpp, cachedRuns, warmup, progress, cancellationToken);
            return new SandboxOverheadResult(
                "sandbox-overhead",
                started,
                $"dotnet run -c Release --project bench/Assay.Bench -- sandbox-overhead --runs {runs} --concurrency {concurrency}",
                machine,
                MachineInfo.ReadLoadAverage(),
                new BenchSettings(runs, concurrency, warmup, cachedRuns),
                pythonResult,
                cppResult);
        }
    }

    private static Toolchain Resolve(ProgramRunner runner, string language)
    {
        var resolution = runner.ResolveLanguage(language) ?? throw new BenchmarkException($"no toolchain file for {language}");
        return resolution.Toolchain ?? throw new BenchmarkException(resolution.Problem ?? $"{language} is unavailable");
    }

    private static async Task<PythonOverhead> MeasurePythonAsync(ProgramRunner runner, Toolchain python, int runs, int concurrency,
        int warmup, TextWriter progress, CancellationToken cancellationToken)
    {
        // Bare: the toolchain's own command, in a directory holding the same main.py, with the sandbox's environment.
        var scratch = Directory.CreateTempSubdirectory("assay-bench-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(scratch.FullName, python.Definition.SourceFile), PythonProgram, cancellationToken);
            var environment = new Dictionary<string, string>
            {
                ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
                ["HOME"] = "/tmp",
                ["TMPDIR"] = "/tmp",
                ["LANG"] = "C.UTF-8",
            };
            foreach (var (key, value) in python.Environment) environment[key] = value;
            Task Bare(int _) => RunBareAsync(python.RunCommand, scratch.FullName, environment, cancellationToken);

            await progress.WriteLineAsync($"python bare: {warmup} warm-up runs, then {runs} runs, {concurrency} at a time");
            await TimedLoop.RunAsync(warmup, concurrency, Bare);
            var bare = await TimedLoop.RunAsync(runs, concurrency, Bare);

            // Sandboxed: prepared once, then run through the supervisors exactly as Assay runs candidates.
            var prepared = await runner.PrepareAsync(python, PythonProgram, cancellationToken);
            var limits = python.RunLimits(ResourceLimits.Default);
            var supervisorWall = new double[runs];
            var cpu = new double[runs];
            async Task Sandboxed(int index, bool record)
            {
                var report = await runner.RunPreparedAsync(prepared, NoStdin, limits, cancellationToken);
                Check(report, "sandboxed python");
                if (!record) return;
                supervisorWall[index] = report.WallTimeMs;
                cpu[index] = report.CpuTimeMs;
            }

            await progress.WriteLineAsync($"python sandboxed: {warmup} warm-up runs, then {runs} runs, {concurrency} at a time");
            await TimedLoop.RunAsync(warmup, concurrency, i => Sandboxed(i, record: false));
            var sandboxed = await TimedLoop.RunAsync(runs, concurrency, i => Sandboxed(i, record: true));

            var ratio = sandboxed.RunsPerSecond / bare.RunsPerSecond;
            return new PythonOverhead(
                python.RunCommand[0],
                python.Version,
                python.RunCommand,
                PythonProgram.TrimEnd(),
                Throughput.From(bare),
                Throughput.From(sandboxed),
                LatencySummary.Of(supervisorWall),
                LatencySummary.Of(sandboxed.LatenciesMs.Select((latency, i) => latency - supervisorWall[i]).ToArray()),
                LatencySummary.Of(cpu),
                Math.Round(ratio, 3),
                TargetRatio,
                ratio >= TargetRatio);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static async Task RunBareAsync(IReadOnlyList<string> command, string workDir, Dictionary<string, string> environment,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1)) psi.ArgumentList.Add(arg);
        psi.Environment.Clear();
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        using var process = Process.Start(psi) ?? throw new BenchmarkException("could not start " + command[0]);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0 || output != ExpectedOutput)
            throw new BenchmarkException($"bare python: exit code {process.ExitCode}, stdout {output.Trim()}, stderr {errors.Trim()}");
    }

    private static async Task<CppCompileCache> MeasureCppAsync(ProgramRunner runner, Toolchain cpp, int cachedRuns, int warmup,
        TextWriter progress, CancellationToken cancellationToken)
    {
        var limits = cpp.RunLimits(ResourceLimits.Default);
        var made = new List<PreparedProgram>();
        try
        {
            // Warm-up: one unrelated cold compile, so the measured one finds the compiler in the page cache as a
            // busy server would; only the compile cache is cold for the measured first run.
            await progress.WriteLineAsync("cpp: warm-up compile, then a first run on a never-seen source");
            var warmupSource = CppProgram();
            var warmupRun = await runner.RunAsync(cpp, warmupSource, NoStdin, limits, cancellationToken);
            Check(warmupRun, "cpp warm-up");
            made.Add(await runner.PrepareAsync(cpp, warmupSource, cancellationToken));

            var source = CppProgram();
            var start = Stopwatch.GetTimestamp();
            var first = await runner.RunAsync(cpp, source, NoStdin, limits, cancellationToken);
            var firstRunMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Check(first, "cpp first run");
            var compile = first.Compile ?? throw new BenchmarkException("cpp first run: no compile step was reported");
            if (compile.Cached) throw new BenchmarkException("cpp first run: the compile cache was not cold");
            made.Add(await runner.PrepareAsync(cpp, source, cancellationToken));

            await progress.WriteLineAsync($"cpp: {warmup} warm-up cached runs, then {cachedRuns} cached runs, one at a time");
            Task Cached(int _) => RunCachedAsync(runner, cpp, source, compile, limits, cancellationToken);
            await TimedLoop.RunAsync(warmup, 1, Cached);
            var cached = await TimedLoop.RunAsync(cachedRuns, 1, Cached);
            var cachedSummary = LatencySummary.Of(cached.LatenciesMs);

            // A new runner has no in-memory cache: PrepareAsync must find the compiled program on disk.
            var (fresh, problem) = ProgramRunner.Create(concurrency: 1);
            if (fresh is null) throw new BenchmarkException(problem ?? "the sandbox is unavailable");
            double diskPrepareMs;
            bool diskHit;
            using (fresh)
            {
                var freshCpp = Resolve(fresh, "cpp");
                var t0 = Stopwatch.GetTimestamp();
                var fromDisk = await fresh.PrepareAsync(freshCpp, source, cancellationToken);
                diskPrepareMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                diskHit = fromDisk.Compile is { Cached: true };
            }

            return new CppCompileCache(
                cpp.Version,
                cpp.CompileCommand ?? [],
                source.Split('\n', 2)[1].Trim(),
                compile.WallTimeMs,
                compile.CpuTimeMs,
                LatencySummary.Round(firstRunMs),
                cachedRuns,
                cachedSummary,
                Math.Round(firstRunMs / cachedSummary.P50, 2),
                LatencySummary.Round(diskPrepareMs),
                diskHit);
        }
        finally
        {
            // The nonce sources never recur: remove their compiled programs rather than grow the cache each run.
            foreach (var program in made) RemoveFromCache(program);
        }
    }

    private static async Task RunCachedAsync(ProgramRunner runner, Toolchain cpp, string source, ProcessReport firstCompile,
        ResourceLimits limits, CancellationToken cancellationToken)
    {
        var report = await runner.RunAsync(cpp, source, NoStdin, limits, cancellationToken);
        Check(report, "cpp cached run");
        if (!ReferenceEquals(report.Compile, firstCompile) && report.Compile is not { Cached: true })
            throw new BenchmarkException("cpp cached run: the program was compiled again");
    }

    /// <summary>A trivial C++ program made unique by a nonce comment, so its compile-cache key is new.</summary>
    private static string CppProgram() =>
        $"// assay-bench nonce {Guid.NewGuid():N}\n#include <cstdio>\nint main() {{ std::puts(\"ok\"); return 0; }}\n";

    private static void Check(RunReport report, string what)
    {
        if (report.Compile is { Status: not RunStatus.Ok } compile)
            throw new BenchmarkException($"{what}: compile {compile}\n{compile.Stderr}");
        Check(report.Run, what);
    }

    private static void Check(ProcessReport report, string what)
    {
        if (report.Status != RunStatus.Ok || report.Stdout != ExpectedOutput)
            throw new BenchmarkException($"{what}: {report} stdout {report.Stdout.Trim()} stderr {report.Stderr.Trim()}");
    }

    private static void RemoveFromCache(PreparedProgram program)
    {
        try
        {
            if (Directory.Exists(program.Directory)) Directory.Delete(program.Directory, recursive: true);
            File.Delete(program.Directory + ".compile.json");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover cache entry wastes a little disk and breaks nothing.
        }
    }
}
