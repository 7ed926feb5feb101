using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Assay.Bench.Measurement;
using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Core.Ranking;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;
using Assay.Evaluation.Matrix;
using Assay.Execution.Judging;
using Assay.Execution.Running;
using Assay.Execution.Sandboxing;

namespace Assay.Bench.MatrixThroughput;

internal sealed record MatrixThroughputOptions(string? Problems, string? Samples, string? Tests, int? Limit, bool SkipBaseline, double TimeLimitSeconds,
    int MaxTimeouts, int Concurrency, bool KeepFiles);

/// <summary>Assay's side: the whole pass/fail matrix built cold (no store) with the batch judge.</summary>
internal sealed record MatrixAssayRun(int Candidates, long Cells, double WallSeconds, double SandboxCpuSeconds, double ProcessCpuSeconds, double PrepareSeconds,
    IReadOnlyDictionary<string, long> Outcomes);

/// <summary>How many cells both sides filled alike (pass vs not pass, and the exact outcome).</summary>
/// <param name="Differences">Cells that differ on pass, by "assay/classic" outcome letters (p, f, e, t, n = not run).</param>
internal sealed record MatrixAgreement(long Compared, long SamePassed, long SameOutcome, long DifferentPassed, IReadOnlyDictionary<string, long> Differences,
    IReadOnlyList<string> Examples);

internal sealed record MatrixThroughputResult(string Benchmark, DateTimeOffset Started, string Command, string Commit, MachineInfo Machine,
    string LoadAverageBefore, string LoadAverageAfter, MatrixThroughputOptions Settings, int Problems, int Samples, int DistinctCandidates, long MatrixCells,
    MatrixAssayRun Assay, MatrixBaselineRun? Baseline, double? SpeedUp, double? CpuSpeedUp, double TargetSpeedUp, bool? MeetsTarget, MatrixAgreement? Agreement, string? WorkDirectory)
{
    /// <summary>What process creation costs on this machine, measured in the same run (a ratio depends on it).</summary>
    public ProcessCosts? ProcessCosts { get; init; }
}

/// <summary>
/// Times building the execution matrix of CodeT's HumanEval data (16,400 samples × their problem's generated
/// tests): Assay's batch judge against the classic model (a forked process per candidate running the packed
/// tests, bench/baselines/classic_matrix.py) in the same run, on the very same rows and columns, and compares
/// the two matrices cell by cell.
/// </summary>
internal static class MatrixThroughputBenchmark
{
    public const double TargetSpeedUp = 20.0;
    private const string DefaultProblems = "codet/HumanEval_for_code_generation.jsonl";
    private const string DefaultSamples = "samples/codet/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl";
    private const string DefaultTests = "samples/codet/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_test_case.jsonl";

    public static async Task<MatrixThroughputResult> RunAsync(MatrixThroughputOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.ReadLoadAverage();
        var root = RepositoryRoot();
        var data = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
        var problemsPath = Path.GetFullPath(options.Problems ?? Path.Combine(data, DefaultProblems));
        var samplesPath = Path.GetFullPath(options.Samples ?? Path.Combine(data, DefaultSamples));
        var testsPath = Path.GetFullPath(options.Tests ?? Path.Combine(data, DefaultTests));
        var script = Path.Combine(root, "bench", "baselines", "classic_matrix.py");
        foreach (var file in new[] { problemsPath, samplesPath, testsPath, script })
            if (!File.Exists(file)) throw new BenchmarkException("not found: " + file);
        var host = SandboxHost.Probe().Host ?? throw new BenchmarkException("the sandbox is unavailable");
        var machine = MachineInfo.Read(host.BubblewrapPath, host.DropsPrivileges);

        var bad = new List<BadRecord>();
        var problems = ProblemFile.Load(problemsPath, ProblemFormat.Auto, BadRecordPolicy.Stop, bad, Assay.Execution.Toolchains.ToolchainCatalog.LoadDefault().Languages);
        IReadOnlyList<Sample> samples = SampleFile.Load(samplesPath, problems, SampleFormat.Auto, BadRecordPolicy.Stop, bad, Assay.Execution.Toolchains.ToolchainCatalog.LoadDefault().Languages);
        var generated = GeneratedTestFile.Load(testsPath, problems, BadRecordPolicy.Stop, bad);
        if (options.Limit is { } limit)
        {
            // The first N problems of the samples file (its record order), both sides.
            var kept = samples.Select(s => s.TaskId).Distinct().Take(limit).ToHashSet(StringComparer.Ordinal);
            samples = samples.Where(s => kept.Contains(s.TaskId)).ToList();
        }

        var (runner, why) = ProgramRunner.Create(options.Concurrency);
        if (runner is null) throw new BenchmarkException(why!);
        var work = Directory.CreateTempSubdirectory("assay-bench-matrix-");
        var keep = options.KeepFiles;
        try
        {
            using (runner)
            {
                var python = runner.ResolveLanguage("python")?.Toolchain ?? throw new BenchmarkException("no python toolchain");
                var prepareClock = Stopwatch.StartNew();
                var prepared = await GeneratedTests.PrepareAsync(runner, python, generated.Select(g => (g.TaskId, g.Samples)).ToList(),
                    problems.ToDictionary(p => p.TaskId, p => p.EntryPoint!, StringComparer.Ordinal), cancellationToken: cancellationToken);
                var plan = MatrixPlan.Create(problems, samples, prepared, MatrixKind.Assertions).Select(p => p.Problem).ToList();
                var prepareSeconds = prepareClock.Elapsed.TotalSeconds;
                var cells = plan.Sum(p => (long)p.Programs.Count * p.Columns.Count);
                await progress.WriteLineAsync($"matrix: {plan.Count} problems, {samples.Count} samples, {plan.Sum(p => p.Programs.Count)} distinct candidates, {cells} cells");

                var planPath = Path.Combine(Directory.CreateDirectory(Path.Combine(work.FullName, "input")).FullName, "plan.jsonl");
                var planText = new StringBuilder();
                foreach (var p in plan)
                    planText.AppendLine(JsonSerializer.Serialize(new { task_id = p.TaskId, programs = p.Programs, tests = p.Columns }));
                await File.WriteAllTextAsync(planPath, planText.ToString(), cancellationToken);

                MatrixBaselineRun? baseline = null;
                if (!options.SkipBaseline)
                {
                    await progress.WriteLineAsync("baseline: the classic per-candidate process model in bubblewrap (the slow part)");
                    baseline = await ClassicMatrixBaseline.RunAsync(host.BubblewrapPath, script, planPath, work.FullName, options.TimeLimitSeconds,
                        options.MaxTimeouts, options.Concurrency, progress, cancellationToken);
                    await progress.WriteLineAsync($"baseline: {baseline.Candidates} candidates in {baseline.WallSeconds:F1} s");
                }

                await progress.WriteLineAsync("assay: building the matrix cold (no store)");
                var processCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var builder = new MatrixBuilder(new PythonJudge(runner, python), new NoVerdictStore(), new MatrixOptions
                {
                    TimeLimitSeconds = options.TimeLimitSeconds,
                    MaxTimeoutsPerCandidate = options.MaxTimeouts,
                    Isolation = JudgeIsolation.Batch,
                });
                var build = await builder.BuildAsync(plan, MatrixKind.Assertions, null, cancellationToken);
                var wall = clock.Elapsed.TotalSeconds;
                var processCpu = (Process.GetCurrentProcess().TotalProcessorTime - processCpuBefore).TotalSeconds;
                if (build.Failures.Count > 0) throw new BenchmarkException($"the sandbox failed on {build.Failures.Count} candidates: {build.Failures[0]}");
                var outcomes = new Dictionary<string, long>();
                foreach (var m in build.Matrices.Values)
                    foreach (var (outcome, count) in m.OutcomeCounts())
                        outcomes[outcome.ToString().ToLowerInvariant()] = outcomes.GetValueOrDefault(outcome.ToString().ToLowerInvariant()) + count;
                var assay = new MatrixAssayRun(build.Candidates, cells, Math.Round(wall, 3), Math.Round(build.SandboxCpu.TotalSeconds, 1), Math.Round(processCpu, 1),
                    Math.Round(prepareSeconds, 3), outcomes);
                await progress.WriteLineAsync($"assay: {build.Candidates} candidates in {wall:F1} s");

                var speedUp = baseline is null ? (double?)null : Math.Round(baseline.WallSeconds / wall, 2);
                var costs = await ProcessCosts.MeasureAsync(root, host.BubblewrapPath, cancellationToken);
                return new MatrixThroughputResult("matrix-throughput", started, CommandLine(options), await CommitAsync(root), machine, loadBefore,
                    MachineInfo.ReadLoadAverage(), options, plan.Count, samples.Count, build.Candidates, cells, assay, baseline, speedUp,
                    baseline?.CpuSeconds is { } classicCpu ? Math.Round(classicCpu / Math.Max(assay.SandboxCpuSeconds + assay.ProcessCpuSeconds, 1e-9), 2) : null, TargetSpeedUp,
                    speedUp is null ? null : speedUp >= TargetSpeedUp, baseline is null ? null : Compare(plan, build, baseline), keep ? work.FullName : null)
                {
                    ProcessCosts = costs,
                };
            }
        }
        finally
        {
            if (!keep) work.Delete(recursive: true);
        }
    }

    private static MatrixAgreement Compare(IReadOnlyList<MatrixProblem> plan, MatrixBuild build, MatrixBaselineRun baseline)
    {
        long compared = 0, samePassed = 0, sameOutcome = 0, different = 0;
        var examples = new List<string>();
        var differences = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var problem in plan)
        {
            var matrix = build.Matrices[problem.TaskId];
            for (var i = 0; i < matrix.Codes; i++)
            {
                var theirs = baseline.CellsByRow.GetValueOrDefault((problem.TaskId, i)) ?? "";
                for (var j = 0; j < matrix.Tests; j++)
                {
                    var ours = matrix[i, j];
                    var their = j < theirs.Length ? theirs[j] : 'n';
                    compared++;
                    var letter = ours switch
                    {
                        CellOutcome.Pass => 'p',
                        CellOutcome.Fail => 'f',
                        CellOutcome.Error => 'e',
                        CellOutcome.Timeout => 't',
                        _ => 'n',
                    };
                    if (letter == their) sameOutcome++;
                    if ((ours == CellOutcome.Pass) == (their == 'p')) samePassed++;
                    else
                    {
                        different++;
                        differences[$"{letter}/{their}"] = differences.GetValueOrDefault($"{letter}/{their}") + 1;
                        if (examples.Count < 20) examples.Add($"{problem.TaskId} row {i} test {j}: assay {letter}, classic {their}: {Short(problem.Columns[j])}");
                    }
                }
            }
        }
        return new MatrixAgreement(compared, samePassed, sameOutcome, different, differences, examples);
    }

    private static string Short(string text) => text.Length > 120 ? text[..120] + "..." : text;

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "Assay.slnx"))) return directory.FullName;
        }
        throw new BenchmarkException("cannot find the repository (Assay.slnx) from the current directory or the binary");
    }

    private static async Task<string> CommitAsync(string root)
    {
        var psi = new ProcessStartInfo("git", ["-C", root, "rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(psi);
        if (process is null) return "unknown";
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? text.Trim() : "unknown";
    }

    private static string CommandLine(MatrixThroughputOptions o)
    {
        var command = new StringBuilder("dotnet run -c Release --project bench/Assay.Bench -- matrix-throughput");
        if (o.Problems is not null) command.Append(" --problems ").Append(o.Problems);
        if (o.Samples is not null) command.Append(" --samples ").Append(o.Samples);
        if (o.Tests is not null) command.Append(" --tests ").Append(o.Tests);
        if (o.Limit is { } limit) command.Append(" --limit ").Append(limit.ToString(CultureInfo.InvariantCulture));
        if (o.SkipBaseline) command.Append(" --skip-baseline");
        if (o.TimeLimitSeconds != 1.0) command.Append(" --time-limit ").Append(o.TimeLimitSeconds.ToString(CultureInfo.InvariantCulture));
        if (o.MaxTimeouts != 3) command.Append(" --max-timeouts ").Append(o.MaxTimeouts.ToString(CultureInfo.InvariantCulture));
        if (o.Concurrency != Environment.ProcessorCount) command.Append(" --concurrency ").Append(o.Concurrency.ToString(CultureInfo.InvariantCulture));
        if (o.KeepFiles) command.Append(" --keep-files");
        return command.ToString();
    }
}

/// <summary>The report for people.</summary>
internal static class MatrixThroughputText
{
    public static string Render(MatrixThroughputResult r)
    {
        var t = new StringBuilder();
        t.AppendLine($"matrix-throughput  {r.Started:u}  commit {r.Commit}");
        t.AppendLine($"machine: {r.Machine.Cores} cores, {r.Machine.CpuModel}, {r.Machine.MemoryGib} GiB; load average before {r.LoadAverageBefore}, after {r.LoadAverageAfter}");
        if (r.ProcessCosts is { } costs) t.AppendLine($"processes: {costs}");
        t.AppendLine($"data: {r.Problems} problems, {r.Samples} samples, {r.DistinctCandidates} distinct candidates, {r.MatrixCells} cells; "
            + $"per-cell limit {r.Settings.TimeLimitSeconds} s, {r.Settings.MaxTimeouts} timeouts per candidate");
        t.AppendLine($"assay (batch judge, cold): {r.Assay.WallSeconds:F1} s  ({r.MatrixCells / Math.Max(r.Assay.WallSeconds, 1e-9):F0} cells/s; "
            + $"{r.Assay.SandboxCpuSeconds:F1} CPU s in sandboxes + {r.Assay.ProcessCpuSeconds:F1} CPU s in Assay's own process; "
            + $"test preparation {r.Assay.PrepareSeconds:F1} s not included)");
        t.AppendLine("  cells: " + string.Join(", ", r.Assay.Outcomes.Select(o => $"{o.Key} {o.Value}")));
        if (r.Baseline is { } b)
        {
            t.AppendLine($"classic (process per candidate, in bubblewrap): {b.WallSeconds:F1} s  ({b.Cells} cells run, {b.Killed} processes killed"
                + (b.CpuSeconds is { } cpu ? $", {cpu:F0} CPU s" : "") + ")");
            t.AppendLine($"speed-up: {r.SpeedUp:F1}x (target {r.TargetSpeedUp}x: {(r.MeetsTarget == true ? "met" : "not met")})"
                + (r.CpuSpeedUp is { } c ? $"; in CPU time {c:F1}x" : ""));
        }
        if (r.Agreement is { } a)
        {
            t.AppendLine($"agreement: {a.SamePassed}/{a.Compared} cells agree on pass ({a.DifferentPassed} differ), {a.SameOutcome} on the exact outcome");
            if (a.Differences.Count > 0) t.AppendLine("  differing (assay/classic): " + string.Join(", ", a.Differences.Select(d => $"{d.Key} {d.Value}")));
            foreach (var example in a.Examples) t.AppendLine("  " + example);
        }
        if (r.WorkDirectory is { } w) t.AppendLine("kept: " + w);
        return t.ToString();
    }
}
